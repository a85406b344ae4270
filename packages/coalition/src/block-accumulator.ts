/** How a coalition pools its members: paradigms (Eq. 10, Table 1) and the per-block accumulator. */
import { MechlabError, parseWithSchema } from '@mechlab/core';
import { paradigmSchema } from './market-schema';
import type { Market, Paradigm } from './market';

const MAX_POOLING = 0;
const AVERAGING = 1;
const MERGING = 2;
const SUPERLINEAR = 0;
const INTERFERENCE = 1;

/** Validated paradigm with defaults filled in. */
interface Resolved {
  kind: number;
  overhead: number;
  sharpness: number;
  effect: number;
  epsilon: number;
  mergeCost: number;
}
function resolveParadigm(market: Market, spec: Paradigm): Resolved {
  const paradigm = parseWithSchema(paradigmSchema, spec, 'paradigm');
  const r: Resolved = { kind: MAX_POOLING, overhead: 0, sharpness: 0, effect: 0, epsilon: 0, mergeCost: 0 };
  switch (paradigm.kind) {
    case 'maxPooling':
      r.overhead = paradigm.overhead ?? 0;
      return r;
    case 'averaging':
      r.kind = AVERAGING;
      r.overhead = paradigm.overhead ?? 0;
      r.sharpness = paradigm.sharpness ?? 0;
      return r;
    case 'merging':
      r.kind = MERGING;
      if (market.costKind === 'api') {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          "paradigm.kind 'merging' needs white-box models (Table 1): the market cost model must be 'gpu' or 'none', got 'api'",
          'paradigm.kind',
        );
      }
      r.effect =
        paradigm.effect === 'superlinear'
          ? SUPERLINEAR
          : paradigm.effect === 'interference'
            ? INTERFERENCE
            : 2;
      r.epsilon = paradigm.epsilon ?? 0.05;
      r.mergeCost = (paradigm.mergeGpuHours ?? 0) * market.gpuPrice;
      return r;
  }
}

/**
 * Per-block, per-domain aggregates of members (internal). Block `b`'s statistics for domain `j` sit
 * at index `b · m + j`; `finish` turns them into the coalition's performance and per-unit net revenue.
 */
export class BlockAccumulator {
  /** Performance of the last finished (block, domain). */
  perf = 0;
  /** Per-unit net revenue of the last finished (block, domain); `-Infinity` when it cannot serve. */
  net = -Infinity;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly c: Float64Array;
  private readonly count: Int32Array;
  private readonly r: Resolved;

  constructor(
    readonly market: Market,
    paradigm: Paradigm,
    maxBlocks: number,
  ) {
    this.r = resolveParadigm(market, paradigm);
    const size = maxBlocks * market.m;
    this.a = new Float64Array(size);
    this.b = new Float64Array(size);
    this.c = new Float64Array(size);
    this.count = new Int32Array(maxBlocks);
  }

  /** Empty the first `blocks` blocks. */
  reset(blocks: number): void {
    const size = blocks * this.market.m;
    this.a.fill(this.r.kind === AVERAGING ? 0 : -Infinity, 0, size);
    this.b.fill(this.r.kind === MERGING ? Infinity : 0, 0, size);
    this.c.fill(0, 0, size);
    this.count.fill(0, 0, blocks);
  }

  /** Add agent `i` to block `block`. */
  add(block: number, i: number): void {
    const { m, perf, net, cost, score } = this.market;
    const { a, b, c } = this;
    this.count[block] = this.count[block]! + 1;
    const base = block * m;
    const row = i * m;
    switch (this.r.kind) {
      case MAX_POOLING:
        for (let j = 0; j < m; j++) {
          const x = net[row + j]!;
          const p = perf[row + j]!;
          if (x > a[base + j]! || (x === a[base + j]! && p > b[base + j]!)) {
            a[base + j] = x;
            b[base + j] = p;
          }
        }
        break;
      case AVERAGING: {
        const kappa = this.r.sharpness;
        for (let j = 0; j < m; j++) {
          const p = perf[row + j]!;
          const w = kappa === 0 ? 1 : Math.pow(p, kappa);
          a[base + j] = a[base + j]! + w;
          b[base + j] = b[base + j]! + w * p;
          c[base + j] = c[base + j]! + w * cost[row + j]!;
        }
        break;
      }
      default:
        for (let j = 0; j < m; j++) {
          const s = score[row + j]!;
          if (s > a[base + j]!) a[base + j] = s;
          if (s < b[base + j]!) b[base + j] = s;
          c[base + j] = c[base + j]! + cost[row + j]!;
        }
    }
  }

  /** Compute `perf` and `net` of block `block` on domain `j`. */
  finish(block: number, j: number): void {
    const { m, alpha, unitValue, frontier } = this.market;
    const k = block * m + j;
    const cnt = this.count[block]!;
    const r = this.r;
    if (cnt === 0) {
      this.perf = 0;
      this.net = -Infinity;
      return;
    }
    switch (r.kind) {
      case MAX_POOLING:
        this.perf = this.b[k]!;
        this.net = this.a[k]! - (cnt >= 2 ? r.overhead : 0);
        return;
      case AVERAGING: {
        const w = this.a[k]!;
        if (w === 0) {
          this.perf = 0;
          this.net = -Infinity;
          return;
        }
        this.perf = this.b[k]! / w;
        this.net =
          alpha * unitValue[j]! * this.perf - (1 - alpha) * (this.c[k]! / w) - (cnt >= 2 ? r.overhead : 0);
        return;
      }
      default: {
        const grow = r.epsilon * (cnt - 1);
        const s =
          r.effect === SUPERLINEAR
            ? Math.min(1, this.a[k]! + grow)
            : r.effect === INTERFERENCE
              ? Math.max(0, this.b[k]! - grow)
              : this.a[k]!;
        const f = frontier[j]!;
        this.perf = f > 0 ? s / f : 0;
        const unitCost = this.c[k]! / cnt + (cnt - 1) * r.mergeCost;
        this.net = alpha * unitValue[j]! * this.perf - (1 - alpha) * unitCost;
      }
    }
  }
}
