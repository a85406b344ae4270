/**
 * Greatest pure Nash equilibrium under Provisional Allocation (MODELS.md §1.2; seed 004 §3,
 * supermodularity ⇒ best-response iteration from x = 1 is monotone non-increasing and converges to the
 * greatest equilibrium x*(p)).
 */
import { MechlabError, parseWithSchema } from '@mechlab/core';
import { z } from 'zod';
import { isActive, praBestResponseUnchecked } from './best-response';
import type { EquilibriumKernelOptions } from './equilibrium-dense';
import { hasBinaryBestResponses, type CcsInstance } from './instance';
import { checkPortions } from './mechanisms';
import { effortSum, graphWelfare, spilloverDenominator, welfareUnchecked } from './quality';

export interface BinaryEquilibrium {
  /** 1 for active players, 0 otherwise. */
  readonly efforts: Float64Array;
  /** Indices of active players, ascending. */
  readonly active: Int32Array;
  /** `SW(x*) = Σ_i q_i(x*)`. */
  readonly welfare: number;
}

/**
 * Greatest equilibrium when best responses are binary (linear cost + graph quality). Equivalent to
 * Jacobi best-response iteration from all-ones, computed as a deletion cascade: a player whose incentive
 * `p_i (θ_i + Σ_{j active} w_{ji})` falls below `c_i` leaves, which lowers the denominators of its
 * out-neighbours only. Each player leaves at most once ⇒ O(n + |E|) time, O(n) extra memory.
 *
 * @param p portions (length n, ≥ 0); not validated here — validate at the boundary.
 */
export function greatestEquilibriumBinary(inst: CcsInstance, p: ArrayLike<number>): BinaryEquilibrium {
  const { n, theta, cost, graph } = inst;
  const { inStart, inWeight, outStart, outTo, outWeight } = graph;
  const denom = new Float64Array(n);
  const on = new Uint8Array(n).fill(1);
  const queue = new Int32Array(n);
  let head = 0,
    tail = 0;
  for (let i = 0; i < n; i++) {
    let d = theta[i]!;
    for (let k = inStart[i]!; k < inStart[i + 1]!; k++) d += inWeight[k]!;
    denom[i] = d;
    if (!isActive(p[i]!, d, cost[i]!)) {
      on[i] = 0;
      queue[tail++] = i;
    }
  }
  while (head < tail) {
    const j = queue[head++]!;
    for (let k = outStart[j]!; k < outStart[j + 1]!; k++) {
      const i = outTo[k]!;
      denom[i]! -= outWeight[k]!;
      if (on[i] === 1 && !isActive(p[i]!, denom[i]!, cost[i]!)) {
        on[i] = 0;
        queue[tail++] = i;
      }
    }
  }
  const efforts = new Float64Array(n);
  const active = new Int32Array(n - tail);
  let a = 0;
  for (let i = 0; i < n; i++) {
    if (on[i] === 1) {
      efforts[i] = 1;
      active[a++] = i;
    }
  }
  return { efforts, active, welfare: graphWelfare(inst, efforts) };
}

// ---------------------------------------------------------------------------------------------------
// General PRA greatest equilibrium (any quality family, any cost family)
// ---------------------------------------------------------------------------------------------------

/**
 * The boundary schema of {@link GreatestEquilibriumOptions}, defaults filled in — the one schema of every
 * `equilibrium` backend (see {@link equilibriumKernelOptions}). `maxIterations` ≤ 2³¹ − 1: the
 * WebAssembly kernels take it as an i32.
 */
const greatestEquilibriumOptionsSchema = z.object({
  tol: z.number().min(0).default(1e-12),
  maxIterations: z.number().int().min(1).max(0x7fffffff).default(100_000),
  schedule: z.enum(['jacobi', 'gauss-seidel']).default('gauss-seidel'),
  method: z.enum(['auto', 'iterate']).default('auto'),
});

