/**
 * Greatest pure Nash equilibrium under Provisional Allocation (MODELS.md §1.2; seed 004 §3,
 * supermodularity ⇒ best-response iteration from x = 1 is monotone non-increasing and converges to the
 * greatest equilibrium x*(p)).
 */
import type { CcsInstance } from './instance';

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
