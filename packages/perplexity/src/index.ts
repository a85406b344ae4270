// Public API of @mechlab/perplexity. Named exports only (STYLE.md §2).
export { loadScorer } from './scorer';
export { runScoreCommand } from './command';
export { ensureTinyModel, writeTinyModel, tinyLmGraph, defaultTinyModelDir } from './tiny-lm';
export { syntheticQuestions } from './corpus';
export { encodeOnnxModel } from './onnx-builder';
export { gpt2Graph, gpt2Config } from './gpt2-graph';
export { DEFAULT_BATCH, DEFAULT_MAX_LOGITS_BYTES } from './schemas';
export { publishModelDir } from './model-dir';

export type { Scorer } from './scorer-types';
export type { ProviderRequest } from './session';
