/**
 * The CCS design problem (MODELS.md §1.3; seed 004 §3–6): choose Provisional Allocation portions `p`
 * (Σ ≤ 1) maximising the welfare of the greatest equilibrium. One entry point, {@link solveCcs}, over a
 * registry of solvers keyed by algorithm; a WASM backend implements the same {@link CcsSolver}
 * interface with the same file names (STYLE.md §3–4).
 */
import { rangeError, typeError } from '../../errors';
import type { CcsInstance } from '../instance';
import type { CcsAlgo, CcsBackendName, CcsSolution, CcsSolver, CcsSolverOptions } from './common';
import { equalSolver } from './equal';
import { EXACT_MAX_N, exactSolver } from './exact';
import { gcsSolver } from './gcs';
import { hopSolver } from './hop';
import { nsrSolver } from './nsr';

/** Options of {@link solveCcs}. */
export interface CcsSolveOptions {
  readonly algo: CcsAlgo;
  /** Grid step δ for nsr and hop; `1/δ` must be an integer (within 1e-9). Default 0.01. */
  readonly delta?: number;
  /** Implementation; core ships only `'ts'`. */
  readonly backend?: CcsBackendName;
  /** Largest n the exact solver accepts (default 40). */
  readonly exactMaxN?: number;
}

/** Default grid step δ of MODELS.md §1.3.2 / FORMATS.md (`--delta 0.01`). */
export const DEFAULT_DELTA = 0.01;

/** All algorithms, in the order the CLI lists them. */
export const CCS_ALGOS: readonly CcsAlgo[] = ['exact', 'nsr', 'hop', 'gcs', 'equal'];

/** The TypeScript reference solvers, keyed by algorithm. */
export const tsCcsSolvers: Readonly<Record<CcsAlgo, CcsSolver>> = Object.freeze({
  exact: exactSolver,
  nsr: nsrSolver,
  hop: hopSolver,
  gcs: gcsSolver,
  equal: equalSolver,
});

/**
 * Validate `solveCcs` options (shared with other backends so they reject the same inputs the same way).
 *
 * Complexity O(1).
 * @throws MechlabError `ERR_INVALID_TYPE` for an unknown `algo`/`backend` or a non-number `delta`;
 *   `ERR_OUT_OF_RANGE` when `delta ∉ (0, 1]` or `1/delta` is not an integer within 1e-9 (relative).
 * @example resolveCcsOptions({ algo: 'nsr', delta: 0.05 }) // → { algo: 'nsr', delta: 0.05, units: 20, exactMaxN: 40 }
 */
export function resolveCcsOptions(opts: CcsSolveOptions): CcsSolverOptions & { algo: CcsAlgo } {
  if (opts === null || typeof opts !== 'object') throw typeError('options', 'an object {algo, delta?}', opts);
  const algo = opts.algo;
  if (!CCS_ALGOS.includes(algo)) {
    throw typeError('algo', '"exact", "nsr", "hop", "gcs" or "equal"', algo);
  }
  const backend = opts.backend ?? 'ts';
  if (backend !== 'ts') {
    throw typeError('backend', '"ts" (the only backend built into @mechlab/core)', backend);
  }
  const delta = opts.delta ?? DEFAULT_DELTA;
  if (typeof delta !== 'number') throw typeError('delta', 'a number', delta);
  if (!(delta > 0 && delta <= 1)) throw rangeError('delta', 'in (0, 1] with 1/delta an integer', delta);
  const inv = 1 / delta;
  const units = Math.round(inv);
  if (!(Math.abs(inv - units) <= 1e-9 * units)) {
    throw rangeError('delta', '1/D for a positive integer D (e.g. 0.01, 0.05, 0.25)', delta);
  }
  const exactMaxN = opts.exactMaxN ?? EXACT_MAX_N;
  if (!(Number.isSafeInteger(exactMaxN) && exactMaxN >= 1)) {
    throw rangeError('exactMaxN', 'a positive integer', exactMaxN);
  }
  return { algo, delta: 1 / units, units, exactMaxN };
}

/**
 * Design a Provisional Allocation for a CCS instance and play its greatest equilibrium.
 *
 * `welfare`, `efforts` and `active` are always recomputed from the returned `p` (binary deletion
 * cascade for linear + graph, general best-response iteration otherwise), never taken from the
 * solver's internal model. exact, hop and gcs need linear cost + graph quality; nsr needs graph
 * quality; equal works everywhere.
 *
 * Complexity: that of the chosen solver — exact: exponential (branch and bound, n ≤ exactMaxN);
 * nsr: O(n·D) linear / O(n·D²) quadratic; hop: O(n·D²); gcs: O(n log n + |E|); equal: O(n) — plus
 * the equilibrium evaluation (O(n + |E|) for binary instances).
 *
 * @throws MechlabError `ERR_INVALID_TYPE`/`ERR_OUT_OF_RANGE` for bad options (see
 *   {@link resolveCcsOptions}); `ERR_INVALID_INPUT` when the algorithm does not support the instance's
 *   cost/quality family; `ERR_NOT_A_FOREST` (hop); `ERR_TOO_LARGE` (exact beyond exactMaxN, huge grids).
 * @see MODELS.md §1.3; seed 004 Algorithms 1–5, Theorems 9, 11, 12.
 * @example
 * const inst = createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5], edges: [[0, 1, 1], [1, 0, 1]] });
 * solveCcs(inst, { algo: 'gcs' }) // → { algo: 'gcs', p: [0.25, 0.25], active: [0, 1], welfare: 4, backend: 'ts', … }
 */
export function solveCcs(inst: CcsInstance, opts: CcsSolveOptions): CcsSolution {
  const resolved = resolveCcsOptions(opts);
  return tsCcsSolvers[resolved.algo].solve(inst, resolved);
}
