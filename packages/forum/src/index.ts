// Public API of @mechlab/forum (STYLE.md §2): named value exports, then types.
export { runForum } from './forum';
export { formatEurrTable } from './eurr-table';
export { forumGame, forumPresets } from './experiment';
export { solveNash, solveNashArrays, kDominanceFilter, topK } from './nash';
export { nashDp } from './nash-dp';
export { solveNashBruteForce } from './nash-brute-force';
export { greedyMarginal } from './greedy-marginal';
export { syntheticCorpus, weeklyVolumes, PAPER } from './synthetic';
export { CALIBRATION_TARGETS, calibrationStats } from './calibration';
export { ensureForumLm, writeForumLm, defaultForumLmDir, lmProvider, lmWords, FORUM_LM_VERSION } from './lm';
export { loadStackExchange, readPostsXml, parseDumpDate, communityOf } from './loader';
export { alignCorpus, WEEK_MS } from './corpus';
export { unigramProxy, normalisedViews } from './utility';
export { hashFeatures } from './features';
export { LogisticModel, trainLogistic, sigmoid } from './logistic';
export { createStrategy, gGreedy, gUtility, gRandom, forumSelect } from './strategies';
export { htmlToText, decodeXmlEntities, scanRows, splitTags } from './xml';
export { tokenHashes, tokenizeInto, forEachToken, hashString, questionText } from './tokens';

export type { ForumOptions, ForumResult, EurrRow, ScatterPoint } from './forum-types';
export type { ForumGameParams } from './experiment';
export type { NashMethod, NashOptions, NashSolution, NashCandidate, NashInstanceInput } from './nash-types';
export type { SyntheticOptions } from './synthetic';
export type { CalibrationTarget, CalibrationStats } from './calibration';
export type { ForumLmOptions, ForumLmManifest, LmProviderOptions, ClosableProvider } from './lm';
export type { ReadPostsOptions, LoadedCorpus } from './loader';
export type { AlignOptions, AlignedCorpus } from './corpus';
export type { UtilityGProvider, UnigramProxyOptions, ViewNormalisation } from './utility';
export type { SparseRows, FeatureOptions } from './features';
export type { LogisticOptions } from './logistic';
export type {
  GStrategy,
  RoundView,
  RoundFeedback,
  StrategyName,
  StrategyFactory,
  GUtilityOptions,
} from './strategies';
export type { RawRow } from './xml';
export type { Question, LoadStats } from './types';
