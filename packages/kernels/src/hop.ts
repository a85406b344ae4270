/**
 * HOP tree DP in WebAssembly (MODELS.md §1.3.3; seed 004 Theorem 11/21, Algorithms 3–5) — the `hop`
 * family's WebAssembly kernel (assembly/hop.ts), twin of core's `hopDpTs`.
 *
 * The O(n) set-up is core's shared `planHop` (checks, error messages, heavy-first post-order,
 * incentive costs), used by every backend; the kernel runs the value functions, SCBA folds and
 * top-down extraction with the reference's loops and float operations — `units`, `p` and the
 * objective are identical.
 */
import {
  planHop,
  type CcsInstance,
  type CcsSolution,
  type CcsSolver,
  type CcsSolverOptions,
  type HopDesign,
  type HopKernels,
  type HopPlan,
} from '@mechlab/ccs';
import { finishSolutionWasm } from './equilibrium';
import { loadKernels } from './wasm';

/**
 * Optimal δ-grid Provisional Allocation on a forest, DP in WebAssembly. Same contract as core's
 * `hopPortions(inst, D, { backend: 'wasm' })`.
 *
 * Complexity O(n · D²) worst case (O(n · D · breakpoints) in practice); memory 3 bytes per
 * (player, parent effort, budget) cell + O(D log n) doubles of accumulators.
 * @throws MechlabError as `hopPortions`: `ERR_INVALID_INPUT` unless linear cost + graph quality,
 *   `ERR_NOT_A_FOREST`, `ERR_TOO_LARGE` (D > 65535 or tables beyond `HOP_MAX_CELLS`).
 * @example hopPortionsWasm(createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5], edges: [[0, 1, 1]] }), 4)
 * // → { p: [0.5, 0.25], units: [2, 1], objective: 3 }
 */
export function hopPortionsWasm(inst: CcsInstance, D: number): HopDesign {
  return runHopPlan(planHop(inst, D));
}

/** A {@link HopPlan} laid out in kernel memory, callable repeatedly (benchmarks time `run`). */
export interface HopLayout {
  /** Run the DP kernel on the laid-out plan; returns the objective. */
  run(): number;
  /** Read the result of the last `run`. */
  result(objective: number): HopDesign;
}

/** Lay out a plan in kernel memory (one layout at a time: the next layout overwrites it). */
export function layoutHop(plan: HopPlan): HopLayout {
  const { n, D } = plan;
  const W = D + 1;
  const W2 = 2 * W;
  // Heavy-first post-order keeps at most ⌊log₂ n⌋ + 3 accumulators open (see assembly/hop.ts).
  const maxSlots = 32 - Math.clz32(n) + 3;
  const a = loadKernels().arena();
  const o = {
    parent: a.i32(n),
    post: a.i32(n),
    pw: a.f64(n),
    pi0: a.i32(n),
    pi1: a.i32(n),
    theta: a.f64(n),
    dec: a.u8(n * W2),
    split: a.u16(n * W2),
    slots: a.f64(maxSlots * W2),
    free: a.i32(maxSlots),
    acc: a.i32(n + 1),
    V: a.f64(W2),
    zeros: a.f64(W2),
    T: a.f64(W),
    S: a.f64(W),
    rem: a.i32(n + 1),
    eff: a.u8(n + 1),
    units: a.i32(n),
  };
  const k = a.commit();
  k.i32(o.parent, n).set(plan.parent);
  k.i32(o.post, n).set(plan.postOrder);
  k.f64(o.pw, n).set(plan.pw);
  k.i32(o.pi0, n).set(plan.pi0);
  k.i32(o.pi1, n).set(plan.pi1);
  k.f64(o.theta, n).set(plan.theta);
  const hopDp = k.exports.hopDp;
  return {
    run: () =>
      hopDp(
        n,
        D,
        o.parent,
        o.post,
        o.pw,
        o.pi0,
        o.pi1,
        o.theta,
        o.dec,
        o.split,
        o.slots,
        maxSlots,
        o.free,
        o.acc,
        o.V,
        o.zeros,
        o.T,
        o.S,
        o.rem,
        o.eff,
        o.units,
      ),
    result(objective: number): HopDesign {
      if (Number.isNaN(objective)) throw new Error('internal: the hop accumulator pool overflowed');
      const units = k.i32(o.units, n).slice();
      const p = new Float64Array(n);
      for (let i = 0; i < n; i++) p[i] = units[i]! / D;
      return { p, units, objective };
    },
  };
}

/** Run the DP for a plan (layout + one run). */
export function runHopPlan(plan: HopPlan): HopDesign {
  const l = layoutHop(plan);
  return l.result(l.run());
}

/** The WebAssembly `hop` kernel (registered by `registerWasmBackend()`). */
export const wasmHopKernels: HopKernels = Object.freeze({ backend: 'wasm', dp: runHopPlan });

/** The WebAssembly HOP solver behind core's `CcsSolver` interface (`algo: 'hop'`, `backend: 'wasm'`). */
export const wasmHopSolver: CcsSolver = Object.freeze({
  algo: 'hop',
  backend: 'wasm',
  solve(inst: CcsInstance, opts: CcsSolverOptions): CcsSolution {
    const r = hopPortionsWasm(inst, opts.units);
    return finishSolutionWasm(inst, 'hop', r.p, { delta: opts.delta, objective: r.objective });
  },
});
