/**
 * The `equilibrium` kernel family: its backend interface ({@link EquilibriumKernels}) and TypeScript
 * reference. The CSR kernels' reference is core's `greatestEquilibrium` (equilibrium.ts); the
 * *dense-graph* kernels' reference is this file (`eqBinaryDenseTs`, `eqIterateDenseTs`,
 * `welfareDenseTs`) — same loops and float operations as the WebAssembly code of `@mechlab/kernels`
 * (assembly/equilibrium.ts), so the two agree bit for bit. Differences from the CSR path (sum order of
 * the spillovers: ascending source here, edge-list order there) are documented in the kernels README.
 */
import { defineKernelFamily, registerKernels, type BackendName } from '@mechlab/core';
import { isActive } from './best-response';
import { greatestEquilibriumUnchecked, type GreatestEquilibrium } from './equilibrium';
import type { CcsInstance } from './instance';

// Module-level aliases of global builtins (jest's vm sandbox makes global lookups slow in hot loops).
const { abs } = Math;

/** A graph-quality CCS game with a dense spillover matrix `weights[j·n + i] = w_{ji}` (j → i). */
export interface DenseGraphGame {
  readonly n: number;
  readonly theta: Float64Array;
  readonly cost: Float64Array;
  /** Row-major n×n, `weights[j·n + i]` = spillover from j into i's quality; zero diagonal. */
  readonly weights: Float64Array;
  /** `'linear'` (binary best responses, default) or `'quadratic'` cost. */
  readonly costFamily?: 'linear' | 'quadratic';
}

/** Raw outcome of a dense kernel (shared by the TS twin and the WASM wrapper). */
export interface DenseEquilibriumRaw {
  readonly efforts: Float64Array;
  readonly active: Int32Array;
  readonly welfare: number;
  /** Sweeps (iteration) or 1 (cascade); −1 when the iteration did not converge. */
  readonly iterations: number;
}

/** `Σ_i x_i (θ_i + Σ_j W[j·n+i] x_j)`, sources ascending (the twin of `welfareDense`). O(n²). */
export function welfareDenseTs(game: DenseGraphGame, x: Float64Array): number {
  const { n, theta, weights } = game;
  const acc = Float64Array.from(theta);
  for (let j = 0; j < n; j++) {
    const xj = x[j]!;
    if (xj === 0) continue;
    const row = j * n;
    for (let i = 0; i < n; i++) acc[i] = acc[i]! + weights[row + i]! * xj;
  }
  let sw = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    sw += xi * acc[i]!;
  }
  return sw;
}

function activeOf(x: Float64Array): Int32Array {
  let a = 0;
  for (let i = 0; i < x.length; i++) if (x[i]! > 0) a++;
  const out = new Int32Array(a);
  a = 0;
  for (let i = 0; i < x.length; i++) if (x[i]! > 0) out[a++] = i;
  return out;
}

/** Binary greatest equilibrium on a dense graph by the deletion cascade (twin of `eqBinaryDense`). O(n²). */
export function eqBinaryDenseTs(game: DenseGraphGame, p: Float64Array): DenseEquilibriumRaw {
  const { n, theta, cost, weights } = game;
  const denom = Float64Array.from(theta);
  for (let j = 0; j < n; j++) {
    const row = j * n;
    for (let i = 0; i < n; i++) denom[i] = denom[i]! + weights[row + i]!;
  }
  const on = new Uint8Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    if (!isActive(p[i]!, denom[i]!, cost[i]!)) queue[tail++] = i;
    else on[i] = 1;
  }
  while (head < tail) {
    const j = queue[head++]!;
    const row = j * n;
    for (let i = 0; i < n; i++) {
      const w = weights[row + i]!;
      if (w === 0) continue;
      const d = denom[i]! - w;
      denom[i] = d;
      if (on[i] === 1 && !isActive(p[i]!, d, cost[i]!)) {
        on[i] = 0;
        queue[tail++] = i;
      }
    }
  }
  const efforts = new Float64Array(n);
  for (let i = 0; i < n; i++) efforts[i] = on[i] === 1 ? 1 : 0;
  return { efforts, active: activeOf(efforts), welfare: welfareDenseTs(game, efforts), iterations: 1 };
}

/**
 * Best-response iteration from x = 1 on a dense graph (twin of `eqIterateDense`): binary responses
 * for linear cost, `min(1, p_i D_i / c_i)` for quadratic. O(sweeps · n²).
 */
