/**
 * NSR — No-Spillover Relaxation (MODELS.md §1.3.2; seed 004 §4.1, Algorithm 1, Theorem 9, Lemma 10).
 *
 * Ignore spillovers, price every player alone on the grid `p_i = kδ` (`δ = 1/D`), and pick one grid
 * portion per player by a multiple-choice knapsack: class `i`, item `k` of weight `k` and profit
 * `q_i(x̂_i(kδ), 0_{−i})`, capacity `D`. `x̂_i(p)` is the stand-alone best response:
 * - linear cost, graph quality: `x̂ = 1` iff `kδ·θ_i ≥ c_i` under the shared tie rule (`isActive`), so
 *   the profit is the step `θ_i · [k ≥ k_i*]` with `k_i* = minGridUnits(c_i, θ_i, D)`;
 * - quadratic cost, graph quality: maximise `kδ·θ_i·x − c_i x²/2` ⇒ `x̂ = min(1, kδθ_i / c_i)`
 *   (`c_i = 0` ⇒ `x̂ = 1`, the greatest best response), profit `θ_i·x̂`;
 * - scaling-law quality: not supported (the relaxation is defined here for graph quality).
 * The returned `p` is then played in the real game with spillovers; by complementarity
 * `x*(p) ≥ x̂(p)`, so `SW(x*(p_NSR)) ≥` the DP's objective (Theorem 9, step 3).
 *
 * About Theorem 9's `1/β` guarantee: {@link spilloverBeta} computes β of Definition 5 for graph
 * quality. Step 2 of the printed proof compares the no-spillover value of `x̂(p_opt)` with that of
 * `x*(p_opt)`, which only holds when the two coincide; in general the bound fails. Counterexample
 * (ccs-solvers.test.ts): players 0, 1 with `θ = 0.24`, `c = 0.25`, `w = 0.26` both ways, and player 2
 * with `θ = c = 0.05` and no spillovers. OPT = 1 (players 0 and 1 at 0.5 each), β ≈ 2.08, but alone 0
 * and 1 each need more than the whole budget, so the relaxation's unique optimum buys player 2 only:
 * SW(p_NSR) = 0.05 < OPT/β ≈ 0.48. What always holds, and what the tests check, is
 * `SW(p_NSR) ≥ SW(x*(p))/β` for every grid `p` whose equilibrium needs no spillovers (`x*(p) = x̂(p)`).
 */
import { MechlabError } from '@mechlab/core';
import { solveMckpDense } from '../mckp';
import type { CcsInstance } from '../instance';
import {
  finishSolution,
  minGridUnits,
  NO_UNITS,
  type CcsSolution,
  type CcsSolver,
  type CcsSolverOptions,
} from './common';

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { max, min } = Math;
const INF = Infinity;

/** Result of {@link nsrPortions}. */
export interface NsrDesign {
  /** Grid portions `k_i / D`. */
  readonly p: Float64Array;
  /** Chosen grid units per player. */
  readonly units: Int32Array;
  /** The relaxation's optimum: no-spillover welfare `Σ_i q_i(x̂_i(p_i), 0)`. */
  readonly objective: number;
}

/**
 * The NSR profit table: `profits[i·(D+1) + k] = q_i(x̂_i(k/D), 0_{−i})` (see the module comment).
 *
 * Complexity O(n · D) time and memory.
 * @throws MechlabError `ERR_INVALID_INPUT` for scaling-law quality.
 * @see seed 004 Appendix C (Lemma 10): the MCKP mapping.
 */
export function nsrProfits(inst: CcsInstance, D: number): Float64Array {
  if (inst.quality.kind !== 'graph') {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `the nsr solver supports graph quality only (this instance has ${inst.quality.kind} quality); use equal`,
      'algo',
    );
  }
  const { n, theta, cost } = inst;
  const width = D + 1;
  const profits = new Float64Array(n * width);
  const linear = inst.costFamily === 'linear';
  for (let i = 0; i < n; i++) {
    const th = theta[i]!;
    if (th === 0) continue; // quality 0 whatever the effort
    const c = cost[i]!;
    const base = i * width;
    if (linear) {
      const k0 = minGridUnits(c, th, D);
      if (k0 === NO_UNITS) continue;
      for (let k = k0; k <= D; k++) profits[base + k] = th;
    } else if (c <= 0) {
      for (let k = 0; k <= D; k++) profits[base + k] = th;
    } else {
      for (let k = 0; k <= D; k++) profits[base + k] = th * min(1, ((k / D) * th) / c);
    }
  }
  return profits;
}

/**
 * NSR portions: solve the no-spillover MCKP with {@link solveMckpDense} and return `p_i = k_i / D`.
 * Ties inside the knapsack go to the smaller portion (lowest item index).
 *
 * Complexity: `O(n · D)` for linear costs (step profits, two undominated items per class),
 * `O(n · D²)` in general; memory `O(n · D)`.
 *
 * @throws MechlabError `ERR_INVALID_INPUT` for scaling-law quality; `ERR_TOO_LARGE` for huge n·D.
 * @see MODELS.md §1.3.2; seed 004 Algorithm 1, Theorem 9, Lemma 10.
 * @example
 * nsrPortions(createCcsInstance({ theta: [1, 1], cost: [0.5, 0.6] }), 10)
 * // → { p: [0.5, 0], units: [5, 0], objective: 1 }  (0.5 + 0.6 > 1: only one player fits)
 */
export function nsrPortions(inst: CcsInstance, D: number): NsrDesign {
  const profits = nsrProfits(inst, D);
  const r = solveMckpDense(inst.n, D, profits);
  const p = new Float64Array(inst.n);
  for (let i = 0; i < inst.n; i++) p[i] = r.choice[i]! / D;
  return { p, units: r.choice, objective: r.value };
}

/**
 * β of Definition 5 (β-bounded spillovers) for graph quality: the smallest β with
 * `q_i(x) ≤ β · q_i(x_i, 0_{−i})` for all `x`, i.e. `max_i (θ_i + Σ_j w_{ji}) / θ_i` over players whose
 * quality can be positive (`Infinity` if some such player has `θ_i = 0`; 1 without spillovers).
 * Players with `θ_i = 0` and no positive in-weight have quality ≡ 0 and do not constrain β.
 *
 * Complexity O(n + |E|).
 * @see seed 004 Definition 5, Theorem 9.
 * @example spilloverBeta(createCcsInstance({ theta: [1, 2], cost: [0, 0], edges: [[0, 1, 1]] })) // → 1.5
 */
export function spilloverBeta(inst: CcsInstance): number {
  const { n, theta, graph } = inst;
  let beta = 1;
  for (let i = 0; i < n; i++) {
    let d = theta[i]!;
    for (let k = graph.inStart[i]!; k < graph.inStart[i + 1]!; k++) d += graph.inWeight[k]!;
    if (d === 0) continue;
    const th = theta[i]!;
    if (th === 0) return INF;
    beta = max(beta, d / th);
  }
  return beta;
}

/**
 * The NSR solver behind the {@link CcsSolver} interface (`algo: 'nsr'`).
 * @throws see {@link nsrPortions}.
 */
export const nsrSolver: CcsSolver = {
  algo: 'nsr',
  backend: 'ts',
  solve(inst: CcsInstance, opts: CcsSolverOptions): CcsSolution {
    const r = nsrPortions(inst, opts.units);
    return finishSolution(inst, 'nsr', r.p, { delta: opts.delta, objective: r.objective });
  },
};
