/**
 * HOP — optimal grid allocation on forests (MODELS.md §1.3.3; seed 004 §4.2, Theorem 11/21,
 * Appendix D, Algorithms 3–5).
 *
 * Each non-root player `i` has one parent `π(i)` with spillover `w_i`; with linear cost and graph
 * quality `q_i = x_i (θ_i + w_i x_{π(i)})` and efforts are binary. The incentive cost of `i` for parent
 * effort `e ∈ {0,1}` is `π_i(e) = ⌈c_i / (θ_i + w_i e)⌉_δ` in integer grid units (`minGridUnits`, which
 * is exactly the smallest grid portion the equilibrium's tie rule accepts; "never" when the denominator
 * is 0 or the portion would exceed 1). Value functions on budgets `b ∈ {0..D}` (units of δ = 1/D):
 * - `W_i(b, e)`: best total quality of `i`'s children's subtrees with budget ≤ b given `i`'s effort `e`,
 *   built by SCBA — sequential (max,+) convolution over the children (Algorithm 4);
 * - `V_i(b, e_p) = max(W_i(b, 0), θ_i + w_i e_p + W_i(b − π_i(e_p), 1))` (second branch when
 *   `π_i(e_p) ≤ b`; ties → active, matching "ties → effort 1").
 * A forest is handled by a virtual root of effort 0 whose children are the real roots (one more
 * convolution splits the budget between trees). `p` is extracted top-down (Algorithm 5).
 *
 * Implementation notes (why it scales to n = 10⁵ chains and wide stars):
 * - no recursion: an explicit-stack DFS produces a post-order, visiting the *heaviest* child first;
 * - each child's `V` is folded into its parent's accumulator `W` as soon as the child finishes, and
 *   accumulators live in a small pool: heavy-first order means an accumulator is open only for
 *   ancestors entered through a light edge, so at most `log₂ n + 2` are live — memory for values is
 *   `O(D log n)`, not `O(n D)`; only the reconstruction tables are `O(n D)` (`Uint16` split +
 *   `Uint8` decision per (node, parent effort, budget));
 * - the convolution only tries child budgets where the child's `V` strictly increases (value rows are
 *   non-decreasing in the budget, so other budgets can never win under the smallest-split tie rule),
 *   and a first child folds into its parent's all-zero accumulator by a copy: results are identical
 *   to the plain `O(D²)` loop, often much faster (chains are `O(n · D)`).
 * The DP value is the optimum over all δ-grid allocations; the greatest equilibrium of the returned `p`
 * attains it (every DP-active player is incentivised given DP-active parents, so the DP profile is
 * below the greatest equilibrium, and no grid allocation can beat the DP).
 */
import {
  defineKernelFamily,
  registerKernels,
  resolveKernels,
  type BackendName,
  MechlabError,
} from '@mechlab/core';
import type { CcsInstance } from '../instance';
import {
  finishSolution,
  minGridUnits,
  requireBinary,
  type CcsSolution,
  type CcsSolver,
  type CcsSolverOptions,
} from './common';

/** Result of {@link hopPortions}. */
export interface HopDesign {
  /** Grid portions `units_i / D`. */
  readonly p: Float64Array;
  /** Grid units per player (`Σ ≤ D`). */
  readonly units: Int32Array;
  /** The DP optimum: best welfare over all δ-grid allocations. */
  readonly objective: number;
}

/** Largest reconstruction table (n · 2 · (D + 1) cells) HOP allocates: 3 bytes per cell. */
export const HOP_MAX_CELLS = 2 ** 28;

/**
 * Parent of every player of a forest (`-1` for roots) and a post-order with heaviest children first.
 *
 * Complexity O(n + |E|), iterative.
 * @throws MechlabError `ERR_NOT_A_FOREST` naming the player with two incoming edges, or the players of a
 *   cycle.
 */
