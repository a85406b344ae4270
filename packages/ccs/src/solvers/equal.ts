/**
 * Equal Allocation — the baseline of seed 004 §6: `p_i = 1/n` for every player, outcome = the greatest
 * equilibrium (MODELS.md §1.3.5). Works for every cost and quality family.
 */
import type { CcsInstance } from '../instance';
import { finishSolution, type CcsSolution, type CcsSolver, type CcsSolverOptions } from './common';

/**
 * Equal portions `p_i = 1/n`.
 *
 * Complexity O(n).
 * @see seed 004 §6 ("Equal Allocation (Baseline)").
 * @example equalPortions(createCcsInstance({ theta: [1, 1, 1, 1], cost: [0, 0, 0, 0] })) // → [0.25, 0.25, 0.25, 0.25]
 */
export function equalPortions(inst: CcsInstance): Float64Array {
  return new Float64Array(inst.n).fill(1 / inst.n);
}

/** The Equal Allocation baseline behind the {@link CcsSolver} interface (`algo: 'equal'`). Never throws. */
export const equalSolver: CcsSolver = {
  algo: 'equal',
  backend: 'ts',
  solve(inst: CcsInstance, _opts: CcsSolverOptions): CcsSolution {
    return finishSolution(inst, 'equal', equalPortions(inst), {});
  },
};
