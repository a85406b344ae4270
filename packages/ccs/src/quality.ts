/**
 * Quality, cost and welfare of the CCS game (MODELS.md §1.1; seed 004 §2, Examples 1–2, Eq. (1)).
 *
 * Two layers: the exported functions validate their inputs and name the offending field; the
 * `…Unchecked` twins (module exports, not part of the package API) are the hot-path kernels used by the
 * best-response, equilibrium and stability code, which validate once at their own boundary.
 */
import { rangeError, typeError } from '@mechlab/core';
import type { CcsInstance } from './instance';

// ---------------------------------------------------------------------------------------------------
// Validation helpers (shared by the CCS game modules). Hand-written, not zod (hot path): they run on
// every call of the game functions — quality, utility, best response — which users and the stability
// search call inside loops, over effort profiles that are typed arrays of up to 10⁶ entries, where
// zod's element-wise parse costs ~50× these loops (validate.ts). Messages follow the converter's
// `<field> must be <expected>, got <value>`.
// ---------------------------------------------------------------------------------------------------

/** @internal Throw unless `i` is an integer player index of `inst`. O(1). */
export function checkPlayer(inst: CcsInstance, i: number, field = 'i'): void {
  if (typeof i !== 'number' || !Number.isInteger(i)) throw typeError(field, 'an integer player index', i);
  if (i < 0 || i >= inst.n) throw rangeError(field, `a player index in [0, ${inst.n - 1}]`, i);
}

/** @internal Throw unless `v` is a number in [0, 1]. O(1). */
export function checkEffort(field: string, v: unknown): void {
  if (typeof v !== 'number' || Number.isNaN(v)) throw typeError(field, 'a number', v);
  if (!(v >= 0 && v <= 1)) throw rangeError(field, 'in [0, 1]', v);
}

/** @internal Throw unless `x` is an effort profile of `inst` (length n, every entry in [0, 1]). O(n). */
export function checkProfile(inst: CcsInstance, x: ArrayLike<number>, field = 'x'): void {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw typeError(field, `an array of ${inst.n} efforts`, x);
  }
  if (x.length !== inst.n) throw rangeError(`${field}.length`, `${inst.n} (one effort per player)`, x.length);
  for (let j = 0; j < x.length; j++) checkEffort(`${field}[${j}]`, x[j]);
}

// ---------------------------------------------------------------------------------------------------
// Kernels
// ---------------------------------------------------------------------------------------------------

/**
 * @internal Graph spillover term `D_i(x) = θ_i + Σ_{j≠i} w_{ji} x_j` (Example 2): `q_i = x_i · D_i`.
 * Recomputed from the CSR in-list each call so iterative callers never accumulate drift. O(in-deg(i)).
 */
export function spilloverDenominator(inst: CcsInstance, x: ArrayLike<number>, i: number): number {
  const { inStart, inFrom, inWeight } = inst.graph;
  let d = inst.theta[i]!;
  for (let k = inStart[i]!; k < inStart[i + 1]!; k++) d += inWeight[k]! * x[inFrom[k]!]!;
  return d;
}

/** @internal `Σ_j x_j` (the scaling-law data volume, Example 1). O(n). */
export function effortSum(x: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += x[j]!;
  return s;
}

/**
 * @internal Scaling-law quality of a player with scale `a` and own effort `t` when the total effort is
 * `total` (which includes `t`): `a · t · (1 − (D_c / (D_0 + total))^α)` (Example 1). O(1).
 */
export function scalingQuality(
  a: number,
  t: number,
  total: number,
  alpha: number,
  dc: number,
  d0: number,
): number {
  return a * t * (1 - Math.pow(dc / (d0 + total), alpha));
}

/** @internal `q_i(x)` without validation. O(in-deg(i)) for graph quality, O(n) for the scaling law. */
export function qualityUnchecked(inst: CcsInstance, x: ArrayLike<number>, i: number): number {
  const xi = x[i]!;
  const qm = inst.quality;
  if (qm.kind === 'graph') return xi === 0 ? 0 : xi * spilloverDenominator(inst, x, i);
  return scalingQuality(qm.a[i]!, xi, effortSum(x, inst.n), qm.alpha, qm.dc, qm.d0);
}

/** @internal All qualities into `out` without validation. O(n + |E|). */
export function qualitiesUnchecked(inst: CcsInstance, x: ArrayLike<number>, out: Float64Array): Float64Array {
  const n = inst.n;
  const qm = inst.quality;
  if (qm.kind === 'graph') {
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      out[i] = xi === 0 ? 0 : xi * spilloverDenominator(inst, x, i);
    }
  } else {
    // The data volume is shared by every player: compute it once, not n times.
    const total = effortSum(x, n);
    const factor = 1 - Math.pow(qm.dc / (qm.d0 + total), qm.alpha);
    for (let i = 0; i < n; i++) out[i] = qm.a[i]! * x[i]! * factor;
  }
  return out;
}

