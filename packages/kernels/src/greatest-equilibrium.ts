/**
 * The `backend`-selecting public entry points of the greatest equilibrium (MODELS.md §1.2; seed 004
 * Theorem 5): sparse (`CcsInstance`) and dense (n×n matrix) graphs, with core's option checks. The
 * WebAssembly kernels they may pick live in equilibrium.ts.
 */
import { z } from 'zod';
import { addRangeIssue, parseWithSchema, resolveKernels, typedArray, type BackendName } from '@mechlab/core';
import {
  equilibriumKernelOptions,
  validateMechanism,
  type CcsInstance,
  type DenseGraphGame,
  type GreatestEquilibrium,
  type GreatestEquilibriumOptions,
} from '@mechlab/ccs';
import { notConverged } from './equilibrium';

/** Options of {@link greatestEquilibrium}: core's, plus the backend. */
export interface EquilibriumOptions extends GreatestEquilibriumOptions {
  /** `'ts'` (core) or `'wasm'`; default: the registry's, falling back to `'ts'` for non-graph quality. */
  readonly backend?: BackendName;
}

/**
 * Greatest pure Nash equilibrium `x*(p)` under PRA(p) on a CSR instance, on the chosen backend of the
 * `equilibrium` family — core's `greatestEquilibrium` (TS) or the WebAssembly kernels (graph quality:
 * cascade for linear cost, best-response sweeps otherwise). Identical results on both; `backend` says
 * which ran. An omitted backend resolves through the registry; when that backend does not handle the
 * instance (WebAssembly and scaling-law quality) the TS reference runs.
 *
 * Complexity: O(n + |E|) (binary), O(sweeps · (n + |E|)) otherwise.
 * @throws MechlabError as core's `greatestEquilibrium` (`p…`, `opts…`, `ERR_NOT_CONVERGED`);
 *   naming `backend` for an unknown/unregistered/unavailable backend, or `'wasm'` with scaling-law quality.
 * @example
 * greatestEquilibrium(createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5], edges: [[0, 1, 1], [1, 0, 1]] }),
 *   [0.25, 0.25]) // → { efforts: [1, 1], active: [0, 1], welfare: 4, iterations: 1, converged: true, backend: 'wasm' }
 */
export function greatestEquilibrium(
  inst: CcsInstance,
  p: ArrayLike<number>,
  opts: EquilibriumOptions = {},
): GreatestEquilibrium & { backend: BackendName } {
  let { name, kernels } = resolveKernels('equilibrium', opts.backend);
  if (opts.backend === undefined && !kernels.supports(inst)) {
    ({ name, kernels } = resolveKernels('equilibrium', 'ts'));
  }
  // validateMechanism reads p as ArrayLike (core's checkPortions); the cast only satisfies its type.
  validateMechanism({ kind: 'pra', p: p as Float64Array }, inst.n);
  const o = equilibriumKernelOptions(opts);
  const r = kernels.greatest(inst, Float64Array.from(p), o);
  return { ...r, backend: name };
}

/** Options of {@link greatestEquilibriumDense}. */
export interface DenseEquilibriumOptions {
  readonly backend?: BackendName;
  /** `'auto'` (cascade for linear cost) or `'iterate'` (best-response sweeps always). */
  readonly method?: 'auto' | 'iterate';
  readonly schedule?: 'jacobi' | 'gauss-seidel';
  readonly tol?: number;
  readonly maxIterations?: number;
}

/**
 * Greatest equilibrium of a graph-quality game given as a dense n×n spillover matrix
 * (`weights[j·n + i] = w_{ji}`) — for dense graphs, where the matrix is smaller and faster than CSR.
 * Runs the `equilibrium` family's dense kernel of the requested backend (default: the registry's).
 *
 * Complexity O(n²) (cascade) or O(sweeps · n²).
 * @throws MechlabError naming the field (`game.weights[5] must be a finite number ≥ 0, got -1`,
 *   `game.weights[4]` for a non-zero diagonal, `p…`, `opts…`, `backend`), `ERR_NOT_CONVERGED`.
 * @example
 * greatestEquilibriumDense({ n: 2, theta: Float64Array.of(1, 1), cost: Float64Array.of(0.5, 0.5),
 *   weights: Float64Array.of(0, 1, 1, 0) }, [0.25, 0.25]).welfare // → 4
 */
export function greatestEquilibriumDense(
  game: DenseGraphGame,
  p: ArrayLike<number>,
  opts: DenseEquilibriumOptions = {},
): GreatestEquilibrium & { backend: BackendName } {
  checkDenseGame(game);
  validateMechanism({ kind: 'pra', p: p as Float64Array }, game.n);
  const o = equilibriumKernelOptions(opts);
  const { name, kernels } = resolveKernels('equilibrium', opts.backend);
  const linear = (game.costFamily ?? 'linear') === 'linear';
  const raw = kernels.dense(game, Float64Array.from(p), linear && !o.iterate, o);
  if (raw.iterations < 0) throw notConverged(o.tol, o.maxIterations);
  return { ...raw, converged: true, backend: name };
}
const finiteNonNegative = { ok: (x: number) => x >= 0 && x < Infinity, expected: 'a finite number ≥ 0' };

/** A dense game: n ≥ 1, theta/cost of n and weights of n² finite non-negative entries, zero diagonal. */
const denseGameSchema = z
  .object({
    n: z.number().int().min(1),
    theta: typedArray(Float64Array, finiteNonNegative),
    cost: typedArray(Float64Array, finiteNonNegative),
    weights: typedArray(Float64Array, finiteNonNegative),
    costFamily: z.enum(['linear', 'quadratic']).optional(),
  })
  .superRefine((g, ctx) => {
    const n = g.n;
    if (g.theta.length !== n) return addRangeIssue(ctx, ['theta', 'length'], `${n}`);
    if (g.cost.length !== n) return addRangeIssue(ctx, ['cost', 'length'], `${n}`);
    if (g.weights.length !== n * n) return addRangeIssue(ctx, ['weights', 'length'], `n² = ${n * n}`);
    for (let i = 0; i < n; i++) {
      if (g.weights[i * n + i] !== 0)
        return addRangeIssue(ctx, ['weights', i * n + i], '0 (no self-spillover)');
    }
  });

function checkDenseGame(game: DenseGraphGame): void {
  parseWithSchema(denseGameSchema, game, 'game');
}
