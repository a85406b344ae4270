/**
 * Best responses of the CCS game (MODELS.md §1.2; seed 004 §3.2, Theorem 5 and Lemma 15): the exact
 * continuous best response `argmax_{t∈[0,1]} u_i(t, x_{−i})`, and the best response on a finite effort
 * grid used by the stability check.
 *
 * Under PRA every family has an exact method (closed form, endpoint comparison or bisection on the
 * derivative); WTA and Tullock, whose utilities are neither concave nor (for WTA) continuous, use a
 * grid scan plus golden-section refinement.
 */
import { addRangeIssue, arrayLike, parseWithSchema } from '@mechlab/core';
import { z } from 'zod';
import type { CcsInstance } from './instance';
import { utilityUnchecked, validateMechanism, type Mechanism } from './mechanisms';
import { checkPlayer, checkProfile, effortSum, spilloverDenominator } from './quality';

/** The boundary schema of {@link BestResponseOptions}, defaults filled in. */
const bestResponseOptionsSchema = z.object({
  gridPoints: z.number().int().min(3).default(257),
  tol: z.number().gt(0).default(1e-9),
});

/** Options of {@link bestResponse}. Only the numeric path (WTA, Tullock) reads them. */
export interface BestResponseOptions {
  /** Points of the initial uniform scan of `[0, 1]` (default 257, at least 3). */
  gridPoints?: number;
  /** Golden-section stopping width in effort units (default 1e-9, must be > 0). */
  tol?: number;
}

/**
 * Default tolerance of the grid best response and the stability check: a deviation counts only when it
 * improves utility by more than `tol · max(1, |u|)`. 1e-12 is far above the rounding error of a
 * utility (tens of flops on O(1) numbers) and far below any economically meaningful gain.
 */
export const GRID_TOL = 1e-12;

/**
 * Relative tolerance for the binary best-response tie rule `p_i·D_i ≥ c_i` (ties → 1). Solvers set
 * tight portions `p_i = c_i / D_i`, and `p_i·D_i` can then come out one ulp below `c_i`; without this
 * slack a tight player would drop out and cascade. 1e-9 is far above float error for n ≤ 10⁷ and far
 * below any meaningful difference in a portion.
 */
export const TIE_RTOL = 1e-9;

/** Does a player with portion p, denominator D and cost c choose effort 1? (linear cost, graph quality) */
export function isActive(p: number, denom: number, c: number): boolean {
  return p * denom >= c * (1 - TIE_RTOL);
}

/** @internal Is `candidate` a strict improvement over `current` beyond the relative slack `tol`? */
export function improves(candidate: number, current: number, tol: number): boolean {
  return candidate > current + tol * Math.max(1, Math.abs(current));
}

// ---------------------------------------------------------------------------------------------------
// Exact PRA best responses
// ---------------------------------------------------------------------------------------------------

/**
 * @internal PRA best response of player `i` with portion `pi`, given the aggregate of the others:
 * `agg = D_i = θ_i + Σ_{j≠i} w_{ji} x_j` for graph quality, `agg = Σ_{j≠i} x_j` for the scaling law.
 * Ties go to the larger effort (greatest-equilibrium selection, MODELS.md §1.2). O(1) except the
 * scaling-law + quadratic case: bisection to machine precision (~53 halvings for an interior root).
 *
 * Derivations (u(t) = p·q_i(t) − c_i(t)):
 * - graph + linear: `u = t (p D − c)` is linear ⇒ binary, 1 iff `p D ≥ c` (ties → 1, {@link isActive});
 * - graph + quadratic: `u = p D t − c t²/2` is concave ⇒ `min(1, p D / c)`; `c = 0` ⇒ u non-decreasing ⇒ 1;
 * - scaling law: with `s = D_0 + Σ_{j≠i} x_j`, `D = s + t`, `r = (D_c/D)^α`, the own-effort curvature is
 *   `∂²q_i/∂t² = a α r (2D − (1+α) t) / D² > 0` (since `D > t` and `1+α < 2`): quality is CONVEX in own
 *   effort, so golden-section on a concave utility does not apply. Linear cost ⇒ u convex ⇒ the maximum
 *   is at an endpoint: 1 iff `p a (1 − (D_c/(s+1))^α) ≥ c` (ties → 1). Quadratic cost ⇒ `u'' = p a h(t) − c`
 *   with `h(t) = α r (2s + (1−α) t)/(s+t)²` positive and decreasing in t, so `u'` is concave with
 *   `u'(0) = p a (1 − (D_c/s)^α) ≥ 0`: `u' ≥ 0` on an interval `[0, t₀]` and `< 0` after — u is unimodal,
 *   and bisection on the sign of `u'` finds `t₀` to the last ulp (more accurate than golden-section,
 *   whose flat-top limit is ~√ε ≈ 1.5e-8).
 */