export function eqIterateDenseTs(
  game: DenseGraphGame,
  p: Float64Array,
  jacobi: boolean,
  tol: number,
  maxIterations: number,
): DenseEquilibriumRaw {
  const { n, theta, cost, weights } = game;
  const linear = (game.costFamily ?? 'linear') === 'linear';
  let cur = new Float64Array(n).fill(1);
  let next = jacobi ? new Float64Array(n) : cur;
  for (let it = 1; it <= maxIterations; it++) {
    let delta = 0;
    for (let i = 0; i < n; i++) {
      const old = cur[i]!;
      let agg = theta[i]!;
      for (let j = 0; j < n; j++) agg += weights[j * n + i]! * cur[j]!;
      const pi = p[i]!;
      const c = cost[i]!;
      let br: number;
      if (linear) br = isActive(pi, agg, c) ? 1 : 0;
      else if (c === 0) br = 1;
      else {
        const t = (pi * agg) / c;
        br = t >= 1 ? 1 : t;
      }
      const d = abs(br - old);
      if (d > delta) delta = d;
      next[i] = br;
    }
    if (next !== cur) {
      const t = cur;
      cur = next;
      next = t;
    }
    if (delta <= tol) {
      return { efforts: cur, active: activeOf(cur), welfare: welfareDenseTs(game, cur), iterations: it };
    }
  }
  return { efforts: cur, active: activeOf(cur), welfare: NaN, iterations: -1 };
}

/**
 * The dense twin of a graph-quality CSR instance: `weights[j·n + i] = w_{ji}`. O(n² + |E|).
 * @example toDenseGame(createCcsInstance({ theta: [1, 1], cost: [1, 1], edges: [[0, 1, 0.5]] })).weights // → [0, 0.5, 0, 0]
 */
export function toDenseGame(inst: CcsInstance): DenseGraphGame {
  const { n, graph } = inst;
  const weights = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let e = graph.inStart[i]!; e < graph.inStart[i + 1]!; e++)
      weights[graph.inFrom[e]! * n + i] = graph.inWeight[e]!;
  }
  return { n, theta: inst.theta, cost: inst.cost, weights, costFamily: inst.costFamily };
}

/** Checked options of an equilibrium kernel call (defaults filled in). */
export interface EquilibriumKernelOptions {
  readonly jacobi: boolean;
  readonly tol: number;
  readonly maxIterations: number;
  /** Best-response iteration even when best responses are binary (`method: 'iterate'`). */
  readonly iterate: boolean;
}

/**
 * The kernels an equilibrium backend implements, on validated input. Every backend must return what
 * the `'ts'` reference returns (the CSR path to float order, see the kernels README).
 */
export interface EquilibriumKernels {
  readonly backend: BackendName;
  /** Whether {@link EquilibriumKernels.greatest} handles this instance (WebAssembly: graph quality only). */
  supports(inst: CcsInstance): boolean;
  /** Greatest equilibrium of a CSR instance under PRA(p). @throws MechlabError `ERR_NOT_CONVERGED`. */
  greatest(inst: CcsInstance, p: Float64Array, opts: EquilibriumKernelOptions): GreatestEquilibrium;
  /** Dense-matrix twin: the cascade when `cascade`, else best-response sweeps; iterations −1 when not converged. */
  dense(
    game: DenseGraphGame,
    p: Float64Array,
    cascade: boolean,
    opts: EquilibriumKernelOptions,
  ): DenseEquilibriumRaw;
}

/** The TypeScript reference equilibrium kernels (backend `'ts'`, family `equilibrium`). */
export const tsEquilibriumKernels: EquilibriumKernels = Object.freeze({
  backend: 'ts',
  supports: () => true,
  greatest(inst: CcsInstance, p: Float64Array, opts: EquilibriumKernelOptions): GreatestEquilibrium {
    // Unchecked: the family's callers validate p and the options (EquilibriumKernels' contract).
    return greatestEquilibriumUnchecked(inst, p, {
      tol: opts.tol,
      maxIterations: opts.maxIterations,
      schedule: opts.jacobi ? 'jacobi' : 'gauss-seidel',
      method: opts.iterate ? 'iterate' : 'auto',
    });
  },
  dense(
    game: DenseGraphGame,
    p: Float64Array,
    cascade: boolean,
    opts: EquilibriumKernelOptions,
  ): DenseEquilibriumRaw {
    return cascade
      ? eqBinaryDenseTs(game, p)
      : eqIterateDenseTs(game, p, opts.jacobi, opts.tol, opts.maxIterations);
  },
});

declare module '@mechlab/core' {
  interface KernelFamilies {
    /** The greatest-equilibrium kernels, CSR and dense (equilibrium-dense.ts). */
    readonly equilibrium: EquilibriumKernels;
  }
}
defineKernelFamily('equilibrium', { what: 'the equilibrium kernels' });
registerKernels('ts', 'equilibrium', tsEquilibriumKernels, { priority: 0 });
