/**
 * Greedy Cost Selection in WebAssembly (MODELS.md §1.3.4; seed 004 Algorithm 2) — the wrapper of
 * assembly/gcs.ts, twin of core's `gcsPortions` (packages/ccs/src/solvers/gcs.ts). The solver
 * runs GCS and the greatest-equilibrium cascade on one copy of the instance in linear memory.
 * `p`, `k` and `order` are identical to the reference.
 */
import {
  requireBinary,
  type CcsInstance,
  type CcsSolution,
  type CcsSolver,
  type CcsSolverOptions,
  type GcsDesign,
} from '@mechlab/ccs';
import {
  allocEquilibrium,
  allocInstance,
  copyInstance,
  runEquilibrium,
  type CsrPtrs,
  type EqPtrs,
} from './equilibrium';
import { loadKernels, type Kernels } from './wasm';

interface GcsRun {
  readonly k: Kernels;
  readonly at: CsrPtrs;
  readonly eq: EqPtrs;
  readonly pPtr: number;
  readonly design: GcsDesign;
}

function run(inst: CcsInstance): GcsRun {
  requireBinary(inst, 'gcs');
  const { n } = inst;
  const a = loadKernels().arena();
  const at = allocInstance(a, inst);
  const order = a.i32(n);
  const cd = a.f64(2 * n);
  const pPtr = a.f64(n);
  const tmp = a.i32(n);
  const lo = a.i32(n);
  const hi = a.i32(n);
  const lo2 = a.i32(n);
  const hi2 = a.i32(n);
  const count = a.i32(65537);
  const eq = allocEquilibrium(a, n);
  const k = a.commit();
  copyInstance(k, at, inst);
  const size = k.exports.gcsPortions(
    n,
    at.theta,
    at.cost,
    at.inStart,
    at.inFrom,
    at.inWeight,
    at.outStart,
    at.outTo,
    at.outWeight,
    order,
    cd,
    pPtr,
    tmp,
    lo,
    hi,
    lo2,
    hi2,
    count,
  );
  const design = { p: k.f64(pPtr, n).slice(), k: size, order: k.i32(order, n).slice() };
  return { k, at, eq, pPtr, design };
}

/**
 * Greedy Cost Selection portions in WebAssembly. Same contract as core's `gcsPortions`.
 *
 * Complexity O(n + |E|) plus an O(n) radix sort (insertion sort for n ≤ 64); O(n) extra memory.
 * @throws MechlabError `ERR_INVALID_INPUT` unless linear cost + graph quality.
 * @example gcsPortionsWasm(createCcsInstance({ theta: [1, 1, 1], cost: [0.2, 0.4, 0.9] }))
 * // → { p: [0.2, 0.4, 0], k: 2, order: [0, 1, 2] }
 */
export function gcsPortionsWasm(inst: CcsInstance): GcsDesign {
  return run(inst).design;
}

/** The WebAssembly GCS solver behind core's `CcsSolver` interface (`algo: 'gcs'`, `backend: 'wasm'`). */
export const wasmGcsSolver: CcsSolver = Object.freeze({
  algo: 'gcs',
  backend: 'wasm',
  solve(inst: CcsInstance, _opts: CcsSolverOptions): CcsSolution {
    const { k, at, eq, pPtr, design } = run(inst);
    const r = runEquilibrium(k, inst, at, pPtr, eq);
    return {
      algo: 'gcs',
      p: design.p,
      efforts: r.efforts,
      active: r.active,
      welfare: r.welfare,
      backend: 'wasm',
      meta: { targeted: design.k },
    };
  },
});
