/**
 * The CCS design problem (MODELS.md §1.3; seed 004 §3–6): choose Provisional Allocation portions `p`
 * (Σ ≤ 1) maximising the welfare of the greatest equilibrium. One entry point, {@link solveCcs}, over
 * the backend registry (core's backend.ts; kernel family `ccs`, whose members are the solvers keyed
 * by algorithm): the TS reference below registers as
 * `'ts'` (priority 0); `@mechlab/kernels` registers the WebAssembly twins as `'wasm'` (same
 * {@link CcsSolver} interface, same file names — STYLE.md §3–4).
 */
import {
  checkBackendName,
  defineKernelFamily,
  registerKernels,
  resolveMember,
  withBackendScope,
  type BackendName,
} from '@mechlab/core';
import { z } from 'zod';
import { expected, parseOptions } from '../validate';
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
  /**
   * Implementation: `'ts'` (the reference, always there) or `'wasm'` (once `@mechlab/kernels` is
   * registered). Default: the highest-priority registered backend that implements `algo`. The
   * solution's `backend` says which one ran.
   */
  readonly backend?: CcsBackendName;
  /** Largest n the exact solver accepts (default 40). */
  readonly exactMaxN?: number;
}

declare module '@mechlab/core' {
  interface KernelFamilies {
    /** The CCS design solvers, by algorithm; a backend implements any subset of them. */
    readonly ccs: Partial<Readonly<Record<CcsAlgo, CcsSolver>>>;
  }
}

/** Default grid step δ of MODELS.md §1.3.2 / FORMATS.md (`--delta 0.01`). */
export const DEFAULT_DELTA = 0.01;

/** All algorithms, in the order the CLI lists them. */
export const CCS_ALGOS: readonly CcsAlgo[] = ['exact', 'nsr', 'hop', 'gcs', 'equal'];

/** Pin nested kernel calls of a TS solver (NSR's knapsack) to the TS kernels (backend.ts). */
function pinned(s: CcsSolver): CcsSolver {
  return Object.freeze({
    algo: s.algo,
    backend: s.backend,
    solve: (inst: CcsInstance, opts: CcsSolverOptions) => withBackendScope('ts', () => s.solve(inst, opts)),
  });
}

/** The TypeScript reference solvers, keyed by algorithm (registered as backend `'ts'`, priority 0). */
export const tsCcsSolvers: Readonly<Record<CcsAlgo, CcsSolver>> = Object.freeze({
  exact: pinned(exactSolver),
  nsr: pinned(nsrSolver),
  hop: pinned(hopSolver),
  gcs: pinned(gcsSolver),
  equal: pinned(equalSolver),
});
defineKernelFamily('ccs', { what: 'the CCS solvers', members: CCS_ALGOS });
registerKernels('ts', 'ccs', tsCcsSolvers, { priority: 0 });

/**
 * Validate `solveCcs` options (shared with other backends so they reject the same inputs the same way).
 *
 * Complexity O(1).
 * @throws MechlabError (zod + core's `parseWithSchema`) naming the field: `ERR_INVALID_INPUT` for an
 *   unknown `algo`; `ERR_INVALID_TYPE` for an unknown or unregistered `backend` (the message lists the
 *   registered ones) or a non-number `delta`; `ERR_OUT_OF_RANGE` when `delta ∉ (0, 1]`, `1/delta` is
 *   not an integer within 1e-9 (relative), or `exactMaxN` is not an integer ≥ 1.
 * @example resolveCcsOptions({ algo: 'nsr', delta: 0.05 }) // → { algo: 'nsr', delta: 0.05, units: 20, exactMaxN: 40 }
 */
export function resolveCcsOptions(
  opts: CcsSolveOptions,
): CcsSolverOptions & { algo: CcsAlgo; backend?: BackendName } {
  const o = parseOptions(ccsSolveOptionsSchema, opts);
  const backend = checkBackendName(o.backend);
  const units = Math.round(1 / o.delta);
  return backend === undefined
    ? { algo: o.algo, delta: 1 / units, units, exactMaxN: o.exactMaxN }
    : { algo: o.algo, delta: 1 / units, units, exactMaxN: o.exactMaxN, backend };
}

/** Whether `1/delta` is an integer within 1e-9 (relative). */
function isUnitGrid(delta: number): boolean {
  const inv = 1 / delta;
  const units = Math.round(inv);
  return Math.abs(inv - units) <= 1e-9 * units;
}

/** The boundary schema of `solveCcs` options (`backend` is checked against the registry). */
const ccsSolveOptionsSchema = z.object({
  algo: z.enum(CCS_ALGOS as readonly CcsAlgo[] as [CcsAlgo, ...CcsAlgo[]]),
  delta: z
    .number()
    .gt(0)
    .lte(1)
    .refine(isUnitGrid, expected('1/D for a positive integer D (e.g. 0.01, 0.05, 0.25)'))
    .default(DEFAULT_DELTA),
  backend: z.unknown().optional(),
  exactMaxN: z.number().int().min(1).default(EXACT_MAX_N),
});

/**
 * Design a Provisional Allocation for a CCS instance and play its greatest equilibrium.
 *
 * `welfare`, `efforts` and `active` are always recomputed from the returned `p` (binary deletion
 * cascade for linear + graph, general best-response iteration otherwise), never taken from the
 * solver's internal model. exact, hop and gcs need linear cost + graph quality; nsr needs graph
 * quality; equal works everywhere.
 *
 * Backend: `opts.backend` or, when omitted, the highest-priority registered backend implementing
 * `algo` (backend.ts). Backends give identical `p`, `efforts` and `active`; `welfare` agrees to 1e-12
 * relative (see packages/kernels/README.md for the float-reduction notes). Nested kernel calls run on
 * the same backend as the solver.
 *
 * Complexity: that of the chosen solver — exact: exponential (branch and bound, n ≤ exactMaxN);
 * nsr: O(n·D) linear / O(n·D²) quadratic; hop: O(n·D²); gcs: O(n log n + |E|); equal: O(n) — plus
 * the equilibrium evaluation (O(n + |E|) for binary instances).
 *
 * @throws MechlabError `ERR_INVALID_TYPE`/`ERR_OUT_OF_RANGE` for bad options (see
 *   {@link resolveCcsOptions}); `ERR_INVALID_INPUT` naming `backend` when the requested backend does
 *   not implement `algo` or failed to initialise; `ERR_INVALID_INPUT` when the algorithm does not support the instance's
 *   cost/quality family; `ERR_NOT_A_FOREST` (hop); `ERR_TOO_LARGE` (exact beyond exactMaxN, huge grids).
 * @see MODELS.md §1.3; seed 004 Algorithms 1–5, Theorems 9, 11, 12.
 * @example
 * const inst = createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5], edges: [[0, 1, 1], [1, 0, 1]] });
 * solveCcs(inst, { algo: 'gcs' }) // → { algo: 'gcs', p: [0.25, 0.25], active: [0, 1], welfare: 4, backend: 'ts', … }
 */
export function solveCcs(inst: CcsInstance, opts: CcsSolveOptions): CcsSolution {
  const resolved = resolveCcsOptions(opts);
  const solver = resolveMember('ccs', resolved.algo, `the ${resolved.algo} solver`, resolved.backend).kernel;
  return withBackendScope(solver.backend, () => solver.solve(inst, resolved));
}
