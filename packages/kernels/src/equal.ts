/**
 * Equal Allocation (seed 004 §6 baseline) on the WebAssembly backend: `p_i = 1/n` and the greatest
 * equilibrium in WebAssembly (graph quality). Scaling-law instances are handed to the TS reference
 * whole, and their solution says `backend: 'ts'` — the result always names the code that ran.
 */
import {
  equalPortions,
  tsCcsSolvers,
  type CcsInstance,
  type CcsSolution,
  type CcsSolver,
  type CcsSolverOptions,
} from '@mechlab/ccs';
import { finishSolutionWasm } from './equilibrium';

/** The WebAssembly Equal Allocation solver (`algo: 'equal'`, `backend: 'wasm'`). Never throws. */
export const wasmEqualSolver: CcsSolver = Object.freeze({
  algo: 'equal',
  backend: 'wasm',
  solve(inst: CcsInstance, opts: CcsSolverOptions): CcsSolution {
    if (inst.quality.kind !== 'graph') return tsCcsSolvers.equal.solve(inst, opts);
    return finishSolutionWasm(inst, 'equal', equalPortions(inst), {});
  },
});
