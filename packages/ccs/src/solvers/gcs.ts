/**
 * GCS — Greedy Cost Selection (MODELS.md §1.3.4; seed 004 §5.2, Algorithm 2, Theorem 12).
 *
 * Sort players by cost (ascending, ties by index). For `k = n, n−1, …, 1` let `T_k` be the `k` cheapest
 * and give each `i ∈ T_k` its tight portion `c_i / D_i(T_k)`, `D_i(T_k) = θ_i + Σ_{j∈T_k∖i} w_{ji}`;
 * return the first (largest) `k` whose portions are finite and sum to ≤ 1. If no `k` works, `p = 0`.
 *
 * Incremental bookkeeping, O(n log n + |E|) overall (never O(n³)):
 * - the denominators start at `θ_i + Σ_j w_{ji}` and, when the most expensive player `r` of `T_k` is
 *   dropped, only `r`'s out-neighbours lose `w_{ri}`;
 * - the sum is kept as (number of terms > 1, compensated sum of the terms ≤ 1). A term > 1 (including
 *   `c_i > 0` with a zero denominator) makes `T_k` infeasible on its own, so huge terms never enter the
 *   float sum — otherwise adding and later removing `c/1e-17` would wipe out its precision. The small
 *   terms are accumulated with Neumaier's compensated summation (error ≈ 2⁻⁵² · Σ|updates| ≈ 1e-9 even
 *   for n = 10⁶, |E| = 2·10⁶).
 * - the running sum is only a filter (`≤ 1 + 1e-6`); a candidate is confirmed by recomputing its
 *   denominators and sum from scratch over `T_k` (`O(k + |E|)`), and the returned portions are those
 *   exact ones, so float drift never reaches the answer.
 * Zero-cost players need portion 0 (ties → effort 1), so their term is 0 even with a zero denominator.
 */
import type { CcsInstance } from '../instance';
import {
  SUM_TOL,
  clampBudget,
  finishSolution,
  requireBinary,
  type CcsSolution,
  type CcsSolver,
  type CcsSolverOptions,
} from './common';

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { abs } = Math;

/** Result of {@link gcsPortions}. */
export interface GcsDesign {
  /** Tight portions on `T_k`, zero elsewhere (all zero when no `k` is feasible). */
  readonly p: Float64Array;
  /** `k` = |T_k| of the returned set (0 when none is feasible). */
  readonly k: number;
  /** Players sorted by cost ascending, ties by index (`T_k` = the first `k`). */
  readonly order: Int32Array;
}

/** Filter slack for the running sum; confirmation uses {@link SUM_TOL}. Far above the drift bound. */
const FILTER_TOL = 1e-6;

/**
 * Greedy Cost Selection portions (Algorithm 2) with incremental denominators.
 *
 * Complexity: O(n log n + |E|) time — O(n + |E|) apart from the sort, which is an O(n) radix sort
 * for n > 2048 — plus O(k + |E|) per confirmed candidate (normally one); O(n) extra memory.
 *
 * @throws MechlabError `ERR_INVALID_INPUT` unless linear cost + graph quality.
 * @see MODELS.md §1.3.4; seed 004 Algorithm 2, Theorem 12, Corollary 14.
 * @example
 * gcsPortions(createCcsInstance({ theta: [1, 1, 1], cost: [0.2, 0.4, 0.9] }))
 * // → { p: [0.2, 0.4, 0], k: 2, order: [0, 1, 2] }   (k = 3 needs 1.5 > 1)
 */
export function gcsPortions(inst: CcsInstance): GcsDesign {
  requireBinary(inst, 'gcs');
  const { n, theta, cost, graph } = inst;
  const { inStart, inWeight, outStart, outTo, outWeight } = graph;
  const order = sortIndicesByKey(cost);

  // Per-player state interleaved as (cost, denominator) pairs so that touching a player costs one
  // cache line: the removal loop is memory-bound (random neighbours) at n = 10⁶. A removed player's
  // cost slot is set to -1 (real costs are ≥ 0).
  const cd = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    let d = theta[i]!;
    for (let e = inStart[i]!; e < inStart[i + 1]!; e++) d += inWeight[e]!;
    cd[2 * i] = cost[i]! + 0;
    cd[2 * i + 1] = d;
  }
  // Running sum state: `big` terms (> 1) are counted, small ones summed with compensation in acc.
  let big = 0;
  const acc = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    const t = termOf(cd[2 * i]!, cd[2 * i + 1]!);
    if (t < 0) big++;
    else neumaier(acc, t);
  }

  const p = new Float64Array(n);
  for (let k = n; k >= 1; k--) {
    if (big === 0 && acc[0]! + acc[1]! <= 1 + FILTER_TOL && confirm(inst, order, k, cd, p)) {
      clampBudget(p);
      return { p, k, order };
    }
    // Drop r, the most expensive member of T_k.
    const r = order[k - 1]!;
    const tr = termOf(cd[2 * r]!, cd[2 * r + 1]!);
    if (tr < 0) big--;
    else neumaier(acc, -tr);
    cd[2 * r] = -1;
    for (let e = outStart[r]!; e < outStart[r + 1]!; e++) {
      const i2 = 2 * outTo[e]!;
      const c = cd[i2]!;
      if (c < 0) continue; // already dropped
      const before = termOf(c, cd[i2 + 1]!);
      const d = cd[i2 + 1]! - outWeight[e]!;
      cd[i2 + 1] = d;
      const after = termOf(c, d);
      if (before === after) continue;
      if (before < 0) big--;
      else neumaier(acc, -before);
      if (after < 0) big++;
      else neumaier(acc, after);
    }
  }
  // No k is feasible (every single cheapest player alone needs more than the whole budget).
  p.fill(0);
  return { p, k: 0, order };
}

