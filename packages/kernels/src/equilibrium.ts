/**
 * Greatest equilibrium under Provisional Allocation in WebAssembly (MODELS.md §1.2; seed 004
 * Theorem 5), graph quality, on sparse (CSR, a `CcsInstance`) and dense (n×n matrix) graphs — the
 * wrappers of assembly/equilibrium.ts (the `backend`-selecting public entry points are in
 * greatest-equilibrium.ts).
 *
 * CSR results are identical to core's `greatestEquilibrium` (same cascade / same sweeps, same float
 * operations in the same order). Dense results are identical to the TS twin in
 * reference/equilibrium.ts; against the CSR path they share the active set and agree on welfare to
 * ~1e-15 relative (spillover sums are added in a different order).
 */
import { MechlabError } from '@mechlab/core';
import {
  equilibriumKernelOptions,
  hasBinaryBestResponses,
  type CcsAlgo,
  type CcsInstance,
  type CcsSolution,
  type CcsSolutionMeta,
  type DenseEquilibriumRaw,
  type DenseGraphGame,
  type EquilibriumKernelOptions,
  type EquilibriumKernels,
  type GreatestEquilibrium,
} from '@mechlab/ccs';
import { loadKernels, type Arena, type Kernels } from './wasm';

/** Offsets of a `CcsInstance`'s arrays inside a layout. */
export interface CsrPtrs {
  readonly theta: number;
  readonly cost: number;
  readonly inStart: number;
  readonly inFrom: number;
  readonly inWeight: number;
  readonly outStart: number;
  readonly outTo: number;
  readonly outWeight: number;
}

/** Reserve room for an instance's θ, c and both CSR views. */
export function allocInstance(a: Arena, inst: CcsInstance): CsrPtrs {
  const { n } = inst;
  const m = inst.graph.edgeCount;
  return {
    theta: a.f64(n),
    cost: a.f64(n),
    inStart: a.i32(n + 1),
    inFrom: a.i32(m),
    inWeight: a.f64(m),
    outStart: a.i32(n + 1),
    outTo: a.i32(m),
    outWeight: a.f64(m),
  };
}

/** Copy an instance into its reserved room (after `commit`). O(n + |E|). */
export function copyInstance(k: Kernels, at: CsrPtrs, inst: CcsInstance): void {
  const { n, graph: g } = inst;
  const m = g.edgeCount;
  k.f64(at.theta, n).set(inst.theta);
  k.f64(at.cost, n).set(inst.cost);
  k.i32(at.inStart, n + 1).set(g.inStart);
  k.i32(at.inFrom, m).set(g.inFrom.subarray(0, m));
  k.f64(at.inWeight, m).set(g.inWeight.subarray(0, m));
  k.i32(at.outStart, n + 1).set(g.outStart);
  k.i32(at.outTo, m).set(g.outTo.subarray(0, m));
  k.f64(at.outWeight, m).set(g.outWeight.subarray(0, m));
}

/** Offsets of the equilibrium scratch and outputs. */
export interface EqPtrs {
  readonly denom: number;
  readonly on: number;
  readonly queue: number;
  readonly efforts: number;
  readonly next: number;
  readonly active: number;
  readonly out: number;
}

/** Reserve the equilibrium buffers for n players. */
export function allocEquilibrium(a: Arena, n: number): EqPtrs {
  return {
    denom: a.f64(n),
    on: a.u8(n),
    queue: a.i32(n),
    efforts: a.f64(n),
    next: a.f64(n),
    active: a.i32(n),
    out: a.f64(2),
  };
}

/** ccs's defaults (`equilibriumKernelOptions()`), for the solvers that pass no options. */
const DEFAULT_OPTIONS: EquilibriumKernelOptions = Object.freeze(equilibriumKernelOptions());

/**
 * Run the equilibrium kernel for portions already at `pPtr`: the cascade for linear cost, the
 * best-response iteration (Gauss–Seidel unless `jacobi`) for quadratic cost. Graph quality only.
 * @throws MechlabError `ERR_NOT_CONVERGED` (same message as core) when the iteration does not converge.
 */
export function runEquilibrium(
  k: Kernels,
  inst: CcsInstance,
  at: CsrPtrs,
  pPtr: number,
  eq: EqPtrs,
  opts: EquilibriumKernelOptions = DEFAULT_OPTIONS,
): GreatestEquilibrium {
  const n = inst.n;
  const x = k.exports;
  if (hasBinaryBestResponses(inst) && !opts.iterate) {
    const welfare = x.eqBinaryCsr(
      n,
      at.theta,
      at.cost,
      pPtr,
      at.inStart,
      at.inFrom,
      at.inWeight,
      at.outStart,
      at.outTo,
      at.outWeight,
      eq.denom,
      eq.on,
      eq.queue,
      eq.efforts,
      eq.active,
      eq.out,
    );
    const count = k.i32(eq.out, 1)[0]!;
    return {
      efforts: k.f64(eq.efforts, n).slice(),
      active: k.i32(eq.active, count).slice(),
      welfare,
      iterations: 1,
      converged: true,
    };
  }
  const { tol, maxIterations } = opts;
  const it = x.eqIterateCsr(
    n,
    inst.costFamily === 'linear' ? 1 : 0,
    at.theta,
    at.cost,
    pPtr,
    at.inStart,
    at.inFrom,
    at.inWeight,
    opts.jacobi ? 1 : 0,
    tol,
    maxIterations,
    eq.efforts,
    eq.next,
    eq.active,
    eq.out,
  );
  if (it < 0) throw notConverged(tol, maxIterations);
  const out = k.f64(eq.out, 2);
  const welfare = out[0]!;
  const count = out[1]!;
  return {
    efforts: k.f64(eq.efforts, n).slice(),
    active: k.i32(eq.active, count).slice(),
    welfare,
    iterations: it,
    converged: true,
  };
}

