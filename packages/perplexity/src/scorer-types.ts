/** The public types of the batch perplexity scorer (see scorer.ts for the formula). */
import type { ReductionBackendName } from './reduction/backend';
import type { GpuJsMode } from './reduction/gpujs';
import type { Provider, ProviderRequest } from './session';
import type { BosMode, BosSource } from './tokenizer';

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
  /**
   * Tokenise upcoming windows on a worker thread while `session.run` blocks this one (default
   * `DEFAULT_PIPELINE`, chosen by measurement: README). Results are identical either way.
   */
  readonly pipeline?: boolean;
  /** Reuse input/output tensors per batch shape, outputs pre-allocated (default true). */
  readonly reuseTensors?: boolean;
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
  /** Whether upcoming windows are tokenised on a worker thread. */
  readonly pipeline: boolean;
  /** Whether batch tensors are reused and outputs pre-allocated. */
  readonly reuseTensors: boolean;
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
  /** Windows tokenised on the worker thread (the rest: inline). */
  workerWindows: number;
}

/** A loaded model + tokenizer + reduction backend. */
export interface Scorer {
  readonly info: ScorerInfo;
  /**
   * Score texts; results come back in input order. Misses are deduplicated, and within each window of
   * 4 · batch texts sorted by length and run in padded batches (length buckets); hits come from the
   * cache. The next windows are tokenised on a worker thread meanwhile (`pipeline`). Rejects (never returns NaN) on an empty text, a text
   * without enough tokens, or non-finite logits.
   * Complexity: O(Σ tokens · vocab) reduction work plus the model's own cost.
   */
  score(texts: readonly string[], options?: ScoreCallOptions): Promise<ScoreResult[]>;
  /**
   * Score a (possibly async, possibly unbounded) stream of texts, yielding results in input order one
   * window (4 · batch texts) at a time; memory stays bounded (at most 3 windows in flight). `label(i)`
   * names text `i` in errors (default `texts[i]`; the CLI passes `input line N`). Unlike
   * {@link Scorer.score}, duplicates in different windows are deduplicated only through the cache.
   */
  scoreStream(
    texts: Iterable<string> | AsyncIterable<string>,
    options?: ScoreCallOptions,
    label?: (index: number) => string,
  ): AsyncGenerator<ScoreResult[]>;
  /** Stage timings since load (a copy). */
  timings(): PipelineTimings;
  /** Release the ONNX session and the reduction backend. */
  close(): Promise<void>;
}