/** Tight-portion term `c / d`, or -1 for a "big" term (> 1, including `c > 0` with `d ≤ 0`). */
function termOf(c: number, d: number): number {
  return c <= 0 ? 0 : c > d ? -1 : c / d;
}

/** Neumaier-compensated `acc[0] += x` with the running compensation in `acc[1]`. */
function neumaier(acc: Float64Array, x: number): void {
  const s = acc[0]!;
  const t = s + x;
  acc[1]! += abs(s) >= abs(x) ? s - t + x : x - t + s;
  acc[0] = t;
}

/**
 * Recompute `T_k`'s denominators from scratch; if its tight portions are finite and sum to
 * ≤ 1 + SUM_TOL, write them into `p` (zero outside `T_k`) and return true. O(k + |E(T_k)|).
 */
function confirm(
  inst: CcsInstance,
  order: Int32Array,
  k: number,
  cd: Float64Array,
  p: Float64Array,
): boolean {
  const { theta, cost, graph } = inst;
  const { inStart, inFrom, inWeight } = graph;
  p.fill(0);
  let s = 0;
  let comp = 0;
  for (let t = 0; t < k; t++) {
    const i = order[t]!;
    const c = cost[i]!;
    if (c <= 0) continue;
    let d = theta[i]!;
    for (let e = inStart[i]!; e < inStart[i + 1]!; e++) {
      if (cd[2 * inFrom[e]!]! >= 0) d += inWeight[e]!;
    }
    if (!(d > 0)) return false;
    const x = c / d;
    p[i] = x;
    const u = s + x;
    comp += abs(s) >= abs(x) ? s - u + x : x - u + s;
    s = u;
  }
  return s + comp <= 1 + SUM_TOL;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Indices `0..n-1` sorted by `keys` ascending, ties by index (stable). Keys must be non-negative and
 * not NaN (costs are validated ≥ 0); `-0` is treated as `+0`.
 *
 * For n > 2048 an LSD radix sort on the IEEE-754 bit pattern (non-negative doubles order like their
 * unsigned bit patterns): four 16-bit passes, O(n) time, O(n) extra memory. Smaller inputs use the
 * comparison sort with the same ordering.
 */
export function sortIndicesByKey(keys: Float64Array): Int32Array {
  const n = keys.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (n <= 2048) {
    return idx.sort((a, b) => {
      const ka = keys[a]!,
        kb = keys[b]!;
      return ka < kb ? -1 : ka > kb ? 1 : a - b;
    });
  }
  // Carry the two 32-bit halves of each key along with the index so every pass reads sequentially
  // (indexing the keys through the permutation costs a cache miss per element).
  const k64 = new Float64Array(n);
  for (let i = 0; i < n; i++) k64[i] = keys[i]! + 0; // -0 + 0 = +0
  const words = new Uint32Array(k64.buffer);
  const lo = LITTLE_ENDIAN ? 0 : 1;
  let srcLo = new Uint32Array(n);
  let srcHi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    srcLo[i] = words[2 * i + lo]!;
    srcHi[i] = words[2 * i + 1 - lo]!;
  }
  let src = idx;
  let dst = new Int32Array(n);
  let dstLo = new Uint32Array(n);
  let dstHi = new Uint32Array(n);
  const count = new Int32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const digits = pass < 2 ? srcLo : srcHi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let t = 0; t < n; t++) count[((digits[t]! >>> shift) & 0xffff) + 1]!++;
    if (count[1 + ((digits[0]! >>> shift) & 0xffff)] === n) continue; // one bucket: order unchanged
    for (let b = 0; b < 65536; b++) count[b + 1]! += count[b]!;
    for (let t = 0; t < n; t++) {
      const at = count[(digits[t]! >>> shift) & 0xffff]!++;
      dst[at] = src[t]!;
      dstLo[at] = srcLo[t]!;
      dstHi[at] = srcHi[t]!;
    }
    const tmp32 = src;
    src = dst;
    dst = tmp32;
    let tmpU = srcLo;
    srcLo = dstLo;
    dstLo = tmpU;
    tmpU = srcHi;
    srcHi = dstHi;
    dstHi = tmpU;
  }
  return src;
}

/**
 * The GCS solver behind the {@link CcsSolver} interface (`algo: 'gcs'`).
 * @throws see {@link gcsPortions}.
 */
export const gcsSolver: CcsSolver = {
  algo: 'gcs',
  backend: 'ts',
  solve(inst: CcsInstance, _opts: CcsSolverOptions): CcsSolution {
    const r = gcsPortions(inst);
    return finishSolution(inst, 'gcs', r.p, { targeted: r.k });
  },
};