export function forestStructure(inst: CcsInstance): { parent: Int32Array; postOrder: Int32Array } {
  const { n, graph } = inst;
  const { inStart, inFrom, outStart, outTo } = graph;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const deg = inStart[i + 1]! - inStart[i]!;
    if (deg > 1) {
      throw new MechlabError(
        'ERR_NOT_A_FOREST',
        `player ${i} has ${deg} incoming edges (from ${inFrom[inStart[i]!]} and ${inFrom[inStart[i]! + 1]}); the hop solver needs a forest (at most one parent per player, no cycles)`,
        'edges',
      );
    }
    parent[i] = deg === 1 ? inFrom[inStart[i]!]! : -1;
  }
  // BFS from the roots; players not reached lie on (or hang below) a cycle.
  const bfs = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (parent[i] === -1) bfs[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const v = bfs[head]!;
    for (let e = outStart[v]!; e < outStart[v + 1]!; e++) bfs[tail++] = outTo[e]!;
  }
  if (tail < n) throw cycleError(parent, bfs, tail);

  const size = new Int32Array(n).fill(1);
  for (let t = n - 1; t >= 0; t--) {
    const v = bfs[t]!;
    if (parent[v]! >= 0) size[parent[v]!]! += size[v]!;
  }
  const heavy = new Int32Array(n).fill(-1);
  for (let v = 0; v < n; v++) {
    let best = -1;
    for (let e = outStart[v]!; e < outStart[v + 1]!; e++) {
      const c = outTo[e]!;
      if (best < 0 || size[c]! > size[best]!) best = c;
    }
    heavy[v] = best;
  }
  // Iterative DFS: iter = -1 before the heavy child, then the next out-edge position to scan.
  const postOrder = new Int32Array(n);
  const stack = new Int32Array(n);
  const iter = new Int32Array(n);
  let pc = 0;
  for (let r = 0; r < n; r++) {
    if (parent[r] !== -1) continue;
    let top = 0;
    stack[top] = r;
    iter[top++] = -1;
    while (top > 0) {
      const v = stack[top - 1]!;
      const it = iter[top - 1]!;
      let next = -1;
      if (it === -1) {
        iter[top - 1] = outStart[v]!;
        next = heavy[v]!;
      } else {
        let e = it;
        const end = outStart[v + 1]!;
        while (e < end && outTo[e] === heavy[v]) e++;
        if (e < end) {
          next = outTo[e]!;
          iter[top - 1] = e + 1;
        }
      }
      if (next >= 0) {
        stack[top] = next;
        iter[top++] = -1;
      } else {
        postOrder[pc++] = v;
        top--;
      }
    }
  }
  return { parent, postOrder };
}

function cycleError(parent: Int32Array, bfs: Int32Array, reached: number): MechlabError {
  const n = parent.length;
  const mark = new Uint8Array(n);
  for (let t = 0; t < reached; t++) mark[bfs[t]!] = 1;
  let u = 0;
  while (mark[u] === 1) u++;
  // Walk up the parents until a player repeats: it lies on the cycle.
  while (mark[u] !== 2) {
    mark[u] = 2;
    u = parent[u]!;
  }
  const cyc: number[] = [u];
  for (let v = parent[u]!; v !== u && cyc.length < 12; v = parent[v]!) cyc.push(v);
  cyc.reverse(); // parent → child order
  const shown = cyc.join(' → ') + (cyc.length < 12 ? ` → ${cyc[0]}` : ' → …');
  return new MechlabError(
    'ERR_NOT_A_FOREST',
    `player ${u} lies on a cycle (${shown}); the hop solver needs a forest (at most one parent per player, no cycles)`,
    'edges',
  );
}

/**
 * Optimal δ-grid Provisional Allocation on a forest by the HOP tree DP: the shared {@link planHop}, then
 * the `hop` kernel of `opts.backend` (default: the registry's; `'ts'` is {@link hopDpTs}). Every
 * backend returns the same design; the result names the one that ran.
 *
 * Complexity: O(n · D²) time in the worst case (O(n · D · breakpoints) in practice) and
 * O(n · D) bytes for the reconstruction tables (3 bytes per cell) + O(D log n) floats.
 *
 * @throws MechlabError `ERR_INVALID_INPUT` unless linear cost + graph quality; `ERR_NOT_A_FOREST`;
 *   `ERR_TOO_LARGE` when `D > 65535` or the tables would exceed `HOP_MAX_CELLS`; naming `backend` for an
 *   unknown, unregistered or unavailable backend.
 * @see MODELS.md §1.3.3; seed 004 Theorem 11/21, Algorithms 3 (HOP), 4 (SCBA), 5 (extraction).
 * @example
 * // chain 0 → 1: alone each needs 0.5; with the parent active, player 1 needs 0.25.
 * hopPortions(createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5], edges: [[0, 1, 1]] }), 4)
 * // → { p: [0.5, 0.25], units: [2, 1], objective: 3, backend: 'ts' }
 */
