/**
 * Shared vocabulary of the CCS design-problem solvers (MODELS.md §1.3; seed 004 §4–5): the solver
 * interface a WASM backend implements too (STYLE.md §3), the solution shape, and the numeric helpers
 * every solver must agree on (grid rounding, feasibility tolerance, final equilibrium evaluation).
 */
import { type BackendName, MechlabError } from '@mechlab/core';
import { isActive } from '../best-response';
import { greatestEquilibrium, greatestEquilibriumBinary } from '../equilibrium';
import { hasBinaryBestResponses, type CcsInstance } from '../instance';

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { abs, ceil, max } = Math;

/** The design algorithms of MODELS.md §1.3. */
export type CcsAlgo = 'exact' | 'nsr' | 'hop' | 'gcs' | 'equal';

/** Implementations of the solver interface. Core ships `ts`; `@mechlab/kernels` adds `wasm` (see backend.ts). */
export type CcsBackendName = BackendName;

/** Solver-specific diagnostics; every field is optional and informational. */
export interface CcsSolutionMeta {
  /** Grid step δ used by the grid solvers (nsr, hop). */
  readonly delta?: number;
  /** The solver's own objective value: NSR's no-spillover welfare, HOP's DP value, exact's optimum. */
  readonly objective?: number;
  /** Branch-and-bound nodes visited (exact). */
  readonly nodes?: number;
  /** Size of the targeted set `T_k` (gcs) or of the optimal active set (exact); 0 when none is feasible. */
  readonly targeted?: number;
  /** Best-response iterations of the (non-binary) equilibrium evaluation. */
  readonly iterations?: number;
  /** Whether the (non-binary) equilibrium evaluation converged. */
  readonly converged?: boolean;
}

/**
 * A designed Provisional Allocation and the greatest equilibrium it induces. `welfare`, `efforts` and
 * `active` are always recomputed from `p` by the equilibrium code, never taken from a solver's model.
 */
export interface CcsSolution {
  readonly algo: CcsAlgo;
  /** Portions `p_i ≥ 0`, `Σ p_i ≤ 1` (up to float rounding of the final division). */
  readonly p: Float64Array;
  /** Greatest-equilibrium efforts `x*(p)`. */
  readonly efforts: Float64Array;
  /** Players with positive effort (binary: effort 1), ascending. */
  readonly active: Int32Array;
  /** `SW(x*(p)) = Σ_i q_i(x*)`. */
  readonly welfare: number;
  /** Which implementation actually ran (STYLE.md §3). */
  readonly backend: CcsBackendName;
  readonly meta?: CcsSolutionMeta;
}

/** Options after validation, as every solver receives them. */
export interface CcsSolverOptions {
  /** Grid step δ = 1/units. */
  readonly delta: number;
  /** Number of grid units D = 1/δ (integer ≥ 1). */
  readonly units: number;
  /** Largest n the exact solver accepts. */
  readonly exactMaxN: number;
}

/**
 * One design algorithm in one backend. A backend registers a `Partial<Record<CcsAlgo, CcsSolver>>`
 * (kernel family `ccs` of core's registry, solvers/index.ts); `solveCcs` picks by `algo` and `backend` (default: the
 * highest-priority backend implementing `algo`). A solver must validate like the TS reference (same
 * codes, same messages) and report its own name in `CcsSolution.backend`.
 */
export interface CcsSolver {
  readonly algo: CcsAlgo;
  readonly backend: CcsBackendName;
  /** Design `p` and evaluate its greatest equilibrium. @throws MechlabError (see each solver). */
  solve(inst: CcsInstance, opts: CcsSolverOptions): CcsSolution;
}

/**
 * Absolute slack on the budget constraint `Σ p_i ≤ 1` for sums of tight portions `c_i / D_i`. Each
 * division is correctly rounded, so a set whose exact sum is 1 can come out a few ulps above; 1e-12 is
 * far above that (n ≤ 10⁷ terms of relative error 2⁻⁵³) and far below any meaningful portion.
 */
export const SUM_TOL = 1e-12;

/** Sentinel "cannot be incentivised on the grid" for integer incentive costs. */
export const NO_UNITS = 0x7fffffff;

