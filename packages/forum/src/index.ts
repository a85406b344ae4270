// Public API of @mechlab/forum (STYLE.md §2): named value exports, then types.
export { runForum } from './forum';
export { formatEurrTable } from './eurr-table';
export { forumGame, forumPresets } from './experiment';
export { solveNash, solveNashArrays } from './nash';
export { syntheticCorpus, weeklyVolumes, PAPER } from './synthetic';
export { CALIBRATION_TARGETS, calibrationStats } from './calibration';
export { ensureForumLm, lmProvider } from './lm';
export { WEEK_MS } from './corpus';
export { unigramProxy, normalisedViews } from './utility';
export { questionText } from './tokens';

export type { ForumOptions, ForumResult } from './forum-types';
export type { NashSolution } from './nash-types';
export type { ForumLmManifest } from './lm';
export type { UtilityGProvider } from './utility';