export function praBestResponseUnchecked(inst: CcsInstance, pi: number, i: number, agg: number): number {
  const c = inst.cost[i]!;
  const qm = inst.quality;
  if (qm.kind === 'graph') {
    if (inst.costFamily === 'linear') return isActive(pi, agg, c) ? 1 : 0;
    if (c === 0) return 1;
    const t = (pi * agg) / c;
    return t >= 1 ? 1 : t;
  }
  const pa = pi * qm.a[i]!;
  const s = qm.d0 + agg;
  if (inst.costFamily === 'linear') {
    // Convex utility: compare the endpoints u(0) = 0 and u(1) = p a (1 − r(1)) − c.
    return isActive(pa, 1 - Math.pow(qm.dc / (s + 1), qm.alpha), c) ? 1 : 0;
  }
  if (c === 0) return 1;
  if (pa === 0) return 0;
  const { alpha, dc } = qm;
  if (scalingMarginal(pa, c, s, alpha, dc, 1) >= 0) return 1;
  let lo = 0,
    hi = 1;
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (scalingMarginal(pa, c, s, alpha, dc, mid) >= 0) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Marginal utility `u'(t) = p a [(1 − r) + α t r / D] − c t` of the scaling law with quadratic cost,
 * `D = s + t`, `r = (D_c/D)^α`. A plain function (not a closure) so the equilibrium loop allocates nothing.
 */
function scalingMarginal(pa: number, c: number, s: number, alpha: number, dc: number, t: number): number {
  const d = s + t;
  const r = Math.pow(dc / d, alpha);
  return pa * (1 - r + (alpha * t * r) / d) - c * t;
}

/**
 * @internal The aggregate that {@link praBestResponseUnchecked} needs: `D_i(x)` (graph) or
 * `Σ_{j≠i} x_j` (scaling law). O(in-deg(i)) or O(n).
 */
export function praAggregate(inst: CcsInstance, x: ArrayLike<number>, i: number): number {
  if (inst.quality.kind === 'graph') return spilloverDenominator(inst, x, i);
  return effortSum(x, inst.n) - x[i]!;
}

// ---------------------------------------------------------------------------------------------------
// Numeric best response (WTA, Tullock)
// ---------------------------------------------------------------------------------------------------

const INV_PHI = (Math.sqrt(5) - 1) / 2;

/**
 * @internal Maximise `u_i(t, x_{−i})` by a uniform scan with `points` points (ties → the larger t),
 * then golden-section on the two cells around the best scan point, kept only if it is strictly better.
 * `xs` is a mutable working copy of the profile; `xs[i]` is restored. O((points + log(1/tol)) · cost(u)).
 */
function numericBestResponse(
  inst: CcsInstance,
  mech: Mechanism,
  xs: Float64Array,
  i: number,
  qBuf: Float64Array,
  points: number,
  tol: number,
): number {
  const saved = xs[i]!;
  const u = (t: number): number => {
    xs[i] = t;
    return utilityUnchecked(inst, mech, xs, i, qBuf);
  };
  const K = points - 1;
  let bestT = 0,
    bestU = -Infinity;
  for (let k = 0; k <= K; k++) {
    const t = k / K;
    const v = u(t);
    if (v >= bestU) {
      bestU = v;
      bestT = t;
    }
  }
  // Golden-section on [t − h, t + h]: exact for a unimodal cell, a local improvement otherwise.
  let a = Math.max(0, bestT - 1 / K),
    b = Math.min(1, bestT + 1 / K);
  let x1 = b - INV_PHI * (b - a),
    x2 = a + INV_PHI * (b - a);
  let f1 = u(x1),
    f2 = u(x2);
  while (b - a > tol) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + INV_PHI * (b - a);
      f2 = u(x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - INV_PHI * (b - a);
      f1 = u(x1);
    }
  }
  const tRef = f1 >= f2 ? x1 : x2;
  const uRef = Math.max(f1, f2);
  xs[i] = saved;
  return improves(uRef, bestU, GRID_TOL) ? tRef : bestT;
}

