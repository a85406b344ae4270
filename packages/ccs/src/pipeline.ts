/**
 * The per-instance pipeline of the `ccs.random-graph` experiment (seed 004 §6, Figures 1–3;
 * MODELS.md §1.4): draw a random CCS instance, design Greedy Cost Selection portions (Algorithm 2),
 * play the greatest equilibrium of GCS and of Equal Allocation (`p_i = 1/n`), and measure welfare and
 * active players of each — exactly the four numbers the experiment records, in its metric order
 * (`gcs.welfare`, `gcs.active`, `equal.welfare`, `equal.active`).
 *
 * A kernel family of the registry (`resolveKernels('ccsPipeline', backend)`, backend.ts): the TS
 * twin here (registered as `'ts'`), and `@mechlab/kernels`' WebAssembly pipeline (one TS↔WASM
 * crossing per instance, PRNG inside the module). A pipeline is created once per sweep point and
 * reuses its buffers for every replicate. Both give numbers identical to
 * `solveCcs(randomCcsInstance(rng, opts), { algo: 'gcs' | 'equal', backend: 'ts' })`.
 */
import { defineKernelFamily, registerKernels, resolveKernels, type BackendName, Rng } from '@mechlab/core';
import { greatestEquilibriumBinary } from './equilibrium';
import { checkN, checkPairs, checkRho } from './generator/shared';
import { CcsWorkspace } from './generator/workspace';
import { drawCcsInstanceInto, randomCcsInstanceInto } from './generator/random-instance';
import { type CcsMarginals, marginals } from './generator/distribution';
import { gcsPortions } from './solvers/gcs';

/** Options of a pipeline: the generator's (linear cost, graph quality: binary best responses). */
export interface CcsPipelineOptions extends CcsMarginals {
  readonly n: number;
  /** Edge probability ρ ∈ [0, 1] of each ordered pair. */
  readonly rho: number;
}

/** Number of measurements a pipeline writes per instance. */
export const CCS_PIPELINE_OUTPUTS = 4;

/** One sweep point's pipeline: buffers sized at creation, reused by every {@link CcsPipeline.run}. */
export interface CcsPipeline {
  /** The implementation that runs (a WASM pipeline hands custom marginals to `'ts'`). */
  readonly backend: BackendName;
  /**
   * Draw the instance of `rng` and write GCS welfare, GCS active count, Equal Allocation welfare and
   * active count into `out[offset .. offset + 3]`. O(n + |E|) plus GCS's sort.
   */
  run(rng: Rng, out: Float64Array, offset: number): void;
}

/** A backend's pipeline factory (the `ccsPipeline` kernel family). */
export interface CcsPipelineKernels {
  /** The backend these kernels belong to. */
  readonly backend: BackendName;
  /** @throws MechlabError as `randomCcsInstance` for bad options. */
  create(opts: CcsPipelineOptions): CcsPipeline;
}

/**
 * Validate pipeline options the generator's way (n, ρ, then the marginals by a one-player draw), so
 * every backend rejects the same inputs with the same errors at creation.
 *
 * Complexity O(1).
 * @throws MechlabError `ERR_OUT_OF_RANGE` naming `n`, `rho`, a `*Max` or a distribution field;
 *   `ERR_INVALID_TYPE` for an unknown distribution kind.
 * @example validateCcsPipelineOptions({ n: 100, rho: 1.5 }) // throws: rho must be a number in [0, 1]
 */
export function validateCcsPipelineOptions(opts: CcsPipelineOptions): void {
  checkN(opts.n);
  checkRho(opts.rho);
  randomCcsInstanceInto(Rng.seed(0), { ...opts, n: 1, rho: 0 }, new CcsWorkspace());
}

/**
 * The TS pipeline: {@link randomCcsInstanceInto} on a workspace sized once, core's `gcsPortions`,
 * and `greatestEquilibriumBinary` for both designs — the very functions `solveCcs` runs for
 * `gcs` and `equal` on the `'ts'` backend, so the numbers are theirs.
 *
 * Complexity per run O(n log n + |E|).
 * @throws MechlabError as `randomCcsInstance` for bad options (at creation and at run).
 * @example
 * const pipe = createCcsPipelineTs({ n: 100, rho: 0.1 });
 * const out = new Float64Array(4);
 * pipe.run(Rng.seed(1), out, 0); // out = [gcs welfare, gcs active, equal welfare, equal active]
 */