/**
 * Smallest number of grid units `k ∈ {0..D}` such that a player with portion `k/D`, denominator `denom`
 * and linear cost `c` is active under the binary tie rule {@link isActive}; {@link NO_UNITS} if none.
 * This is `⌈c / denom⌉_δ` of seed 004 Appendix D (and the threshold item of NSR), made *exactly*
 * consistent with the equilibrium code: the float estimate `⌈c·D/denom·(1 − 1e-9)⌉` can be off by one
 * when `c/denom` sits on a grid point (e.g. 0.3/0.1·10 = 29.999…96), so the candidate is then nudged
 * down/up until `isActive` accepts `k` and rejects `k − 1`. `c = 0` ⇒ 0 units (ties → 1, even with a
 * zero denominator); `c > 0` with `denom ≤ 0` ⇒ never.
 *
 * Complexity O(1) (at most a couple of `isActive` probes). Never throws.
 * @see seed 004 Appendix D ("Incentive costs", the δ-ceiling); MODELS.md §1.2 (ties → effort 1).
 * @example minGridUnits(0.1, 0.1, 3) // → 3 (p = 1), although Math.ceil(0.1·3/0.1) = 4
 */
export function minGridUnits(c: number, denom: number, D: number): number {
  if (c <= 0) return 0;
  if (!(denom > 0)) return NO_UNITS;
  const x = (c * D) / denom;
  if (!(x <= D + 1)) return NO_UNITS;
  let k = max(0, ceil(x * (1 - 1e-9)));
  while (k > 0 && isActive((k - 1) / D, denom, c)) k--;
  while (k <= D && !isActive(k / D, denom, c)) k++;
  return k <= D ? k : NO_UNITS;
}

/**
 * Throw unless the instance has binary best responses (linear cost + graph quality), the setting of
 * seed 004 §4.2 and §5 that exact, hop and gcs assume. O(1).
 * @throws MechlabError `ERR_INVALID_INPUT` naming the algorithm and the instance's family.
 */
export function requireBinary(inst: CcsInstance, algo: CcsAlgo): void {
  if (!hasBinaryBestResponses(inst)) {
    const what = inst.quality.kind !== 'graph' ? `${inst.quality.kind} quality` : `${inst.costFamily} cost`;
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `the ${algo} solver needs linear cost and graph quality (binary best responses, seed 004 §4–5); this instance has ${what} — use nsr or equal`,
      'algo',
    );
  }
}

/**
 * Wrap a designed `p` into a {@link CcsSolution}: play the greatest equilibrium of `p` (binary
 * deletion cascade for linear + graph, the general best-response iteration otherwise) and report it,
 * labelled with `backend` (default `'ts'`: this function is the TS reference's equilibrium step).
 *
 * Complexity: O(n + |E|) for binary instances; the general iteration's cost otherwise.
 * @throws MechlabError from `greatestEquilibrium` (`ERR_NOT_CONVERGED`, invalid portions) — not
 *   expected for solver outputs.
 * @see MODELS.md §1.2; seed 004 Theorem 5 (greatest equilibrium by best responses from x = 1).
 */
export function finishSolution(
  inst: CcsInstance,
  algo: CcsAlgo,
  p: Float64Array,
  meta: CcsSolutionMeta,
  backend: CcsBackendName = 'ts',
): CcsSolution {
  if (hasBinaryBestResponses(inst)) {
    const eq = greatestEquilibriumBinary(inst, p);
    return {
      algo,
      p,
      efforts: eq.efforts,
      active: eq.active,
      welfare: eq.welfare,
      backend,
      meta,
    };
  }
  const eq = greatestEquilibrium(inst, p);
  return {
    algo,
    p,
    efforts: eq.efforts,
    active: eq.active,
    welfare: eq.welfare,
    backend,
    meta: { ...meta, iterations: eq.iterations, converged: eq.converged },
  };
}

/** `Σ p_i` with Neumaier compensation (error ≈ 1 ulp whatever n), used to verify final candidates. O(n). Never throws. */
export function portionSum(p: ArrayLike<number>): number {
  let s = 0;
  let comp = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    const t = s + x;
    comp += abs(s) >= abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + comp;
}

/**
 * Rescale `p` in place so that `Σ p ≤ 1` when a tight-portion vector overshoots by at most
 * {@link SUM_TOL}. Every `p_i · D_i` then drops by a relative ≤ 1e-12, far inside the tie tolerance
 * (1e-9), so the induced equilibrium is unchanged. O(n). Never throws.
 */
export function clampBudget(p: Float64Array): void {
  const s = portionSum(p);
  if (s > 1) {
    const f = 1 / s;
    for (let i = 0; i < p.length; i++) p[i]! *= f;
  }
}
