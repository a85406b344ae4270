/**
 * The ONNX Runtime implementation of {@link Scorer}: batching, padding, the forward pass and the
 * reduction (the formula and padding rules are in scorer.ts's header, MODELS.md §3).
 */
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { MechlabError, parseWithSchema } from '@mechlab/core';
import { cacheKey, ScoreCache, textHash, type CachedScore } from './cache';
import { LOGITS_SHAPE_OUTPUT, LOGPROBS_OUTPUT } from './graph-reduction';
import { meanLogProbs, type ReductionBackend } from './reduction/backend';
import { scoreCallOptionsSchema } from './schemas';
import type { OpenedModel } from './session';
import type { LoadedTokenizer } from './tokenizer';
import { BatchTensorPool, put } from './batch-tensors';
import { inlineEncoder, WindowEncodeError, WorkerEncoder, type WindowEncoder } from './pretokenizer';
import type { BosMode } from './tokenizer';
import { readContextLength } from './context-length';
import type {
  PipelineTimings,
  ScoreCallOptions,
  ScoreResult,
  Scorer,
  ScorerBackendName,
  ScorerInfo,
} from './scorer-types';

/** Texts per window = WINDOW_BATCHES · batch: the span over which lengths are sorted into buckets. */
export const WINDOW_BATCHES = 4;
/** Windows tokenised ahead of the one running (bounds the memory of ready token ids). */
export const AHEAD = 2;

/** A cache miss waiting for its ids. */
interface Miss {
  readonly local: number; // index in its window
  readonly key: string;
  readonly text: string;
}

/** A window of texts: hits answered, misses being tokenised. */
interface Window {
  readonly start: number; // index of its first text in the call
  readonly results: (ScoreResult | undefined)[];
  readonly misses: readonly Miss[];
  readonly duplicates: readonly [number, number][]; // [local, local of first occurrence]
  readonly ids: Promise<Int32Array[]>; // ids of `misses`, in order
}