export function createCcsPipelineTs(opts: CcsPipelineOptions): CcsPipeline {
  validateCcsPipelineOptions(opts);
  checkPairs(opts.n);
  const gen = { ...opts, costFamily: 'linear' as const };
  // Checked once here, not per replicate: every run draws with the same n, ρ and marginals.
  const dist = marginals(gen);
  const ws = new CcsWorkspace(opts.n, opts.rho);
  let equal = new Float64Array(0);
  return {
    backend: 'ts',
    run(rng: Rng, out: Float64Array, offset: number): void {
      const inst = drawCcsInstanceInto(rng, gen, 'linear', dist, ws);
      const design = gcsPortions(inst);
      const g = greatestEquilibriumBinary(inst, design.p);
      if (equal.length !== inst.n) equal = new Float64Array(inst.n).fill(1 / inst.n);
      const e = greatestEquilibriumBinary(inst, equal);
      out[offset] = g.welfare;
      out[offset + 1] = g.active.length;
      out[offset + 2] = e.welfare;
      out[offset + 3] = e.active.length;
    },
  };
}

/** The TS reference of the `ccsPipeline` family (registered as backend `'ts'`, priority 0). */
export const tsCcsPipelineKernels: CcsPipelineKernels = Object.freeze({
  backend: 'ts',
  create: createCcsPipelineTs,
});
declare module '@mechlab/core' {
  interface KernelFamilies {
    /** The per-instance pipeline of `ccs.random-graph` (pipeline.ts). */
    readonly ccsPipeline: CcsPipelineKernels;
  }
}
defineKernelFamily('ccsPipeline', { what: 'the ccs.random-graph pipeline' });
registerKernels('ts', 'ccsPipeline', tsCcsPipelineKernels, { priority: 0 });

/**
 * A pipeline for one sweep point on the requested backend (default: the highest-priority registered
 * backend implementing `ccsPipeline` — `'wasm'` after `registerWasmBackend()`, else `'ts'`).
 *
 * Complexity O(n + E|E|) to size the buffers (plus a one-off backend initialisation).
 * @throws MechlabError for bad options or an unavailable backend (backend.ts).
 * @example createCcsPipeline({ n: 1000, rho: 0.1 }).backend // → 'wasm' after registerWasmBackend()
 */
export function createCcsPipeline(opts: CcsPipelineOptions, backend?: BackendName): CcsPipeline {
  return resolveKernels('ccsPipeline', backend).kernels.create(opts);
}

let lastKey = '';
let lastPipeline: CcsPipeline | undefined;

function distKey(d: CcsPipelineOptions['theta']): string {
  if (d === undefined) return '-';
  switch (d.kind) {
    case 'uniform':
      return `u${d.min},${d.max}`;
    case 'constant':
      return `c${d.value}`;
    case 'exponential':
      return `e${d.mean}`;
    case 'custom':
      return '';
  }
}

/**
 * {@link createCcsPipeline} memoised on (backend, options): a sweep task calls it for every replicate
 * of a point and gets the same pipeline — buffers sized once per point — until the point or the
 * backend (including a `withBackendScope`) changes. Custom marginals are never cached (functions
 * have no key). One entry per realm / worker thread.
 *
 * Complexity O(1) on a hit; {@link createCcsPipeline}'s on a miss.
 * @throws as {@link createCcsPipeline}.
 * @example
 * for (let r = 0; r < reps; r++) cachedCcsPipeline({ n: 1000, rho: 0.1 }).run(root.split(r), out, 4 * r);
 */
export function cachedCcsPipeline(opts: CcsPipelineOptions, backend?: BackendName): CcsPipeline {
  const name = resolveKernels('ccsPipeline', backend).name;
  const parts = [opts.theta, opts.cost, opts.weight].map(distKey);
  if (parts.includes('')) return createCcsPipeline(opts, name);
  const key = `${name}|${opts.n}|${opts.rho}|${opts.thetaMax}|${opts.wMax}|${opts.costMax}|${parts.join('|')}`;
  if (key !== lastKey || lastPipeline === undefined) {
    lastPipeline = createCcsPipeline(opts, name);
    lastKey = key;
  }
  return lastPipeline;
}
