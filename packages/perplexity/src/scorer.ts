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
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { resolve, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { MechlabError, parseWithSchema } from '@mechlab/core';
import { cacheKey, modelHash, ScoreCache, textHash, type CachedScore } from './cache';
import { LOGITS_SHAPE_OUTPUT, LOGPROBS_OUTPUT, TARGETS_INPUT } from './graph-reduction';
import { meanLogProbs, type ReductionBackend, type ReductionBackendName } from './reduction/backend';
import type { GpuJsMode } from './reduction/gpujs';
import { createReductionBackend } from './reduction/resolve';
import {
  DEFAULT_BATCH,
  DEFAULT_MAX_LOGITS_BYTES,
  DEFAULT_TOKENS,
  scoreCallOptionsSchema,
  scorerOptionsSchema,
} from './schemas';
import {
  openModel,
  type IdElementType,
  type OpenedModel,
  type Provider,
  type ProviderRequest,
} from './session';
import { loadTokenizer, type BosMode, type BosSource, type LoadedTokenizer } from './tokenizer';
import { ensureTinyModel } from './tiny-lm';

/**
 * Where the log-softmax + gather runs: `'graph'` inside the ONNX model on the execution provider
 * (graph-reduction.ts; the default), or on the full logits in JavaScript (`'js'`) / gpu.js (`'gpujs'`).
 */
export type ScorerBackendName = 'graph' | ReductionBackendName;

/** Options of {@link loadScorer}. */
export interface ScorerOptions {
  /** Default `L` for {@link Scorer.score} (default 64). */
  readonly tokens?: number;
  /** Default batch size (default 32). */
  readonly batch?: number;
  /** Reduction backend (default `'graph'`; falls back to `'js'` with a reason when surgery is impossible). */
  readonly backend?: ScorerBackendName;
  /**
   * Upper bound on one batch's logits tensor, `batch · tokens · vocabulary · 4` bytes (default 2 GiB):
   * larger requests are refused up front instead of exhausting memory inside ONNX Runtime.
   */
  readonly maxLogitsBytes?: number;
  /** gpu.js mode request for the `gpujs` backend (default `'auto'`). */
  readonly gpujsMode?: GpuJsMode;
  /** Execution provider (default `'auto'`: CUDA when installed, else CPU). */
  readonly provider?: ProviderRequest;
  /** BOS policy (default `'auto'`: prepend the tokenizer's BOS when it defines one). */
  readonly bos?: BosMode;
  /** Cache directory, or `false` for none (default `<modelDir>/.ppl-cache`). */
  readonly cache?: string | false;
  /** ONNX Runtime intra-op threads (default: ONNX Runtime's choice, the physical cores). */
  readonly intraOpNumThreads?: number;
}

/** Per-call options of {@link Scorer.score}. */
export interface ScoreCallOptions {
  readonly tokens?: number;
  readonly batch?: number;
}

interface ScoreFields {
  /** `exp(meanNll)`. */
  readonly perplexity: number;
  /** Mean negative log-likelihood (nats) over the predicted tokens. */
  readonly meanNll: number;
  /** `L'`: text tokens in the scored window. */
  readonly tokens: number;
  /** Predicted tokens in the mean: `L'` with BOS, `L' − 1` without. */
  readonly predictions: number;
}

/** One text's score: computed now (saying what ran) or read from the cache. */
export type ScoreResult =
  | (ScoreFields & {
      readonly status: 'scored';
      readonly provider: Provider;
      readonly backend: ScorerBackendName;
      readonly backendMode: string;
    })
  | (ScoreFields & { readonly status: 'cached' });

/** Static facts about a loaded scorer. */
export interface ScorerInfo {
  readonly modelDir: string;
  readonly modelHash: string;
  readonly provider: Provider;
  readonly providerNote: string | undefined;
  /** The reduction that runs: `'graph'`, or `'js'`/`'gpujs'` (requested, or the graph's fallback). */
  readonly backend: ScorerBackendName;
  /**
   * `'graph'`: `'onnxruntime-<provider>'`; gpu.js: the mode actually obtained (`'pending'` until the
   * first batch ran); `'js'` for the reference.
   */
  readonly backendMode: string;
  /** Why the requested backend (or gpu.js mode) did not run, when it did not. */
  readonly backendFallback: string | undefined;
  /** Path of the cached reduced graph (`'graph'` with a cache), else undefined. */
  readonly reducedGraphPath: string | undefined;
  /** The model's context length and where it was read, when known. */
  readonly contextLength: { readonly positions: number; readonly source: string } | undefined;
  readonly maxLogitsBytes: number;
  readonly vocabSize: number;
  readonly logitsWidth: number | undefined;
  readonly bosId: number | undefined;
  readonly bosToken: string | undefined;
  readonly bosSource: BosSource;
  readonly inputs: readonly string[];
  readonly cachePath: string | undefined;
}

/** Cumulative wall time per pipeline stage (ms) and work counters since load. */
export interface PipelineTimings {
  tokenizeMs: number;
  packMs: number;
  runMs: number;
  reduceMs: number;
  cacheMs: number;
  batches: number;
  /** Positions fed to the model (incl. padding). */
  positions: number;
  /** Predicted (unpadded) tokens. */
  predictedTokens: number;
}

/** A loaded model + tokenizer + reduction backend. */
export interface Scorer {
  readonly info: ScorerInfo;
  /**
   * Score texts; results come back in input order. Misses are deduplicated, sorted by length and run
   * in padded batches; hits come from the cache. Rejects (never returns NaN) on an empty text, a text
   * without enough tokens, or non-finite logits.
   * Complexity: O(Σ tokens · vocab) reduction work plus the model's own cost.
   */
  score(texts: readonly string[], options?: ScoreCallOptions): Promise<ScoreResult[]>;
  /** Stage timings since load (a copy). */
  timings(): PipelineTimings;
  /** Release the ONNX session and the reduction backend. */
  close(): Promise<void>;
}

interface Prepared {
  readonly index: number;
  readonly key: string;
  readonly inputs: Int32Array; // fed ids (length = predictions)
  readonly targets: Int32Array; // predicted ids (length = predictions)
  readonly tokens: number;
}

/**
 * A reusable id buffer of the element type the model declares: grown geometrically, never shrunk, so
 * length-bucketed batches of any shape pack into the same memory (a view of the first `n` entries).
 */
class IdBuffer {
  private data: BigInt64Array | Int32Array;
  constructor(private readonly type: IdElementType) {
    this.data = type === 'int32' ? new Int32Array(0) : new BigInt64Array(0);
  }
  /** A zero-filled view of `n` entries. Complexity: O(n). */
  view(n: number): BigInt64Array | Int32Array {
    if (this.data.length < n) {
      const size = Math.max(n, 2 * this.data.length);
      this.data = this.type === 'int32' ? new Int32Array(size) : new BigInt64Array(size);
    }
    const v = this.data.subarray(0, n);
    if (v instanceof BigInt64Array) v.fill(0n);
    else v.fill(0);
    return v;
  }
  tensor(view: BigInt64Array | Int32Array, dims: readonly number[]): ort.Tensor {
    return view instanceof BigInt64Array
      ? new ort.Tensor('int64', view, dims)
      : new ort.Tensor('int32', view, dims);
  }
}

function put(view: BigInt64Array | Int32Array, i: number, v: number): void {
  if (view instanceof BigInt64Array) view[i] = BigInt(v);
  else view[i] = v;
}

const BYTES = (n: number): string =>
  n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${(n / 2 ** 20).toFixed(0)} MiB`;

/**
 * The model's context length: `config.json` beside the model (`n_positions`, `max_position_embeddings`,
 * `n_ctx` — GPT-2, BERT-style and older names), else the rows of a position-embedding initializer.
 * Complexity: O(config size).
 */
function readContextLength(
  dir: string,
  model: OpenedModel,
): { positions: number; source: string } | undefined {
  const path = join(dir, 'config.json');
  if (existsSync(path)) {
    try {
      const cfg = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      for (const key of ['n_positions', 'max_position_embeddings', 'n_ctx']) {
        const v = cfg[key];
        if (typeof v === 'number' && Number.isInteger(v) && v > 0)
          return { positions: v, source: `config.json ${key}` };
      }
    } catch {
      // An unreadable config.json is not required: fall through to the graph.
    }
  }
  const rows = model.facts?.positionRows;
  return rows === undefined ? undefined : { positions: rows.rows, source: `initializer ${rows.name}` };
}

class OnnxScorer implements Scorer {
  private readonly timing: PipelineTimings = {
    tokenizeMs: 0,
    packMs: 0,
    runMs: 0,
    reduceMs: 0,
    cacheMs: 0,
    batches: 0,
    positions: 0,
    predictedTokens: 0,
  };
  private checkedWidth: number | undefined;
  private closed = false;
  private readonly idBuf: IdBuffer;
  private readonly maskBuf: IdBuffer;
  private readonly posBuf: IdBuffer;
  private readonly targetBuf = new IdBuffer('int64');
  private targets32 = new Int32Array(0);
  private mask8 = new Uint8Array(0);
  private readonly context: { positions: number; source: string } | undefined;

  constructor(
    private readonly model: OpenedModel,
    private readonly tokenizer: LoadedTokenizer,
    private readonly reduction: ReductionBackend | undefined,
    private readonly cache: ScoreCache | undefined,
    private readonly hash: string,
    private readonly dir: string,
    private readonly defaults: { tokens: number; batch: number; maxLogitsBytes: number },
  ) {
    this.checkedWidth = model.logitsWidth;
    const types = model.inputTypes;
    this.idBuf = new IdBuffer(types.get('input_ids') ?? 'int64');
    this.maskBuf = new IdBuffer(types.get('attention_mask') ?? 'int64');
    this.posBuf = new IdBuffer(types.get('position_ids') ?? 'int64');
    this.context = readContextLength(dir, model);
  }

  private get backendName(): ScorerBackendName {
    return this.reduction?.name ?? 'graph';
  }

  private get backendMode(): string {
    return this.reduction?.mode ?? `onnxruntime-${this.model.provider}`;
  }

  /**
   * Refuse, before any work, a window longer than the model's positions (ONNX Runtime would fail
   * mid-run) and a batch whose logits tensor would exceed the memory bound.
   * @throws MechlabError ERR_OUT_OF_RANGE naming `tokens` or `batch`
   */
  checkShape(L: number, batch: number): void {
    const fed = this.tokenizer.bosId === undefined ? L - 1 : L;
    if (this.context !== undefined && fed > this.context.positions) {
      throw new MechlabError(
        'ERR_OUT_OF_RANGE',
        `tokens: ${L} exceeds the model's context length (${this.context.positions} positions, from ${this.context.source})`,
        'tokens',
      );
    }
    const width = this.checkedWidth ?? this.tokenizer.vocabSize;
    const bytes = batch * fed * width * 4;
    if (bytes > this.defaults.maxLogitsBytes) {
      throw new MechlabError(
        'ERR_OUT_OF_RANGE',
        `batch: ${batch} × ${fed} positions × ${width} vocabulary × 4 bytes = ${BYTES(bytes)} of logits exceeds the ${BYTES(this.defaults.maxLogitsBytes)} bound (max-logits-memory); lower batch or tokens`,
        'batch',
      );
    }
  }

  get info(): ScorerInfo {
    return {
      modelDir: this.dir,
      modelHash: this.hash,
      provider: this.model.provider,
      providerNote: this.model.providerNote,
      backend: this.backendName,
      backendMode: this.backendMode,
      backendFallback: this.model.reductionNote ?? this.reduction?.fallbackReason,
      reducedGraphPath: this.model.reducedPath,
      contextLength: this.context,
      maxLogitsBytes: this.defaults.maxLogitsBytes,
      vocabSize: this.tokenizer.vocabSize,
      logitsWidth: this.checkedWidth,
      bosId: this.tokenizer.bosId,
      bosToken: this.tokenizer.bosToken,
      bosSource: this.tokenizer.bosSource,
      inputs: this.model.inputNames,
      cachePath: this.cache?.path,
    };
  }

  timings(): PipelineTimings {
    return { ...this.timing };
  }

  async score(texts: readonly string[], options: ScoreCallOptions = {}): Promise<ScoreResult[]> {
    if (this.closed) throw new MechlabError('ERR_INVALID_INPUT', 'scorer: already closed', 'scorer');
    const opts = parseWithSchema(scoreCallOptionsSchema, options, 'options');
    const L = opts.tokens ?? this.defaults.tokens;
    const batch = opts.batch ?? this.defaults.batch;
    if (!Array.isArray(texts))
      throw new MechlabError(
        'ERR_INVALID_TYPE',
        `texts must be an array of strings, got ${typeof texts}`,
        'texts',
      );
    const bos = this.tokenizer.bosId;
    if (bos === undefined && L < 2) {
      throw new MechlabError(
        'ERR_OUT_OF_RANGE',
        `tokens must be ≥ 2 when the model has no BOS token, got ${L}`,
        'tokens',
      );
    }
    this.checkShape(L, batch);

    const results: (ScoreResult | undefined)[] = new Array<ScoreResult | undefined>(texts.length);
    const firstByKey = new Map<string, number>(); // dedupe identical texts within one call
    const duplicates: [number, number][] = [];
    const misses: Prepared[] = [];
    const t0 = performance.now();
    for (let i = 0; i < texts.length; i++) {
      const text: unknown = texts[i];
      if (typeof text !== 'string') {
        throw new MechlabError(
          'ERR_INVALID_TYPE',
          `texts[${i}] must be a non-empty string, got ${typeof text}`,
          `texts[${i}]`,
        );
      }
      if (text.length === 0)
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `texts[${i}] must be a non-empty string, got ""`,
          `texts[${i}]`,
        );
      const key = cacheKey(textHash(text), L, bos);
      const hit = this.cache?.get(key);
      if (hit !== undefined) {
        results[i] = { status: 'cached', ...hit };
        continue;
      }
      const first = firstByKey.get(key);
      if (first !== undefined) {
        duplicates.push([i, first]);
        continue;
      }
      firstByKey.set(key, i);
      const ids = this.tokenizer.encodePrefix(text, L);
      if (ids.length === 0)
        throw new MechlabError('ERR_INVALID_INPUT', `texts[${i}] has no tokens`, `texts[${i}]`);
      if (bos === undefined && ids.length < 2) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `texts[${i}] has 1 token; without a BOS token perplexity needs ≥ 2`,
          `texts[${i}]`,
        );
      }
      for (const id of ids) {
        if (id >= this.tokenizer.vocabSize)
          throw new MechlabError(
            'ERR_INVALID_INPUT',
            `texts[${i}]: token id ${id} outside the vocabulary`,
            `texts[${i}]`,
          );
      }
      const fed = bos === undefined ? ids.slice(0, -1) : [bos, ...ids.slice(0, -1)];
      const targets = bos === undefined ? ids.slice(1) : ids;
      misses.push({
        index: i,
        key,
        inputs: Int32Array.from(fed),
        targets: Int32Array.from(targets),
        tokens: ids.length,
      });
    }
    this.timing.tokenizeMs += performance.now() - t0;

    // Longest first: batches of similar length waste little padding.
    const order = [...misses].sort((a, b) => b.targets.length - a.targets.length || a.index - b.index);
    for (let start = 0; start < order.length; start += batch) {
      const group = order.slice(start, start + batch);
      const scores = await this.runBatch(group);
      const tc = performance.now();
      const entries: [string, CachedScore][] = [];
      group.forEach((p, k) => {
        const s = scores[k]!;
        results[p.index] = {
          status: 'scored',
          ...s,
          provider: this.model.provider,
          backend: this.backendName,
          backendMode: this.backendMode,
        };
        if (Number.isFinite(s.perplexity)) entries.push([p.key, s]);
      });
      this.cache?.putMany(entries);
      this.timing.cacheMs += performance.now() - tc;
    }
    for (const [i, first] of duplicates) results[i] = results[first];
    return results.map((r, i) => {
      if (r === undefined) throw new Error(`internal: texts[${i}] was not scored`);
      return r;
    });
  }

  private async runBatch(group: readonly Prepared[]): Promise<CachedScore[]> {
    const tp = performance.now();
    const B = group.length;
    let S = 0;
    for (const p of group) S = Math.max(S, p.inputs.length);
    const n = B * S;
    const ids = this.idBuf.view(n);
    const attention = this.maskBuf.view(n);
    const positions = this.model.hasPositionIds ? this.posBuf.view(n) : undefined;
    const graph = this.reduction === undefined;
    const targets64 = graph ? this.targetBuf.view(n) : undefined;
    if (this.targets32.length < n) {
      this.targets32 = new Int32Array(2 * n);
      this.mask8 = new Uint8Array(2 * n);
    }
    const targets = this.targets32.subarray(0, n).fill(0);
    const mask = this.mask8.subarray(0, n).fill(0);
    const pad = this.tokenizer.bosId ?? 0;
    group.forEach((p, b) => {
      const row = b * S;
      for (let t = 0; t < S; t++) {
        const real = t < p.inputs.length;
        put(ids, row + t, real ? p.inputs[t]! : pad);
        if (positions !== undefined) put(positions, row + t, real ? t : 1);
        if (!real) continue;
        put(attention, row + t, 1);
        targets[row + t] = p.targets[t]!;
        if (targets64 !== undefined) targets64[row + t] = BigInt(p.targets[t]!);
        mask[row + t] = 1;
      }
    });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: this.idBuf.tensor(ids, [B, S]),
      attention_mask: this.maskBuf.tensor(attention, [B, S]),
    };
    if (positions !== undefined) feeds['position_ids'] = this.posBuf.tensor(positions, [B, S]);
    if (targets64 !== undefined) feeds[TARGETS_INPUT] = new ort.Tensor('int64', targets64, [B, S, 1]);
    this.timing.packMs += performance.now() - tp;

    const tr = performance.now();
    let output: ort.InferenceSession.ReturnType;
    try {
      output = await this.model.session.run(
        feeds,
        graph ? [LOGPROBS_OUTPUT, LOGITS_SHAPE_OUTPUT] : ['logits'],
        { logSeverityLevel: 4 },
      );
    } catch (e) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `model: ONNX Runtime failed on a batch of ${B}×${S} (${String((e as Error).message).split('\n')[0]})`,
        'model',
      );
    }
    this.timing.runMs += performance.now() - tr;

    const tre = performance.now();
    let lp: Float32Array | Float64Array;
    if (graph) {
      const shape = output[LOGITS_SHAPE_OUTPUT];
      const out = output[LOGPROBS_OUTPUT];
      const dims = shape === undefined ? [] : Array.from(shape.data as BigInt64Array, Number);
      if (
        out === undefined ||
        out.type !== 'float32' ||
        dims.length !== 3 ||
        dims[0] !== B ||
        dims[1] !== S
      ) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `model: "logits" must be float32 [${B}, ${S}, vocab], got [${dims.join(', ')}]`,
          'model',
        );
      }
      this.checkWidth(dims[2]!);
      lp = out.data as Float32Array;
    } else {
      const logits = output['logits'];
      if (
        logits === undefined ||
        logits.type !== 'float32' ||
        logits.dims.length !== 3 ||
        logits.dims[0] !== B ||
        logits.dims[1] !== S
      ) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `model: "logits" must be float32 [${B}, ${S}, vocab], got ${logits?.type} [${logits?.dims.join(', ')}]`,
          'model',
        );
      }
      const width = logits.dims[2]!;
      this.checkWidth(width);
      const data = logits.data as Float32Array;
      lp = await this.reduction!.logProbs(data, { batch: B, seq: S, vocab: width }, targets, mask);
      logits.dispose();
    }
    // Float64 sums over the per-position log-probabilities (float32 from the graph).
    const { sum, count } = meanLogProbs(lp, { batch: B, seq: S }, mask);
    this.timing.reduceMs += performance.now() - tre;
    this.timing.batches++;
    this.timing.positions += B * S;

    return group.map((p, b) => {
      const meanNll = -sum[b]! / count[b]!;
      if (Number.isNaN(meanNll)) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `model: non-finite logits for texts[${p.index}]`,
          'model',
        );
      }
      this.timing.predictedTokens += count[b]!;
      return { perplexity: Math.exp(meanNll), meanNll, tokens: p.tokens, predictions: count[b]! };
    });
  }

  private checkWidth(width: number): void {
    if (width < this.tokenizer.vocabSize) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `model: tokenizer vocabulary (${this.tokenizer.vocabSize}) does not match logits width (${width})`,
        'model',
      );
    }
    this.checkedWidth = width;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.model.session.release();
    await this.reduction?.dispose();
  }
}

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
  const hash = await modelHash(modelDir, 'model.onnx');
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
  const scorer = new OnnxScorer(model, tokenizer, reduction, cache, hash, modelDir, {
    tokens: opts.tokens ?? DEFAULT_TOKENS,
    batch: opts.batch ?? DEFAULT_BATCH,
    maxLogitsBytes: opts.maxLogitsBytes ?? DEFAULT_MAX_LOGITS_BYTES,
  });
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
