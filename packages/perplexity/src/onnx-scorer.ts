/**
 * The ONNX Runtime implementation of {@link Scorer}: batching, padding, the forward pass and the
 * reduction (the formula and padding rules are in scorer.ts's header, MODELS.md §3).
 */
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { MechlabError, parseWithSchema } from '@mechlab/core';
import { cacheKey, ScoreCache, textHash, type CachedScore } from './cache';
import { LOGITS_SHAPE_OUTPUT, LOGPROBS_OUTPUT, TARGETS_INPUT } from './graph-reduction';
import { meanLogProbs, type ReductionBackend } from './reduction/backend';
import { scoreCallOptionsSchema } from './schemas';
import type { OpenedModel } from './session';
import type { LoadedTokenizer } from './tokenizer';
import { IdBuffer, put } from './id-buffer';
import { readContextLength } from './context-length';
import type {
  PipelineTimings,
  ScoreCallOptions,
  ScoreResult,
  Scorer,
  ScorerBackendName,
  ScorerInfo,
} from './scorer-types';

interface Prepared {
  readonly index: number;
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
