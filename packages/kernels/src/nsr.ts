/**
 * NSR — No-Spillover Relaxation (MODELS.md §1.3.2; seed 004 Algorithm 1) on the WebAssembly backend:
 * core's profit table (`nsrProfits`, O(n·D)), the dense knapsack DP in WebAssembly
 * (assembly/mckp.ts), and the equilibrium cascade in WebAssembly. Twin of core's `nsrSolver`
 * (packages/ccs/src/solvers/nsr.ts); `p`, units and objective are identical.
 */
import { MechlabError } from '@mechlab/core';
import {
  MCKP_MAX_CELLS,
  nsrProfits,
  type CcsInstance,
  type CcsSolution,
  type CcsSolver,
  type CcsSolverOptions,
  type NsrDesign,
} from '@mechlab/ccs';
import { finishSolutionWasm } from './equilibrium';
import { wasmMckpKernels } from './mckp';

/**
 * NSR portions with the knapsack DP in WebAssembly. Same contract as core's `nsrPortions(inst, D)`.
 *
 * Complexity O(n · D) for linear costs, O(n · D²) in general; memory O(n · D).
 * @throws MechlabError `ERR_INVALID_INPUT` for scaling-law quality; `ERR_TOO_LARGE` for huge n·D.
 * @example nsrPortionsWasm(createCcsInstance({ theta: [1, 1], cost: [0.5, 0.6] }), 10)
 * // → { p: [0.5, 0], units: [5, 0], objective: 1 }
 */
export function nsrPortionsWasm(inst: CcsInstance, D: number): NsrDesign {
  const profits = nsrProfits(inst, D);
  const { n } = inst;
  const width = D + 1;
  if (n * width > MCKP_MAX_CELLS) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `solveMckpDense: the DP table would have ${n} × ${width} cells (limit ${MCKP_MAX_CELLS}); reduce the capacity or the number of classes`,
    );
  }
  const r = wasmMckpKernels.dense(n, D, profits);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = r.choice[i]! / D;
  return { p, units: r.choice, objective: r.value };
}

/** The WebAssembly NSR solver behind core's `CcsSolver` interface (`algo: 'nsr'`, `backend: 'wasm'`). */
export const wasmNsrSolver: CcsSolver = Object.freeze({
  algo: 'nsr',
  backend: 'wasm',
  solve(inst: CcsInstance, opts: CcsSolverOptions): CcsSolution {
    const r = nsrPortionsWasm(inst, opts.units);
    return finishSolutionWasm(inst, 'nsr', r.p, { delta: opts.delta, objective: r.objective });
  },
});