export function hopPortions(
  inst: CcsInstance,
  D: number,
  opts: { backend?: BackendName } = {},
): HopDesign & { readonly backend: BackendName } {
  const plan = planHop(inst, D);
  const { name, kernels } = resolveKernels('hop', opts.backend);
  return { ...kernels.dp(plan), backend: name };
}

/**
 * The O(n) set-up of the HOP DP, shared by every backend's kernel: checks, heavy-first post-order,
 * parent spillovers and incentive costs in grid units (`π_i(e)` of the module comment).
 */
export interface HopPlan {
  readonly n: number;
  readonly D: number;
  /** Parent of each player, −1 for roots. */
  readonly parent: Int32Array;
  /** Post-order, heaviest children first. */
  readonly postOrder: Int32Array;
  /** Spillover from the parent (0 for roots). */
  readonly pw: Float64Array;
  /** Incentive cost in grid units with the parent idle / active (`NO_UNITS`-style "never" as in `minGridUnits`). */
  readonly pi0: Int32Array;
  readonly pi1: Int32Array;
  readonly theta: Float64Array;
}

/**
 * Build the {@link HopPlan}. O(n + |E|).
 * @throws MechlabError as {@link hopPortions}.
 */
export function planHop(inst: CcsInstance, D: number): HopPlan {
  requireBinary(inst, 'hop');
  const { n, theta, cost, graph } = inst;
  if (D > 65535) {
    throw new MechlabError('ERR_TOO_LARGE', `the hop solver supports 1/delta ≤ 65535, got ${D}`, 'delta');
  }
  const W2 = 2 * (D + 1);
  if (n * W2 > HOP_MAX_CELLS) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `the hop tables would have ${n} × ${W2} cells (limit ${HOP_MAX_CELLS}); use a coarser delta`,
      'delta',
    );
  }
  const { parent, postOrder } = forestStructure(inst);
  const pw = new Float64Array(n);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) pw[i] = graph.inWeight[graph.inStart[i]!]!;
  const pi0 = new Int32Array(n);
  const pi1 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    pi0[i] = minGridUnits(cost[i]!, theta[i]!, D);
    pi1[i] = parent[i]! >= 0 ? minGridUnits(cost[i]!, theta[i]! + pw[i]!, D) : pi0[i]!;
  }
  return { n, D, parent, postOrder, pw, pi0, pi1, theta };
}

/** The kernel a HOP backend implements: the tree DP and extraction on a {@link HopPlan}. */
export interface HopKernels {
  readonly backend: BackendName;
  dp(plan: HopPlan): HopDesign;
}

/**
 * The HOP tree DP (value functions, SCBA folds, top-down extraction) on a plan — the `hop` family's
 * TypeScript reference. O(n · D²) worst case; see the module comment.
 */
