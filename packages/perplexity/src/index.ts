// Public API of @mechlab/perplexity. Named exports only (STYLE.md §2).
export { loadScorer } from './scorer';
export { runScoreCommand } from './command';
export {
  ensureTinyModel,
  writeTinyModel,
  fitTinyLm,
  tinyLmGraph,
  defaultTinyModelDir,
  TINY_LM_VERSION,
} from './tiny-lm';
export { loadTokenizer } from './tokenizer';
export { createReductionBackend } from './reduction/resolve';
export { createJsBackend, logSumExpRow } from './reduction/js';
export { createGpuJsBackend } from './reduction/gpujs';
export { meanLogProbs } from './reduction/backend';
export { cudaAvailable } from './session';
export { ScoreCache, cacheKey, modelHash, textHash } from './cache';
export {
  gpt2TokenizerJson,
  gpt2TokenizerJsonText,
  gpt2TokenizerConfig,
  GPT2_EOT_ID,
  GPT2_EOT_TOKEN,
  GPT2_VOCAB_SIZE,
} from './gpt2-tokenizer';
export { syntheticQuestions, shuffleWords } from './corpus';
export { encodeOnnxModel, decodeOnnxInitializers } from './onnx-builder';
export { gpt2Graph, gpt2Config } from './gpt2-graph';
export {
  reduceModelGraph,
  inspectModelGraph,
  prepareReducedModel,
  GRAPH_REDUCTION_VERSION,
  TARGETS_INPUT,
  LOGPROBS_OUTPUT,
  LOGITS_SHAPE_OUTPUT,
} from './graph-reduction';
export {
  DEFAULT_BATCH,
  DEFAULT_TOKENS,
  DEFAULT_MAX_LOGITS_BYTES,
  scorerOptionsSchema,
  scoreCallOptionsSchema,
  scoreCommandOptionsSchema,
  scoreInputRowSchema,
} from './schemas';

export type {
  Scorer,
  ScorerOptions,
  ScoreCallOptions,
  ScoreResult,
  ScorerInfo,
  PipelineTimings,
  ScorerBackendName,
} from './scorer-types';
export type { Gpt2GraphOptions } from './gpt2-graph';
export type { GraphFacts, ReducedGraph, PreparedGraph } from './graph-reduction';
export type { ScoreCommandOptions, ScoreRow, ScoreProgress, ScoreSummary } from './command';
export type { TinyLmOptions, TinyLmTables, TinyModelManifest } from './tiny-lm';
export type { LoadedTokenizer, BosMode, BosSource } from './tokenizer';
export type { ReductionBackend, ReductionBackendName, LogitsDims } from './reduction/backend';
export type { GpuJsMode } from './reduction/gpujs';
export type { ReductionOptions } from './reduction/resolve';
export type { Provider, ProviderRequest, OpenedModel, IdElementType } from './session';
export type { CachedScore } from './cache';
export type { SyntheticQuestion } from './corpus';
export type {
  OnnxElementType,
  OnnxTensorData,
  OnnxInitializer,
  OnnxValueSpec,
  OnnxNodeSpec,
  OnnxGraphSpec,
  DecodedInitializer,
} from './onnx-builder';
export { publishModelDir } from './model-dir';
