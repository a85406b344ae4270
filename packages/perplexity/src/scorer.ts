/**
 * The batch perplexity scorer (MODELS.md §3).
 *
 * For a text with token ids `x_1..x_n` (no special tokens added), `L' = min(L, n)`:
 * - **with a BOS token** `β` (the default whenever the tokenizer defines one): the model reads
 *   `β, x_1..x_{L'−1}` and every text token is predicted,
 *   `PPL = exp(−(1/L') Σ_{t=1..L'} log p(x_t | β, x_<t))` (`predictions = L'`);
 * - **without** (`bos: 'none'`, or a tokenizer with none): exactly the spec's
 *   `PPL = exp(−(1/(L'−1)) Σ_{t=2..L'} log p(x_t | x_<t))` (`predictions = L' − 1`, needs `L' ≥ 2`).
 *
 * Batches are right-padded to the longest sequence in the batch; `attention_mask` is 1 on real tokens
 * and 0 on padding, `position_ids` (when the model takes them) count 0,1,… over real tokens (padding
 * gets 1, as Hugging Face does), and padded positions never enter the sum, so a text scores the same
 * alone or in any batch. Only the logits the sum needs are computed: the last text token is never fed.
 */
import { resolve, join } from 'node:path';
import { MechlabError, parseWithSchema } from '@mechlab/core';
import { modelHash, ScoreCache } from './cache';
import { createReductionBackend } from './reduction/resolve';
import {
  DEFAULT_BATCH,
  DEFAULT_MAX_LOGITS_BYTES,
  DEFAULT_PIPELINE,
  DEFAULT_TOKENS,
  scorerOptionsSchema,
} from './schemas';
import { openModel } from './session';
import { loadTokenizer, type LoadedTokenizer } from './tokenizer';
import { ensureTinyModel } from './tiny-lm';
import { OnnxScorer } from './onnx-scorer';
import type { Scorer, ScorerOptions } from './scorer-types';

/**
 * Load a causal LM directory (`model.onnx` + `tokenizer.json` [+ `tokenizer_config.json`]) — or, when
 * `dir` is omitted, the embedded tiny LM (built on first use by {@link ensureTinyModel}).
 * Checks the interface and that the tokenizer's vocabulary fits the logits.
 * Complexity: hashing the model files + ONNX Runtime session creation.
 * @throws MechlabError (rejects) — `model: … not found`, `model: … is not a valid ONNX model`,
 *   `model: expected input "input_ids", model has […]`,
 *   `model: tokenizer vocabulary (V) does not match logits width (W)`, or an option error
 * @example
 * const scorer = await loadScorer();            // tiny LM, CPU, js reduction
 * const [r] = await scorer.score(['How do I sort a list with Python?']);
 * // r → { status: 'scored', perplexity: 23.08…, tokens: 9, predictions: 9, provider: 'cpu', … }
 * await scorer.close();
 */
export async function loadScorer(dir?: string, options: ScorerOptions = {}): Promise<Scorer> {
  const opts = parseWithSchema(scorerOptionsSchema, options, 'options');
  const modelDir = resolve(dir ?? (await ensureTinyModel()));
  const backend = opts.backend ?? 'graph';
  const cacheDir = opts.cache === false ? undefined : resolve(opts.cache ?? join(modelDir, '.ppl-cache'));
  const model = await openModel(modelDir, opts.provider ?? 'auto', {
    ...(opts.intraOpNumThreads !== undefined ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
    reduce: backend === 'graph',
    ...(cacheDir !== undefined ? { graphCacheDir: cacheDir } : {}),
  });
  let tokenizer: LoadedTokenizer;
  try {
    tokenizer = loadTokenizer(modelDir, opts.bos ?? 'auto');
    if (model.logitsWidth !== undefined && model.logitsWidth < tokenizer.vocabSize) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `model: tokenizer vocabulary (${tokenizer.vocabSize}) does not match logits width (${model.logitsWidth})`,
        'model',
      );
    }
  } catch (e) {
    await model.session.release();
    throw e;
  }
  const hash = await modelHash(modelDir, 'model.onnx', model.modelSha256);
  let cache: ScoreCache | undefined;
  if (cacheDir !== undefined) {
    try {
      cache = ScoreCache.open(cacheDir, hash);
    } catch (e) {
      // The default location may be read-only (an installed model): score without a cache then.
      if (opts.cache !== undefined) {
        await model.session.release();
        throw e;
      }
    }
  }
  const reduction = model.reduced
    ? undefined
    : createReductionBackend(backend === 'gpujs' ? 'gpujs' : 'js', { gpujsMode: opts.gpujsMode ?? 'auto' });
  const scorer = new OnnxScorer(
    model,
    tokenizer,
    reduction,
    cache,
    hash,
    modelDir,
    {
      tokens: opts.tokens ?? DEFAULT_TOKENS,
      batch: opts.batch ?? DEFAULT_BATCH,
      maxLogitsBytes: opts.maxLogitsBytes ?? DEFAULT_MAX_LOGITS_BYTES,
    },
    opts.bos ?? 'auto',
    opts.pipeline ?? DEFAULT_PIPELINE,
    opts.reuseTensors ?? true,
  );
  try {
    // Explicit requests are checked now, so a CLI refuses before reading any input.
    if (opts.tokens !== undefined || opts.batch !== undefined)
      scorer.checkShape(opts.tokens ?? DEFAULT_TOKENS, opts.batch ?? DEFAULT_BATCH);
  } catch (e) {
    await scorer.close();
    throw e;
  }
  return scorer;
}
