/**
 * The Content Creation with Spillovers instance (MODELS.md §1.1; seed 004 §2).
 *
 * The spillover graph is stored twice in CSR form — by target (incoming edges, to evaluate
 * `θ_i + Σ_j w_{ji} x_j`) and by source (outgoing edges, to update denominators incrementally when a
 * player drops out) — as typed arrays so hot loops never allocate.
 */
import { MechlabError, parseWithSchema, rangeError, typeError } from '@mechlab/core';
import { z } from 'zod';
import { notBelow } from './validate';

export type CostFamily = 'linear' | 'quadratic';

/** Quality families of MODELS.md §1.1. */
export type QualityModel =
  /** Example 2: `q_i(x) = x_i (θ_i + Σ_{j≠i} w_{ji} x_j)`. */
  | { readonly kind: 'graph' }
  /** Example 1: `q_i(x) = a_i x_i (1 − (D_c / (D_0 + Σ_j x_j))^α)`. */
  | {
      readonly kind: 'scaling-law';
      readonly a: Float64Array;
      readonly alpha: number;
      readonly dc: number;
      readonly d0: number;
    };

/** Directed weighted spillover graph, CSR by target and by source. Edge `j→i` with weight `w_{ji}`. */
export interface SpilloverGraph {
  readonly n: number;
  readonly edgeCount: number;
  /** Incoming edges of `i` are `inStart[i] .. inStart[i+1]-1`. */
  readonly inStart: Int32Array;
  readonly inFrom: Int32Array;
  readonly inWeight: Float64Array;
  /** Outgoing edges of `j` are `outStart[j] .. outStart[j+1]-1`. */
  readonly outStart: Int32Array;
  readonly outTo: Int32Array;
  readonly outWeight: Float64Array;
}

export interface CcsInstance {
  readonly n: number;
  /** Stand-alone quality θ_i ≥ 0 (graph quality). */
  readonly theta: Float64Array;
  /** Cost coefficient c_i ≥ 0: `c_i x` (linear) or `c_i x²/2` (quadratic). */
  readonly cost: Float64Array;
  readonly costFamily: CostFamily;
  readonly graph: SpilloverGraph;
  readonly quality: QualityModel;
}

/** Edge triple `[from, to, w]`: spillover from `from` into `to`'s quality. */
export type Edge = readonly [number, number, number];

export interface CcsInstanceInput {
  theta: ArrayLike<number>;
  cost: ArrayLike<number>;
  edges?: ArrayLike<Edge>;
  costFamily?: CostFamily;
  quality?:
    QualityModel | { kind: 'scaling-law'; a: ArrayLike<number>; alpha?: number; dc?: number; d0?: number };
}

/** Scaling-law defaults of MODELS.md §1.1. */
export const SCALING_LAW_DEFAULTS = { alpha: 0.095, dc: 1, d0: 2 } as const;

/**
 * The boundary schema of an instance's scalar parts: the cost family and the quality model (MODELS.md
 * §1.1; scaling-law defaults {@link SCALING_LAW_DEFAULTS}). The per-player arrays (θ, c, a) and the
 * edges are checked by hand below: hot path — they may be typed arrays of 10⁶ entries, where zod's
 * element-wise parse costs ~50× these loops (validate.ts).
 */
const instanceOptionsSchema = z.object({
  costFamily: z.enum(['linear', 'quadratic']).default('linear'),
  quality: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('graph') }),
      z
        .object({
          kind: z.literal('scaling-law'),
          a: z.custom<ArrayLike<number>>(
            (v) =>
              v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number',
            { message: 'must be an array of numbers in (0, 1]', params: { mechlab: 'ERR_INVALID_TYPE' } },
          ),
          alpha: z.number().gt(0).lt(1).default(SCALING_LAW_DEFAULTS.alpha),
          dc: z.number().gt(0).default(SCALING_LAW_DEFAULTS.dc),
          d0: z.number().default(SCALING_LAW_DEFAULTS.d0),
        })
        .superRefine(notBelow('d0', 'dc')),
    ])
    .optional(),
});

/**
 * Build and validate a CCS instance. Throws `MechlabError` naming the field (`theta[2]`, `edges[5][1]`, …).
 * Complexity O(n + |E| log deg) (duplicate detection sorts each adjacency list).
 */
export function createCcsInstance(input: CcsInstanceInput): CcsInstance {
  const n = input.theta.length;
  if (n < 1) throw rangeError('theta', 'a non-empty array', input.theta);
  if (input.cost.length !== n) {
    throw rangeError('cost', `an array of the same length as theta (${n})`, input.cost);
  }
  const theta = toNonNegative('theta', input.theta);
  const cost = toNonNegative('cost', input.cost);
  const { costFamily, quality: qm } = parseWithSchema(instanceOptionsSchema, input, '');
  const graph = buildGraph(n, input.edges ?? []);
  let quality: QualityModel = { kind: 'graph' };
  if (qm?.kind === 'scaling-law') {
    const q = input.quality as { a: ArrayLike<number> };
    if (q.a.length !== n) throw rangeError('quality.a', `an array of length ${n}`, q.a);
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = q.a[i]!;
      if (!(v > 0 && v <= 1)) throw rangeError(`quality.a[${i}]`, 'in (0, 1]', v);
      a[i] = v;
    }
    quality = { kind: 'scaling-law', a, alpha: qm.alpha, dc: qm.dc, d0: qm.d0 };
  }
  return { n, theta, cost, costFamily, graph, quality };
}