/**
 * The `equilibrium` family's checked kernel options from the public ones (unknown keys such as
 * `backend` are ignored), with {@link greatestEquilibrium}'s defaults: what every backend's entry point
 * passes to its kernels, so the defaults and ranges live here only. Complexity O(1).
 * @throws MechlabError naming `opts.<field>` (`ERR_INVALID_TYPE` / `ERR_OUT_OF_RANGE` / `ERR_INVALID_INPUT`)
 * @example equilibriumKernelOptions({ schedule: 'jacobi' })
 * // → { tol: 1e-12, maxIterations: 100000, jacobi: true, iterate: false }
 */
export function equilibriumKernelOptions(opts: GreatestEquilibriumOptions = {}): EquilibriumKernelOptions {
  const o = parseWithSchema(greatestEquilibriumOptionsSchema, opts, 'opts');
  return {
    tol: o.tol,
    maxIterations: o.maxIterations,
    jacobi: o.schedule === 'jacobi',
    iterate: o.method === 'iterate',
  };
}

/** Options of {@link greatestEquilibrium}. */
export interface GreatestEquilibriumOptions {
  /** Stop when no effort moved by more than `tol` in a sweep (default 1e-12, must be ≥ 0). */
  tol?: number;
  /** Sweeps allowed before `ERR_NOT_CONVERGED` (default 100 000). */
  maxIterations?: number;
  /**
   * `'gauss-seidel'` (default: each best response sees the efforts already updated in this sweep —
   * fewer sweeps, same limit) or `'jacobi'` (every player responds to the previous sweep's profile).
   */
  schedule?: 'jacobi' | 'gauss-seidel';
  /**
   * `'auto'` (default) uses the exact deletion cascade when best responses are binary; `'iterate'`
   * forces best-response iteration in every case (same equilibrium; for cross-checks and benchmarks).
   */
  method?: 'auto' | 'iterate';
}

/** The greatest pure Nash equilibrium `x*(p)` under PRA(p) and how it was reached. */
export interface GreatestEquilibrium {
  /** `x*(p)`. */
  readonly efforts: Float64Array;
  /** Players with effort > 0, ascending. */
  readonly active: Int32Array;
  /** `SW(x*) = Σ_i q_i(x*)`. */
  readonly welfare: number;
  /**
   * Best-response sweeps performed, including the final sweep that confirmed convergence. The binary
   * path (linear cost + graph quality) is one exact deletion cascade and reports 1.
   */
  readonly iterations: number;
  /** Always `true` in a returned result: non-convergence throws `ERR_NOT_CONVERGED` instead. */
  readonly converged: boolean;
}

/**
 * Greatest pure Nash equilibrium `x*(p)` of the CCS game under Provisional Allocation PRA(p)
 * (MODELS.md §1.2; seed 004 §3.2 Theorem 5 — the induced game is supermodular (Lemma 15), so
 * best-response iteration from the top `x = 1` decreases monotonically to the greatest equilibrium,
 * which Pareto-dominates every other PNE).
 *
 * When best responses are binary (linear cost + graph quality, {@link hasBinaryBestResponses}) this is
 * {@link greatestEquilibriumBinary} — an exact O(n + |E|) deletion cascade, reported as 1 iteration
 * (unless `opts.method = 'iterate'`). Otherwise it iterates the exact PRA best responses (closed form for graph + quadratic; endpoint test
 * or derivative bisection for the scaling law — see `praBestResponseUnchecked` in best-response.ts) from
 * `x = 1`, Gauss–Seidel by default, until a sweep moves no effort by more than `tol`. Ties go to the
 * larger effort, which is what selects the greatest equilibrium. For a contracting iteration with rate
 * ρ (graph + quadratic: ρ ≈ max_i p_i Σ_j w_{ji} / c_i) the distance to the limit at stop is about
 * `tol · ρ / (1 − ρ)`. Monotonicity rests on Assumption 1
 * (effort complementarity), which graph quality always satisfies and the scaling law satisfies when
 * `D_0 ≥ α` (its cross-partial is `∝ D_0 + Σ_{j≠i} x_j − α x_i`).
 *
 * Complexity O(iterations · (n + |E|)) time, O(n) memory; each sweep recomputes the spillover sums from
 * the CSR lists (no incremental drift) except the scaling-law total, which is refreshed each sweep and
 * updated in O(1) per move within it.
 *
 * @param p portions, length n, `p_i ≥ 0`, `Σ p ≤ 1` (tolerance 1e-9).
 * @throws MechlabError `ERR_OUT_OF_RANGE`/`ERR_INVALID_TYPE` naming `p…` or `opts…`;
 *   `ERR_NOT_CONVERGED` after `maxIterations` sweeps (never hangs).
 * @example
 * const inst = createCcsInstance({ theta: [1, 1], cost: [1, 1], edges: [[0, 1, 1], [1, 0, 1]],
 *   costFamily: 'quadratic' });
 * greatestEquilibrium(inst, [0.25, 0.25]).efforts; // → [1/3, 1/3] (x = 0.25·(1 + x))
 */
