/**
 * The `backend`-selecting public entry points of the greatest equilibrium (MODELS.md §1.2; seed 004
 * Theorem 5): sparse (`CcsInstance`) and dense (n×n matrix) graphs, with core's option checks. The
 * WebAssembly kernels they may pick live in equilibrium.ts.
 */
import { rangeError, resolveKernels, typeError, type BackendName } from '@mechlab/core';
import {
  validateMechanism,
  type CcsInstance,
  type DenseGraphGame,
  type EquilibriumKernelOptions,
  type GreatestEquilibrium,
  type GreatestEquilibriumOptions,
} from '@mechlab/ccs';
import { DEFAULT_MAX_ITERATIONS, DEFAULT_TOL, notConverged } from './equilibrium';

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
  const o = checkEqOptions(opts);
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
  const o = checkEqOptions(opts);
  const { name, kernels } = resolveKernels('equilibrium', opts.backend);
  const linear = (game.costFamily ?? 'linear') === 'linear';
  const raw = kernels.dense(game, Float64Array.from(p), linear && !o.iterate, o);
  if (raw.iterations < 0) throw notConverged(o.tol, o.maxIterations);
  return { ...raw, converged: true, backend: name };
}
/** Core's option checks for `greatestEquilibrium`, with the same messages. */
function checkEqOptions(opts: GreatestEquilibriumOptions): EquilibriumKernelOptions {
  if (opts === null || typeof opts !== 'object') throw typeError('opts', 'an object', opts);
  const tol = opts.tol ?? DEFAULT_TOL;
  if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol)) {
    throw rangeError('opts.tol', 'a finite number ≥ 0', tol);
  }
  const maxIterations = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (typeof maxIterations !== 'number' || !Number.isInteger(maxIterations)) {
    throw typeError('opts.maxIterations', 'an integer', maxIterations);
  }
  if (maxIterations < 1) throw rangeError('opts.maxIterations', '≥ 1', maxIterations);
  if (maxIterations > 0x7fffffff) throw rangeError('opts.maxIterations', '≤ 2147483647', maxIterations);
  const schedule = opts.schedule ?? 'gauss-seidel';
  if (schedule !== 'jacobi' && schedule !== 'gauss-seidel') {
    throw typeError('opts.schedule', '"jacobi" or "gauss-seidel"', schedule);
  }
  const method = opts.method ?? 'auto';
  if (method !== 'auto' && method !== 'iterate')
    throw typeError('opts.method', '"auto" or "iterate"', method);
  return { tol, maxIterations, jacobi: schedule === 'jacobi', iterate: method === 'iterate' };
}

function checkDenseGame(game: DenseGraphGame): void {
  if (game === null || typeof game !== 'object')
    throw typeError('game', 'an object {n, theta, cost, weights}', game);
  const { n } = game;
  if (!Number.isSafeInteger(n) || n < 1) throw rangeError('game.n', 'an integer ≥ 1', n);
  for (const key of ['theta', 'cost'] as const) {
    const v = game[key];
    if (!(v instanceof Float64Array)) throw typeError(`game.${key}`, 'a Float64Array', v);
    if (v.length !== n) throw rangeError(`game.${key}.length`, `${n}`, v.length);
    for (let i = 0; i < n; i++) {
      if (!(v[i]! >= 0 && Number.isFinite(v[i]!)))
        throw rangeError(`game.${key}[${i}]`, 'a finite number ≥ 0', v[i]);
    }
  }
  const w = game.weights;
  if (!(w instanceof Float64Array)) throw typeError('game.weights', 'a Float64Array', w);
  if (w.length !== n * n) throw rangeError('game.weights.length', `n² = ${n * n}`, w.length);
  for (let t = 0; t < w.length; t++) {
    if (!(w[t]! >= 0 && Number.isFinite(w[t]!)))
      throw rangeError(`game.weights[${t}]`, 'a finite number ≥ 0', w[t]);
  }
  for (let i = 0; i < n; i++) {
    if (w[i * n + i] !== 0)
      throw rangeError(`game.weights[${i * n + i}]`, '0 (no self-spillover)', w[i * n + i]);
  }
  const fam = game.costFamily ?? 'linear';
  if (fam !== 'linear' && fam !== 'quadratic')
    throw typeError('game.costFamily', '"linear" or "quadratic"', fam);
}