/** θ or c as a Float64Array, every entry finite and ≥ 0 (hand-written: see instanceOptionsSchema). O(n). */
function toNonNegative(field: string, xs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    if (typeof v !== 'number' || Number.isNaN(v)) throw typeError(`${field}[${i}]`, 'a number', v);
    if (!(v >= 0) || !Number.isFinite(v)) throw rangeError(`${field}[${i}]`, 'a finite number ≥ 0', v);
    out[i] = v;
  }
  return out;
}

/**
 * Build the CSR spillover graph from `[from, to, w]` triples. Rejects self loops, repeated pairs,
 * out-of-range endpoints and negative or non-finite weights. The per-edge checks are hand-written
 * (hot path: |E| reaches 10⁶–10⁷ on the benchmarks' instances; see instanceOptionsSchema).
 */
export function buildGraph(n: number, edges: ArrayLike<Edge>): SpilloverGraph {
  const m = edges.length;
  const inDeg = new Int32Array(n + 1);
  const outDeg = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    const e = edges[k];
    if (!e || typeof e !== 'object' || e.length !== 3)
      throw typeError(`edges[${k}]`, 'a [from, to, w] triple', e);
    const [from, to, w] = e;
    if (!Number.isInteger(from) || from < 0 || from >= n) {
      throw rangeError(`edges[${k}][0]`, `an integer player index in [0, ${n - 1}]`, from);
    }
    if (!Number.isInteger(to) || to < 0 || to >= n) {
      throw rangeError(`edges[${k}][1]`, `an integer player index in [0, ${n - 1}]`, to);
    }
    if (from === to)
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `edges[${k}] is a self loop on player ${from}`,
        `edges[${k}]`,
      );
    if (typeof w !== 'number' || !(w >= 0) || !Number.isFinite(w)) {
      throw rangeError(`edges[${k}][2]`, 'a finite weight ≥ 0', w);
    }
    inDeg[to + 1]!++;
    outDeg[from + 1]!++;
  }
  for (let i = 0; i < n; i++) {
    inDeg[i + 1]! += inDeg[i]!;
    outDeg[i + 1]! += outDeg[i]!;
  }
  const inStart = inDeg;
  const outStart = outDeg;
  const inFrom = new Int32Array(m);
  const inWeight = new Float64Array(m);
  const outTo = new Int32Array(m);
  const outWeight = new Float64Array(m);
  const inFill = inStart.slice(0, n);
  const outFill = outStart.slice(0, n);
  const edgeIndex = new Int32Array(m); // original index, for error messages
  for (let k = 0; k < m; k++) {
    const [from, to, w] = edges[k]!;
    const a = inFill[to]!++;
    inFrom[a] = from;
    inWeight[a] = w;
    edgeIndex[a] = k;
    const b = outFill[from]!++;
    outTo[b] = to;
    outWeight[b] = w;
  }
  // Repeated pairs: sort each incoming list by source and look for equal neighbours.
  for (let i = 0; i < n; i++) {
    const s = inStart[i]!,
      e = inStart[i + 1]!;
    if (e - s < 2) continue;
    const order = Array.from({ length: e - s }, (_, t) => s + t).sort((x, y) => inFrom[x]! - inFrom[y]!);
    for (let t = 1; t < order.length; t++) {
      if (inFrom[order[t]!] === inFrom[order[t - 1]!]) {
        const k = Math.max(edgeIndex[order[t]!]!, edgeIndex[order[t - 1]!]!);
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `edges[${k}] repeats the pair ${inFrom[order[t]!]}→${i}; each ordered pair may appear once`,
          `edges[${k}]`,
        );
      }
    }
  }
  return { n, edgeCount: m, inStart, inFrom, inWeight, outStart, outTo, outWeight };
}

/** The edges back as `[from, to, w]` triples (ordered by target). */
export function graphEdges(g: SpilloverGraph): Edge[] {
  const out: Edge[] = [];
  for (let i = 0; i < g.n; i++) {
    for (let k = g.inStart[i]!; k < g.inStart[i + 1]!; k++) out.push([g.inFrom[k]!, i, g.inWeight[k]!]);
  }
  return out;
}

/** Is this the setting where best responses are binary (linear cost + graph quality, MODELS.md §1.2)? */
export function hasBinaryBestResponses(inst: CcsInstance): boolean {
  return inst.costFamily === 'linear' && inst.quality.kind === 'graph';
}