export function hopDpTs(plan: HopPlan): HopDesign {
  const { n, D, parent, postOrder, pw, pi0, pi1, theta } = plan;
  const W = D + 1;
  const W2 = 2 * W;
  const dec = new Uint8Array(n * W2);
  const split = new Uint16Array(n * W2);
  const accSlot = new Int32Array(n + 1).fill(-1); // index n = virtual root
  const slots: Float64Array[] = [];
  const free: number[] = [];
  const zeros = new Float64Array(W2);
  const V = new Float64Array(W2);
  const bp = new Int32Array(W);

  for (let t = 0; t < n; t++) {
    const i = postOrder[t]!;
    const own = accSlot[i]!;
    const A = own >= 0 ? slots[own]! : zeros;
    const isRoot = parent[i]! < 0;
    const rows = isRoot ? 1 : 2; // a root's parent (the virtual root) never exerts effort
    const th = theta[i]!;
    const base = i * W2;
    for (let e = 0; e < rows; e++) {
      const pe = e === 0 ? pi0[i]! : pi1[i]!;
      const gain = e === 0 ? th : th + pw[i]!;
      const row = e * W;
      for (let b = 0; b < W; b++) {
        const v0 = A[b]!;
        if (pe <= b) {
          const v1 = gain + A[W + b - pe]!;
          if (v1 >= v0) {
            V[row + b] = v1;
            dec[base + row + b] = 1;
            continue;
          }
        }
        V[row + b] = v0;
      }
    }
    if (own >= 0) {
      free.push(own);
      accSlot[i] = -1;
    }
    // Fold V_i into the parent's accumulator (SCBA step), recording the budget given to i.
    const par = isRoot ? n : parent[i]!;
    let ps = accSlot[par]!;
    if (ps < 0) {
      // First child of `par`: folding into an all-zero accumulator is just a copy (V is non-decreasing,
      // so max_{a≤b} V(a) = V(b)), and the smallest maximising split is the last breakpoint ≤ b — the
      // same cells the general loop below would produce, in O(D) instead of O(D · breakpoints).
      // This makes chains O(n·D).
      ps = free.length > 0 ? free.pop()! : slots.push(new Float64Array(W2)) - 1;
      accSlot[par] = ps;
      const P = slots[ps]!;
      P.fill(0);
      for (let e = 0; e < rows; e++) {
        const row = e * W;
        let last = 0;
        for (let b = 0; b < W; b++) {
          if (b > 0 && V[row + b]! > V[row + b - 1]!) last = b;
          P[row + b] = V[row + b]!;
          split[base + row + b] = last;
        }
      }
      continue;
    }
    const P = slots[ps]!;
    for (let e = 0; e < rows; e++) {
      const row = e * W;
      let nb = 0;
      bp[nb++] = 0;
      for (let a = 1; a < W; a++) if (V[row + a]! > V[row + a - 1]!) bp[nb++] = a;
      const v0 = V[row]!;
      for (let b = D; b >= 0; b--) {
        let best = P[row + b]! + v0;
        let arg = 0;
        for (let s = 1; s < nb; s++) {
          const a = bp[s]!;
          if (a > b) break;
          const cand = P[row + b - a]! + V[row + a]!;
          if (cand > best) {
            best = cand;
            arg = a;
          }
        }
        P[row + b] = best;
        split[base + row + b] = arg;
      }
    }
  }
  const objective = slots[accSlot[n]!]![D]!;

  // Top-down extraction (Algorithm 5): parents precede children in reverse post-order, and a parent's
  // children appear in reverse folding order, so peeling splits off the remaining budget is exact.
  const units = new Int32Array(n);
  const rem = new Int32Array(n + 1);
  const eff = new Uint8Array(n + 1);
  rem[n] = D;
  for (let t = n - 1; t >= 0; t--) {
    const j = postOrder[t]!;
    const par = parent[j]! >= 0 ? parent[j]! : n;
    const e = eff[par]!;
    const B = rem[par]!;
    const row = j * W2 + e * W;
    const a = split[row + B]!;
    rem[par] = B - a;
    if (dec[row + a] === 1) {
      const cost_ = e === 0 ? pi0[j]! : pi1[j]!;
      units[j] = cost_;
      rem[j] = a - cost_;
      eff[j] = 1;
    } else {
      rem[j] = a;
    }
  }
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = units[i]! / D;
  return { p, units, objective };
}

/**
 * The HOP solver behind the {@link CcsSolver} interface (`algo: 'hop'`).
 * @throws see {@link hopPortions}.
 */
export const hopSolver: CcsSolver = {
  algo: 'hop',
  backend: 'ts',
  solve(inst: CcsInstance, opts: CcsSolverOptions): CcsSolution {
    const r = hopDpTs(planHop(inst, opts.units));
    return finishSolution(inst, 'hop', r.p, { delta: opts.delta, objective: r.objective });
  },
};

/** The TypeScript reference HOP kernel (backend `'ts'`, family `hop`). */
export const tsHopKernels: HopKernels = Object.freeze({ backend: 'ts', dp: hopDpTs });

declare module '@mechlab/core' {
  interface KernelFamilies {
    /** The HOP tree DP (solvers/hop.ts). */
    readonly hop: HopKernels;
  }
}
defineKernelFamily('hop', { what: 'the HOP kernel' });
registerKernels('ts', 'hop', tsHopKernels, { priority: 0 });