/**
 * Best response `argmax_{t∈[0,1]} u_i(t, x_{−i})` of player `i` (MODELS.md §1.2; seed 004 §3.2).
 *
 * - PRA, graph + linear cost: binary, 1 iff `p_i (θ_i + Σ_{j≠i} w_{ji} x_j) ≥ c_i` (ties → 1 via
 *   {@link isActive}, relative slack `TIE_RTOL` = 1e-9) — exact.
 * - PRA, graph + quadratic: `min(1, p_i D_i / c_i)`, `c_i = 0` → 1 — exact.
 * - PRA, scaling law: quality is convex in own effort (see the derivation in the source), so linear cost
 *   ⇒ endpoint comparison (exact, ties → 1); quadratic cost ⇒ unimodal utility, bisection on the
 *   derivative (accurate to ~1 ulp in t).
 * - WTA, Tullock: uniform scan with `gridPoints` points (default 257) plus golden-section refinement to
 *   width `tol` (default 1e-9) around the best scan point. A global maximum is guaranteed only up to
 *   the scan resolution; for WTA the supremum is often not attained at all (the winner wants "the
 *   smallest winning effort", seed 004 Appendix A), and the result is then the best point found.
 *
 * Complexity: O(in-deg(i)) for PRA + graph; O(n) for PRA + scaling law; O((gridPoints + log(1/tol)) ·
 * (n + |E|)) for WTA/Tullock. Validation adds O(n).
 * @throws MechlabError naming `i`, `x…`, `p…`, `opts.gridPoints` or `opts.tol`.
 * @example
 * const inst = createCcsInstance({ theta: [0.5, 0.5], cost: [0.3, 0.3], edges: [[0, 1, 1]] });
 * bestResponse(inst, { kind: 'pra', p: Float64Array.of(0.5, 0.5) }, [1, 1], 1); // → 1  (0.5·1.5 ≥ 0.3)
 */
export function bestResponse(
  inst: CcsInstance,
  mech: Mechanism,
  x: ArrayLike<number>,
  i: number,
  opts: BestResponseOptions = {},
): number {
  checkPlayer(inst, i);
  checkProfile(inst, x);
  validateMechanism(mech, inst.n);
  const { gridPoints: points, tol } = parseWithSchema(bestResponseOptionsSchema, opts, 'opts');
  if (mech.kind === 'pra') return praBestResponseUnchecked(inst, mech.p[i]!, i, praAggregate(inst, x, i));
  return numericBestResponse(inst, mech, Float64Array.from(x), i, new Float64Array(inst.n), points, tol);
}

// ---------------------------------------------------------------------------------------------------
// Grid best response
// ---------------------------------------------------------------------------------------------------

/**
 * Uniform effort grid `{0, 1/(m−1), …, 1}` with `m` points (MODELS.md §1.2: default 21). The points are
 * `k/(m−1)` computed by one division each, so `0` and `1` are exact.
 *
 * Complexity O(m).
 * @throws MechlabError `ERR_INVALID_TYPE` for a non-integer, `ERR_OUT_OF_RANGE` for `m ∉ [2, 2²⁴]`.
 * @example
 * effortGrid(5); // → Float64Array [0, 0.25, 0.5, 0.75, 1]
 */
export function effortGrid(points: number, field = 'grid'): Float64Array {
  const m = parseWithSchema(gridPointsSchema, points, field);
  const g = new Float64Array(m);
  for (let k = 0; k < m; k++) g[k] = k / (m - 1);
  return g;
}

/** A number of grid points: an integer in [2, 2²⁴]. */
const gridPointsSchema = z
  .number()
  .int()
  .min(2)
  .max(1 << 24);

