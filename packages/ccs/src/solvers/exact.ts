/**
 * Exact design for linear costs + graph quality (MODELS.md §1.3.1; seed 004 §3, Lemma 16 and §5 Step 1).
 *
 * With binary best responses a design is an active set `S` with tight portions
 * `p_i = c_i / D_i(S)`, `D_i(S) = θ_i + Σ_{j∈S∖i} w_{ji}`, zero outside `S`. `S` is implementable iff
 * `Σ_{i∈S} p_i ≤ 1` (each term finite), and its welfare is `Σ_{i∈S} D_i(S)`. Any `p` induces an
 * implementable greatest-equilibrium set, and the tight portions of an implementable `S` induce a
 * greatest equilibrium ⊇ `S` (Tarski: `S` is a post-fixed point of the best-response map), so
 * `max_S value(S)` over implementable sets is the optimum of the design problem.
 *
 * Zero-cost players: `c_i = 0` needs portion 0 and, by the tie rule (ties → effort 1), is active even
 * with a zero denominator; such a player is therefore allowed in `S` with term 0. (MODELS.md says a
 * zero-denominator player cannot be active; that holds for `c_i > 0`, and the equilibrium code's tie
 * rule decides the `c_i = 0` case — the solver must agree with it or it could lose to a heuristic.)
 *
 * Branch and bound over players. A node holds IN (decided in), OUT (decided out) and U (undecided);
 * it branches on the critical player of the fractional-knapsack bound below, "exclude" first.
 * Because `D_i` only grows with `S`, the optimistic denominators `M_i = θ_i + Σ_{j ∉ OUT} w_{ji}`
 * bound every completion, and they change *only* when a player moves to OUT (subtract its out-edges)
 * — so implementability is checked incrementally:
 * - cost bound `LB = Σ_{i∈IN} c_i / M_i ≤ Σ_{i∈S} p_i` for every completion `S`: prune when `LB > 1`;
 * - propagation: an undecided `i` with `LB + c_i / M_i > 1` cannot join any completion, so it is forced
 *   to OUT (which lowers other `M`s and may force more) — the knapsack-style fixing that makes
 *   n = 25 fast;
 * - value bounds: `value(IN ∪ U) = Σ_{i ∈ IN∪U} M_i` (value is monotone in `S`), and the tighter
 *   fractional-knapsack bound `Σ_{IN} M_i + LP(U; profit M_i, weight c_i/M_i, capacity 1 − LB)`
 *   (since `value(S) ≤ Σ_{i∈S} M_i` and `Σ_{i∈S} c_i/M_i ≤ 1`): prune when ≤ incumbent;
 * - shortcut: if `IN ∪ U` itself is implementable it is the best completion — record it, no branching.
 * Changes are undone from a trail (saved old values, not re-added floats, so there is no drift).
 *
 * The worst case stays exponential (the problem is NP-hard, Theorem 7); `exactMaxN` (default 40)
 * guards against accidental use on large instances.
 */
import { MechlabError } from '@mechlab/core';
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
const INF = Infinity;

/** Default largest n for the exact solver. */
export const EXACT_MAX_N = 40;

/** Result of {@link exactPortions}. */
export interface ExactDesign {
  /** Tight portions of the optimal active set. */
  readonly p: Float64Array;
  /** Optimal welfare `Σ_{i∈S} D_i(S)` (the model's value; the equilibrium re-evaluation agrees). */
  readonly value: number;
  /** The optimal active set, ascending. */
  readonly set: Int32Array;
  /** Branch-and-bound nodes visited. */
  readonly nodes: number;
}

const UNDECIDED = 0;
const IN = 1;
const OUT = 2;

/**
 * Optimal Provisional Allocation for linear cost + graph quality by branch and bound over active sets.
 *
 * Complexity: exponential in the worst case (NP-hard, seed 004 Theorem 7); each node costs
 * `O(n · passes + |E|)`; memory `O(n + |E|)`. n ≤ 25 random instances take well under a second.
 *
 * @throws MechlabError `ERR_INVALID_INPUT` unless linear cost + graph quality; `ERR_TOO_LARGE` when
 *   `n > maxN`.
 * @see MODELS.md §1.3.1; seed 004 Lemma 16 / Theorem 12 Step 1 (tight portions).
 * @example
 * exactPortions(createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5], edges: [[0, 1, 1], [1, 0, 1]] }))
 * // → { p: [0.25, 0.25], value: 4, set: [0, 1], nodes: 1 }
 */