/** @internal `c_i(t)` without validation. O(1). */
export function effortCostUnchecked(inst: CcsInstance, i: number, t: number): number {
  const c = inst.cost[i]!;
  return inst.costFamily === 'linear' ? c * t : 0.5 * c * t * t;
}

// ---------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------

/**
 * Quality `q_i(x)` of player `i` at effort profile `x` (MODELS.md §1.1; seed 004 §2.1):
 * graph (Example 2) `x_i (θ_i + Σ_{j≠i} w_{ji} x_j)`; scaling law (Example 1)
 * `a_i x_i (1 − (D_c / (D_0 + Σ_j x_j))^α)`.
 *
 * Complexity O(n) (the profile is validated; the evaluation itself is O(in-deg(i)) for graph quality).
 * @throws MechlabError `ERR_INVALID_TYPE` / `ERR_OUT_OF_RANGE` naming `i`, `x.length` or `x[j]`.
 * @example
 * const inst = createCcsInstance({ theta: [1, 0.5], cost: [0, 0], edges: [[0, 1, 2]] });
 * quality(inst, [1, 0.5], 1); // → 0.5 · (0.5 + 2·1) = 1.25
 */
export function quality(inst: CcsInstance, x: ArrayLike<number>, i: number): number {
  checkPlayer(inst, i);
  checkProfile(inst, x);
  return qualityUnchecked(inst, x, i);
}

/**
 * All qualities `q(x)` (MODELS.md §1.1), written into `out` when given (length n) so loops can reuse it.
 *
 * Complexity O(n + |E|) time, no allocation when `out` is supplied.
 * @throws MechlabError naming `x…` or `out.length`.
 * @example
 * qualities(createCcsInstance({ theta: [1, 0.5], cost: [0, 0], edges: [[0, 1, 2]] }), [1, 0.5]);
 * // → Float64Array [1, 1.25]
 */
export function qualities(inst: CcsInstance, x: ArrayLike<number>, out?: Float64Array): Float64Array {
  checkProfile(inst, x);
  if (out !== undefined && out.length !== inst.n) {
    throw rangeError('out.length', `${inst.n} (one slot per player)`, out.length);
  }
  return qualitiesUnchecked(inst, x, out ?? new Float64Array(inst.n));
}

/**
 * Graph-quality social welfare `SW(x) = Σ_i x_i (θ_i + Σ_j w_{ji} x_j)`, recomputed from scratch
 * (no incremental drift). O(n + |E|).
 */
export function graphWelfare(inst: CcsInstance, x: ArrayLike<number>): number {
  const { n, theta, graph } = inst;
  const { inStart, inFrom, inWeight } = graph;
  let sw = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    let d = theta[i]!;
    for (let k = inStart[i]!; k < inStart[i + 1]!; k++) d += inWeight[k]! * x[inFrom[k]!]!;
    sw += xi * d;
  }
  return sw;
}

/**
 * Social welfare `SW(x) = Σ_i q_i(x)` (MODELS.md §1.1; seed 004 §2 "Social Welfare"). Graph quality
 * reuses {@link graphWelfare} so both code paths agree to the last bit.
 *
 * Complexity O(n + |E|).
 * @throws MechlabError naming `x…`.
 * @example
 * welfare(createCcsInstance({ theta: [1, 0.5], cost: [0, 0], edges: [[0, 1, 2]] }), [1, 1]); // → 3.5
 */
export function welfare(inst: CcsInstance, x: ArrayLike<number>): number {
  checkProfile(inst, x);
  return welfareUnchecked(inst, x);
}

/** @internal {@link welfare} without validation. O(n + |E|). */
export function welfareUnchecked(inst: CcsInstance, x: ArrayLike<number>): number {
  const qm = inst.quality;
  if (qm.kind === 'graph') return graphWelfare(inst, x);
  const factor = 1 - Math.pow(qm.dc / (qm.d0 + effortSum(x, inst.n)), qm.alpha);
  let sw = 0;
  for (let i = 0; i < inst.n; i++) sw += qm.a[i]! * x[i]!;
  return sw * factor;
}

/**
 * Effort cost `c_i(x_i)` (MODELS.md §1.1): linear `c_i · x_i` (the paper's algorithms) or quadratic
 * `c_i · x_i² / 2` (the spec's [choice]).
 *
 * Complexity O(1).
 * @throws MechlabError naming `i` or `xi` (must lie in [0, 1]).
 * @example
 * effortCost(createCcsInstance({ theta: [1], cost: [0.5], costFamily: 'quadratic' }), 0, 0.5); // → 0.0625
 */
export function effortCost(inst: CcsInstance, i: number, xi: number): number {
  checkPlayer(inst, i);
  checkEffort('xi', xi);
  return effortCostUnchecked(inst, i, xi);
}