/** Explicit grid points (a typed array is read as an array): ≥ 2 of them, in [0, 1], strictly increasing. */
const gridArraySchema = arrayLike(
  z
    .array(z.number().min(0).max(1))
    .min(2)
    .superRefine((g, ctx) => {
      for (let k = 1; k < g.length; k++) {
        if (!(g[k]! > g[k - 1]!)) {
          return addRangeIssue(ctx, [k], `strictly greater than the point before it (${g[k - 1]})`);
        }
      }
    }),
);

/** {@link bestResponseOnGrid}'s `tol`: a number ≥ 0 (built once, not per call). */
const gridTolSchema = z.number().min(0);

/**
 * @internal Resolve a grid option: a number of points (uniform grid) or explicit points, which must be
 * at least 2, strictly increasing and inside [0, 1]. O(|G|).
 * @throws MechlabError naming `field` (or `field[k]`) and what it must be.
 */
export function resolveGrid(grid: number | ArrayLike<number> | undefined, field = 'grid'): Float64Array {
  if (grid === undefined) return effortGrid(21, field);
  if (typeof grid === 'number') return effortGrid(grid, field);
  return Float64Array.from(parseWithSchema(gridArraySchema, grid, field));
}

/**
 * @internal Reusable scratch for grid scans: qualities, a working profile and one utility per grid
 * point, so the stability search allocates nothing per profile.
 */
export class GridScratch {
  readonly q: Float64Array;
  readonly u: Float64Array;
  /** Maximum utility found by the last {@link scanGridUnchecked}. */
  best = 0;
  constructor(n: number, gridSize: number) {
    this.q = new Float64Array(n);
    this.u = new Float64Array(gridSize);
  }
}

/**
 * @internal Evaluate `u_i(g, x_{−i})` at every grid point into `s.u`, store the maximum in `s.best`
 * and return the index of the LARGEST grid point whose utility is within `tol` of the maximum (ties →
 * the larger effort, the same selection as the PRA tie rule). `x` is a mutable working profile;
 * `x[i]` is restored. O(|G| · cost(u)).
 */
export function scanGridUnchecked(
  inst: CcsInstance,
  mech: Mechanism,
  x: Float64Array,
  i: number,
  grid: Float64Array,
  s: GridScratch,
  tol: number,
): number {
  const saved = x[i]!;
  const m = grid.length;
  let best = -Infinity;
  for (let k = 0; k < m; k++) {
    x[i] = grid[k]!;
    const v = utilityUnchecked(inst, mech, x, i, s.q);
    s.u[k] = v;
    if (v > best) best = v;
  }
  x[i] = saved;
  s.best = best;
  for (let k = m - 1; k > 0; k--) if (!improves(best, s.u[k]!, tol)) return k;
  return 0;
}

/**
 * Best response of player `i` on a finite effort grid `G` (MODELS.md §1.2 stability check): the grid
 * point maximising `u_i(g, x_{−i})`; among points within `tol · max(1, |u|)` (default
 * {@link GRID_TOL} = 1e-12) of the maximum the LARGEST effort is returned — deterministic, and the
 * same tie rule as the PRA greatest-equilibrium selection.
 *
 * @param grid number of points of the uniform grid (≥ 2) or the points themselves (strictly increasing,
 *   in [0, 1]).
 * Complexity O(|G| · (n + |E|)) (O(|G| · in-deg(i)) under PRA + graph) plus O(n + |G|) validation.
 * @throws MechlabError naming `i`, `x…`, `p…` or `grid…`.
 * @example
 * const inst = createCcsInstance({ theta: [1, 1], cost: [0.6, 0.6] });
 * bestResponseOnGrid(inst, { kind: 'wta' }, [0.5, 0.5], 0, 5); // → 0.75 (wins with 1 − 0.45)
 */
export function bestResponseOnGrid(
  inst: CcsInstance,
  mech: Mechanism,
  x: ArrayLike<number>,
  i: number,
  grid: number | ArrayLike<number>,
  tol: number = GRID_TOL,
): number {
  checkPlayer(inst, i);
  checkProfile(inst, x);
  validateMechanism(mech, inst.n);
  parseWithSchema(gridTolSchema, tol, 'tol');
  const g = resolveGrid(grid);
  const s = new GridScratch(inst.n, g.length);
  return g[scanGridUnchecked(inst, mech, Float64Array.from(x), i, g, s, tol)]!;
}