export function greatestEquilibrium(
  inst: CcsInstance,
  p: ArrayLike<number>,
  opts: GreatestEquilibriumOptions = {},
): GreatestEquilibrium {
  checkPortions(p, inst.n);
  return greatestEquilibriumUnchecked(
    inst,
    p,
    parseWithSchema(greatestEquilibriumOptionsSchema, opts, 'opts'),
  );
}

/**
 * @internal {@link greatestEquilibrium} on checked input (portions by `checkPortions`, every option
 * given and in range): the `equilibrium` family's TS kernel, whose caller has validated already.
 * @throws MechlabError `ERR_NOT_CONVERGED` after `maxIterations` sweeps.
 */
export function greatestEquilibriumUnchecked(
  inst: CcsInstance,
  p: ArrayLike<number>,
  opts: Required<GreatestEquilibriumOptions>,
): GreatestEquilibrium {
  const { tol, maxIterations, schedule, method } = opts;
  if (method === 'auto' && hasBinaryBestResponses(inst)) {
    const eq = greatestEquilibriumBinary(inst, p);
    return { ...eq, iterations: 1, converged: true };
  }

  const n = inst.n;
  const scaling = inst.quality.kind === 'scaling-law';
  let cur = new Float64Array(n).fill(1);
  let next = schedule === 'jacobi' ? new Float64Array(n) : cur;
  for (let it = 1; it <= maxIterations; it++) {
    // The scaling-law aggregate Σ_j x_j is re-summed each sweep so in-sweep O(1) updates cannot drift.
    let total = scaling ? effortSum(cur, n) : 0;
    let delta = 0;
    for (let i = 0; i < n; i++) {
      const old = cur[i]!;
      const agg = scaling ? total - old : spilloverDenominator(inst, cur, i);
      const br = praBestResponseUnchecked(inst, p[i]!, i, agg);
      const d = Math.abs(br - old);
      if (d > delta) delta = d;
      next[i] = br;
      // Gauss–Seidel: next === cur, so later players already see br; keep the total in step.
      if (scaling && next === cur) total += br - old;
    }
    if (next !== cur) {
      const t = cur;
      cur = next;
      next = t;
    }
    if (delta <= tol) {
      return {
        efforts: cur,
        active: activeSet(cur),
        welfare: welfareUnchecked(inst, cur),
        iterations: it,
        converged: true,
      };
    }
  }
  throw new MechlabError(
    'ERR_NOT_CONVERGED',
    `opts.maxIterations: best-response iteration did not converge to tol ${tol} within ${maxIterations} sweeps`,
    'opts.maxIterations',
  );
}

function activeSet(x: Float64Array): Int32Array {
  let k = 0;
  for (let i = 0; i < x.length; i++) if (x[i]! > 0) k++;
  const out = new Int32Array(k);
  k = 0;
  for (let i = 0; i < x.length; i++) if (x[i]! > 0) out[k++] = i;
  return out;
}