export function exactPortions(inst: CcsInstance, maxN = EXACT_MAX_N): ExactDesign {
  requireBinary(inst, 'exact');
  const { n, theta, cost, graph } = inst;
  if (n > maxN) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `the exact solver enumerates active sets and is limited to n ≤ ${maxN} (got n = ${n}); use gcs, nsr or hop, or raise exactMaxN`,
      'n',
    );
  }
  const { inStart, inWeight, outStart, outTo, outWeight } = graph;
  const m = graph.edgeCount;

  const status = new Uint8Array(n);
  const maxDen = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d = theta[i]!;
    for (let k = inStart[i]!; k < inStart[i + 1]!; k++) d += inWeight[k]!;
    maxDen[i] = d;
  }
  // Trail: maxDen writes (index, old value) and status writes (index). Bounded by |E| + n per path.
  const trailIdx = new Int32Array(m + 1);
  const trailVal = new Float64Array(m + 1);
  let trailTop = 0;
  const statusTrail = new Int32Array(n + 1);
  let statusTop = 0;

  const candIdx = new Int32Array(n);
  const candKey = new Float64Array(n);
  let best = 0; // the empty set is always implementable, value 0
  const bestSet = new Uint8Array(n);
  let nodes = 0;

  const term = (i: number): number => {
    const c = cost[i]!;
    if (c <= 0) return 0;
    const d = maxDen[i]!;
    return d > 0 ? c / d : INF;
  };
  const setOut = (j: number): void => {
    status[j] = OUT;
    statusTrail[statusTop++] = j;
    for (let k = outStart[j]!; k < outStart[j + 1]!; k++) {
      const i = outTo[k]!;
      trailIdx[trailTop] = i;
      trailVal[trailTop++] = maxDen[i]!;
      maxDen[i] = maxDen[i]! - outWeight[k]!;
    }
  };
  const undo = (tMark: number, sMark: number): void => {
    while (trailTop > tMark) {
      trailTop--;
      maxDen[trailIdx[trailTop]!] = trailVal[trailTop]!;
    }
    while (statusTop > sMark) status[statusTrail[--statusTop]!] = UNDECIDED;
  };

  // Depth ≤ n ≤ maxN, so plain recursion is safe here.
  const search = (): void => {
    nodes++;
    // 1. Propagate: force out undecided players that cannot fit; prune when IN alone does not fit.
    let lb = 0;
    for (;;) {
      lb = 0;
      for (let i = 0; i < n; i++) if (status[i] === IN) lb += term(i);
      if (lb > 1 + SUM_TOL) return;
      let changed = false;
      for (let i = 0; i < n; i++) {
        if (status[i] === UNDECIDED && lb + term(i) > 1 + SUM_TOL) {
          setOut(i);
          changed = true;
        }
      }
      if (!changed) break;
    }
    // 2. Value bound and 3. the "everything left fits" shortcut, in one pass over IN ∪ U.
    let ub = 0;
    let all = 0;
    for (let i = 0; i < n; i++) {
      if (status[i] !== OUT) {
        ub += maxDen[i]!;
        all += term(i);
      }
    }
    if (ub <= best) return;
    if (all <= 1 + SUM_TOL) {
      best = ub;
      for (let i = 0; i < n; i++) bestSet[i] = status[i] !== OUT ? 1 : 0;
      return;
    }
    // Fractional-knapsack bound: every completion S has Σ_{i∈S} c_i/M_i ≤ Σ p_i ≤ 1 and
    // value(S) ≤ Σ_{i∈S} M_i, so the LP relaxation over U (profit M_i, weight c_i/M_i, capacity 1 − LB)
    // bounds value(S). Much tighter than value(IN ∪ U) when IN ∪ U does not fit.
    let kb = 0;
    let cnt = 0;
    for (let i = 0; i < n; i++) {
      const st = status[i];
      if (st === IN) kb += maxDen[i]!;
      else if (st === UNDECIDED) {
        const t = term(i);
        if (t === 0) kb += maxDen[i]!;
        else {
          // insertion by density M_i / t_i, descending (n ≤ maxN: tiny)
          const key = maxDen[i]! / t;
          let a = cnt++;
          while (a > 0 && candKey[a - 1]! < key) {
            candKey[a] = candKey[a - 1]!;
            candIdx[a] = candIdx[a - 1]!;
            a--;
          }
          candKey[a] = key;
          candIdx[a] = i;
        }
      }
    }
    let cap = 1 + SUM_TOL - lb;
    let critical = -1;
    for (let a = 0; a < cnt; a++) {
      const i = candIdx[a]!;
      const t = term(i);
      if (t <= cap) {
        kb += maxDen[i]!;
        cap -= t;
      } else {
        kb += (maxDen[i]! * cap) / t;
        critical = i;
        break;
      }
    }
    if (kb <= best) return;
    // 4. Branch on the LP's critical (fractional) player, "exclude" first — measured ~6× fewer nodes
    //    than a static order on dense n = 25 instances. When IN ∪ U does not fit, some undecided
    //    player with a positive term exists, so the critical player is always defined here.
    let j = critical;
    if (j < 0) for (j = 0; j < n && status[j] !== UNDECIDED; j++);
    if (j >= n) return; // unreachable: with U empty the shortcut above applies
    const tMark = trailTop;
    const sMark = statusTop;
    setOut(j);
    search();
    undo(tMark, sMark);
    status[j] = IN;
    statusTrail[statusTop++] = j;
    search();
    undo(tMark, sMark);
  };
  search();

  // Tight portions and the value recomputed from scratch on the optimal set (no incremental drift).
  const p = new Float64Array(n);
  let size = 0;
  let value = 0;
  for (let i = 0; i < n; i++) {
    if (bestSet[i] !== 1) continue;
    size++;
    let d = theta[i]!;
    for (let k = inStart[i]!; k < inStart[i + 1]!; k++) {
      if (bestSet[graph.inFrom[k]!] === 1) d += inWeight[k]!;
    }
    value += d;
    const c = cost[i]!;
    if (c > 0) p[i] = c / d;
  }
  clampBudget(p);
  const set = new Int32Array(size);
  for (let i = 0, a = 0; i < n; i++) if (bestSet[i] === 1) set[a++] = i;
  return { p, value, set, nodes };
}

/**
 * The exact solver behind the {@link CcsSolver} interface (`algo: 'exact'`).
 * @throws see {@link exactPortions}.
 */
export const exactSolver: CcsSolver = {
  algo: 'exact',
  backend: 'ts',
  solve(inst: CcsInstance, opts: CcsSolverOptions): CcsSolution {
    const r = exactPortions(inst, opts.exactMaxN);
    return finishSolution(inst, 'exact', r.p, { objective: r.value, nodes: r.nodes, targeted: r.set.length });
  },
};