interface Prepared {
  readonly index: number; // in its window
  readonly key: string;
  readonly inputs: Int32Array; // fed ids (length = predictions)
  readonly targets: Int32Array; // predicted ids (length = predictions)
  readonly tokens: number;
}
const BYTES = (n: number): string =>
  n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${(n / 2 ** 20).toFixed(0)} MiB`;
export class OnnxScorer implements Scorer {
  private readonly timing: PipelineTimings = {
    tokenizeMs: 0,
    packMs: 0,
    runMs: 0,
    reduceMs: 0,
    cacheMs: 0,
    batches: 0,
    positions: 0,
    predictedTokens: 0,
    workerWindows: 0,
  };
  private checkedWidth: number | undefined;
  private closed = false;
  private readonly tensors: BatchTensorPool;
  private readonly inline: WindowEncoder;
  private worker: WorkerEncoder | undefined;
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
    private readonly bos: BosMode,
    private readonly pipeline: boolean,
    private readonly reuseTensors: boolean,
  ) {
    this.checkedWidth = model.logitsWidth;
    this.tensors = new BatchTensorPool({
      types: model.inputTypes,
      positions: model.hasPositionIds,
      graph: reduction === undefined,
      reuse: reuseTensors,
    });
    this.inline = inlineEncoder(tokenizer);
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
      pipeline: this.pipeline,
      reuseTensors: this.reuseTensors,
      cachePath: this.cache?.path,
    };
  }

  timings(): PipelineTimings {
    return { ...this.timing };
  }

  async score(texts: readonly string[], options: ScoreCallOptions = {}): Promise<ScoreResult[]> {
    if (!Array.isArray(texts))
      throw new MechlabError(
        'ERR_INVALID_TYPE',
        `texts must be an array of strings, got ${typeof texts}`,
        'texts',
      );
    const results: ScoreResult[] = [];
    // An array's results are all kept anyway, so duplicates across windows are scored once too.
    for await (const window of this.windows(texts, options, (i) => `texts[${i}]`, new Map()))
      results.push(...window);
    return results;
  }

  scoreStream(
    texts: Iterable<string> | AsyncIterable<string>,
    options: ScoreCallOptions = {},
    label: (index: number) => string = (i) => `texts[${i}]`,
  ): AsyncGenerator<ScoreResult[]> {
    return this.windows(texts, options, label, undefined);
  }

  /**
   * The pipeline. Texts are read in windows of `WINDOW_BATCHES · batch`; a window's cache misses are
   * tokenised (on the worker when the pipeline is on, up to `AHEAD` windows ahead of the one running),
   * then — on the main thread, in window order — re-checked against the cache (an earlier window may
   * have scored the same text), sorted by length, cut into batches (length buckets) and run. Window and
   * batch composition do not depend on where or when tokenising happened, so results are identical with
   * the pipeline on or off.
   */
  private async *windows(
    texts: Iterable<string> | AsyncIterable<string>,
    options: ScoreCallOptions,
    label: (index: number) => string,
    seen: Map<string, ScoreResult> | undefined,
  ): AsyncGenerator<ScoreResult[]> {
    if (this.closed) throw new MechlabError('ERR_INVALID_INPUT', 'scorer: already closed', 'scorer');
    const opts = parseWithSchema(scoreCallOptionsSchema, options, 'options');
    const L = opts.tokens ?? this.defaults.tokens;
    const batch = opts.batch ?? this.defaults.batch;
    if (this.tokenizer.bosId === undefined && L < 2) {
      throw new MechlabError(
        'ERR_OUT_OF_RANGE',
        `tokens must be ≥ 2 when the model has no BOS token, got ${L}`,
        'tokens',
      );
    }
    this.checkShape(L, batch);
    const iterable: unknown = texts;
    if (
      iterable === null ||
      typeof iterable !== 'object' ||
      !(Symbol.asyncIterator in iterable || Symbol.iterator in iterable)
    ) {
      throw new MechlabError(
        'ERR_INVALID_TYPE',
        `texts must be an iterable of strings, got ${iterable === null ? 'null' : typeof iterable}`,
        'texts',
      );
    }
    const iterator = Symbol.asyncIterator in texts ? texts[Symbol.asyncIterator]() : texts[Symbol.iterator]();
    const size = WINDOW_BATCHES * batch;
    const queue: Window[] = [];
    let start = 0;
    let exhausted = false;
    try {
      for (;;) {
        // Keep up to AHEAD windows tokenising while this one runs (only the worker makes that useful).
        const ahead = this.pipeline ? AHEAD : 0;
        while (!exhausted && queue.length <= ahead) {
          const w = await this.formWindow(iterator, start, size, L, label, queue.length > 0);
          if (w === undefined) exhausted = true;
          else {
            queue.push(w);
            start += w.results.length;
          }
        }
        const w = queue.shift();
        if (w === undefined) return;
        yield await this.runWindow(w, L, batch, label, seen);
      }
    } catch (e) {
      // Shut the worker down on any failure; a later call starts a fresh one.
      await this.stopWorker();
      throw e;
    } finally {
      for (const w of queue) w.ids.catch(() => undefined); // abandoned windows: nothing to report
    }
  }

  /**
   * Read up to `size` texts, answer cache hits, dedupe, and start tokenising the misses.
   * `behind`: a window is already waiting to run, so this one may go to the worker.
   */
  private async formWindow(
    iterator: Iterator<string> | AsyncIterator<string>,
    start: number,
    size: number,
    L: number,
    label: (index: number) => string,
    behind: boolean,
  ): Promise<Window | undefined> {
    const t0 = performance.now();
    const bos = this.tokenizer.bosId;
    const results: (ScoreResult | undefined)[] = [];
    const misses: Miss[] = [];
    const duplicates: [number, number][] = [];
    const firstByKey = new Map<string, number>();
    while (results.length < size) {
      const next = await iterator.next();
      if (next.done === true) break;
      const k = results.length;
      const i = start + k;
      const text: unknown = next.value;
      results.push(undefined);
      if (typeof text !== 'string') {
        throw new MechlabError(
          'ERR_INVALID_TYPE',
          `${label(i)} must be a non-empty string, got ${typeof text}`,
          label(i),
        );
      }
      if (text.length === 0)
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `${label(i)} must be a non-empty string, got ""`,
          label(i),
        );
      const key = cacheKey(textHash(text), L, bos);
      const hit = this.cache?.get(key);
      if (hit !== undefined) {
        results[k] = { status: 'cached', ...hit };
        continue;
      }
      const first = firstByKey.get(key);
      if (first !== undefined) {
        duplicates.push([k, first]);
        continue;
      }
      firstByKey.set(key, k);
      misses.push({ local: k, key, text });
    }
    if (results.length === 0) return undefined;
    const encoder = behind && misses.length > 0 ? this.workerEncoder() : this.inline;
    if (encoder.kind === 'worker') this.timing.workerWindows++;
    const ids = encoder.encode(
      misses.map((m) => m.text),
      L,
    );
    ids.catch(() => undefined); // awaited in runWindow; never an unhandled rejection meanwhile
    this.timing.tokenizeMs += performance.now() - t0;
    return { start, results, misses, duplicates, ids };
  }

  private workerEncoder(): WindowEncoder {
    this.worker ??= new WorkerEncoder({ dir: this.dir, bos: this.bos });
    return this.worker;
  }

  private async stopWorker(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.close();
  }

  private async runWindow(
    w: Window,
    L: number,
    batch: number,
    label: (index: number) => string,
    seen: Map<string, ScoreResult> | undefined,
  ): Promise<ScoreResult[]> {
    const t0 = performance.now();
    const bos = this.tokenizer.bosId;
    let ids: Int32Array[];
    try {
      ids = await w.ids;
    } catch (e) {
      if (!(e instanceof WindowEncodeError)) throw e;
      const field = e.index < 0 ? 'model' : label(w.start + w.misses[e.index]!.local);
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        e.index < 0 ? e.message : `${field}: the tokenizer failed (${e.message})`,
        field,
      );
    }
    const misses: Prepared[] = [];
    w.misses.forEach((m, k) => {
      // Scored since this window was formed (by an earlier window): the cache first, as a window
      // formed after that one would have found it there; then this call's own results.
      const hit = this.cache?.get(m.key);
      if (hit !== undefined) return void (w.results[m.local] = { status: 'cached', ...hit });
      const earlier = seen?.get(m.key);
      if (earlier !== undefined) return void (w.results[m.local] = earlier);
      const at = label(w.start + m.local);
      const got = ids[k]!;
      if (got.length === 0) throw new MechlabError('ERR_INVALID_INPUT', `${at} has no tokens`, at);
      if (bos === undefined && got.length < 2) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `${at} has 1 token; without a BOS token perplexity needs ≥ 2`,
          at,
        );
      }
      for (const id of got) {
        if (id >= this.tokenizer.vocabSize)
          throw new MechlabError('ERR_INVALID_INPUT', `${at}: token id ${id} outside the vocabulary`, at);
      }
      const fed = new Int32Array(bos === undefined ? got.length - 1 : got.length);
      if (bos === undefined) fed.set(got.subarray(0, -1));
      else {
        fed[0] = bos;
        fed.set(got.subarray(0, -1), 1);
      }
      misses.push({
        index: m.local,
        key: m.key,
        inputs: fed,
        targets: bos === undefined ? got.subarray(1) : got,
        tokens: got.length,
      });
    });
    this.timing.tokenizeMs += performance.now() - t0;

    // Longest first: batches of similar length waste little padding (the length buckets).
    const order = misses.sort((a, b) => b.targets.length - a.targets.length || a.index - b.index);
    for (let s = 0; s < order.length; s += batch) {
      const group = order.slice(s, s + batch);
      const scores = await this.runBatch(group, (k) => label(w.start + k));
      const tc = performance.now();
      const entries: [string, CachedScore][] = [];
      group.forEach((p, k) => {
        const sc = scores[k]!;
        const r: ScoreResult = {
          status: 'scored',
          ...sc,
          provider: this.model.provider,
          backend: this.backendName,
          backendMode: this.backendMode,
        };
        w.results[p.index] = r;
        seen?.set(p.key, r);
        if (Number.isFinite(sc.perplexity)) entries.push([p.key, sc]);
      });
      this.cache?.putMany(entries);
      this.timing.cacheMs += performance.now() - tc;
    }
    for (const [k, first] of w.duplicates) w.results[k] = w.results[first];
    return w.results.map((r, k) => {
      if (r === undefined) throw new Error(`internal: ${label(w.start + k)} was not scored`);
      return r;
    });
  }

  private async runBatch(group: readonly Prepared[], at: (local: number) => string): Promise<CachedScore[]> {
    const tp = performance.now();
    const B = group.length;
    let S = 0;
    for (const p of group) S = Math.max(S, p.inputs.length);
    const n = B * S;
    const graph = this.reduction === undefined;
    const t = this.tensors.get(B, S, this.checkedWidth);
    if (this.targets32.length < n) {
      this.targets32 = new Int32Array(n);
      this.mask8 = new Uint8Array(n);
    }
    const targets = this.targets32.subarray(0, n);
    const mask = this.mask8.subarray(0, n);
    const pad = this.tokenizer.bosId ?? 0;
    // Every entry is written: the reused tensors hold the previous batch of this shape.
    for (let b = 0; b < B; b++) {
      const p = group[b]!;
      const len = p.inputs.length;
      for (let s = 0; s < S; s++) {
        const r = b * S + s;
        const real = s < len;
        put(t.ids, r, real ? p.inputs[s]! : pad);
        put(t.mask, r, real ? 1 : 0);
        if (t.positions !== undefined) put(t.positions, r, real ? s : 1);
        targets[r] = real ? p.targets[s]! : 0;
        if (t.targets !== undefined) t.targets[r] = BigInt(targets[r]!);
        mask[r] = real ? 1 : 0;
      }
    }
    this.timing.packMs += performance.now() - tp;

    const tr = performance.now();
    let output: ort.InferenceSession.ReturnType;
    try {
      output = await this.model.session.run(t.feeds, t.fetches, { logSeverityLevel: 4 });
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
      const dims =
        t.outShape !== undefined
          ? Array.from(t.outShape, Number)
          : shape === undefined
            ? []
            : Array.from(shape.data as BigInt64Array, Number);
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
      lp = t.out ?? (out.data as Float32Array);
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
      const data = t.out ?? (logits.data as Float32Array);
      lp = await this.reduction!.logProbs(data, { batch: B, seq: S, vocab: width }, targets, mask);
      if (t.out === undefined) logits.dispose();
    }
    // Float64 sums over the per-position log-probabilities (float32 from the graph).
    const { sum, count } = meanLogProbs(lp, { batch: B, seq: S }, mask);
    this.timing.reduceMs += performance.now() - tre;
    this.timing.batches++;
    this.timing.positions += B * S;

    return group.map((p, b) => {
      const meanNll = -sum[b]! / count[b]!;
      if (Number.isNaN(meanNll)) {
        throw new MechlabError('ERR_INVALID_INPUT', `model: non-finite logits for ${at(p.index)}`, 'model');
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
    await this.stopWorker();
    await this.model.session.release();
    await this.reduction?.dispose();
  }
}