export function notConverged(tol: number, maxIterations: number): MechlabError {
  return new MechlabError(
    'ERR_NOT_CONVERGED',
    `opts.maxIterations: best-response iteration did not converge to tol ${tol} within ${maxIterations} sweeps`,
    'opts.maxIterations',
  );
}

/**
 * The WASM backend's final step (the twin of core's `finishSolution`): play the greatest equilibrium
 * of a designed `p` in WebAssembly and wrap it as a `CcsSolution` with `backend: 'wasm'`. Graph
 * quality only (the callers check). O(n + |E|) for binary instances.
 */
export function finishSolutionWasm(
  inst: CcsInstance,
  algo: CcsAlgo,
  p: Float64Array,
  meta: CcsSolutionMeta,
): CcsSolution {
  const r = equilibriumOnWasm(inst, p);
  const binary = hasBinaryBestResponses(inst);
  return {
    algo,
    p,
    efforts: r.efforts,
    active: r.active,
    welfare: r.welfare,
    backend: 'wasm',
    meta: binary ? meta : { ...meta, iterations: r.iterations, converged: r.converged },
  };
}

/** Lay out a CSR instance and portions, and run {@link runEquilibrium}. O(n + |E|) copies. */
function equilibriumOnWasm(
  inst: CcsInstance,
  p: Float64Array,
  opts?: Parameters<typeof runEquilibrium>[5],
): GreatestEquilibrium {
  const a = loadKernels().arena();
  const at = allocInstance(a, inst);
  const pPtr = a.f64(inst.n);
  const eq = allocEquilibrium(a, inst.n);
  const k = a.commit();
  copyInstance(k, at, inst);
  k.f64(pPtr, inst.n).set(p);
  return runEquilibrium(k, inst, at, pPtr, eq, opts);
}

/** The WebAssembly `equilibrium` kernels (registered by `registerWasmBackend()`); graph quality only. */
export const wasmEquilibriumKernels: EquilibriumKernels = Object.freeze({
  backend: 'wasm',
  supports: (inst: CcsInstance) => inst.quality.kind === 'graph',
  greatest(inst: CcsInstance, p: Float64Array, opts: EquilibriumKernelOptions): GreatestEquilibrium {
    if (inst.quality.kind !== 'graph') {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `the wasm equilibrium kernels support graph quality only (this instance has ${inst.quality.kind} quality); use backend "ts"`,
        'backend',
      );
    }
    return equilibriumOnWasm(inst, p, opts);
  },
  dense(game: DenseGraphGame, p: Float64Array, cascade: boolean, opts: EquilibriumKernelOptions) {
    return denseWasm(game, p, cascade, opts.jacobi, opts.tol, opts.maxIterations);
  },
});
function denseWasm(
  game: DenseGraphGame,
  p: Float64Array,
  cascade: boolean,
  jacobi: boolean,
  tol: number,
  maxIterations: number,
): DenseEquilibriumRaw {
  const { n } = game;
  const a = loadKernels().arena();
  const pTheta = a.f64(n);
  const pCost = a.f64(n);
  const pP = a.f64(n);
  const pW = a.f64(n * n);
  const eq = allocEquilibrium(a, n);
  const acc = a.f64(n);
  const k = a.commit();
  k.f64(pTheta, n).set(game.theta);
  k.f64(pCost, n).set(game.cost);
  k.f64(pP, n).set(p);
  k.f64(pW, n * n).set(game.weights);
  const x = k.exports;
  if (cascade) {
    const welfare = x.eqBinaryDense(
      n,
      pTheta,
      pCost,
      pP,
      pW,
      eq.denom,
      eq.on,
      eq.queue,
      eq.efforts,
      eq.active,
      eq.out,
    );
    const count = k.i32(eq.out, 1)[0]!;
    return {
      efforts: k.f64(eq.efforts, n).slice(),
      active: k.i32(eq.active, count).slice(),
      welfare,
      iterations: 1,
    };
  }
  const linear = (game.costFamily ?? 'linear') === 'linear';
  const it = x.eqIterateDense(
    n,
    linear ? 1 : 0,
    pTheta,
    pCost,
    pP,
    pW,
    jacobi ? 1 : 0,
    tol,
    maxIterations,
    eq.efforts,
    eq.next,
    eq.active,
    eq.out,
    acc,
  );
  if (it < 0)
    return { efforts: new Float64Array(n), active: new Int32Array(0), welfare: NaN, iterations: -1 };
  const out = k.f64(eq.out, 2);
  return {
    efforts: k.f64(eq.efforts, n).slice(),
    active: k.i32(eq.active, out[1]!).slice(),
    welfare: out[0]!,
    iterations: it,
  };
}
