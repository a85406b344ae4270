/**
 * Registration of the WebAssembly backend with core's registry (STYLE.md §3; core's backend.ts).
 * Core never imports this package: a host (the CLI, a benchmark, a test) calls
 * {@link registerWasmBackend} once, after which `solveCcs`, `solveMckp` and `solveMckpDense` pick
 * `'wasm'` by default wherever it implements the algorithm, and `backend: 'wasm'` selects it
 * explicitly. Initialisation (compiling `build/release.wasm`) is lazy and cached by core's resolver; if
 * it fails, default resolution falls back to `'ts'` and an explicit `'wasm'` request fails with a
 * message that says to run `npm run build`.
 */
import { registerBackend } from '@mechlab/core';
import type { CcsAlgo, CcsSolver } from '@mechlab/ccs';
import { wasmCcsPipelineKernels } from './ccs-pipeline';
import { wasmEqualSolver } from './equal';
import { wasmEquilibriumKernels } from './equilibrium';
import { wasmGcsSolver } from './gcs';
import { wasmHopKernels, wasmHopSolver } from './hop';
import { wasmMckpKernels } from './mckp';
import { wasmNashKernels } from './nash';
import { wasmNsrSolver } from './nsr';
import { loadKernels } from './wasm';

/** Default priority of the WebAssembly backend (the TS reference has 0). */
export const WASM_PRIORITY = 10;

/**
 * The WebAssembly CCS solvers. `exact` is not among them (a branch and bound over n ≤ 40 players,
 * not a hot loop): `solveCcs` runs it on `'ts'` by default, and `backend: 'wasm'` with `algo: 'exact'`
 * is an error naming the backends that implement it.
 */
export const wasmCcsSolvers: Readonly<Partial<Record<CcsAlgo, CcsSolver>>> = Object.freeze({
  nsr: wasmNsrSolver,
  hop: wasmHopSolver,
  gcs: wasmGcsSolver,
  equal: wasmEqualSolver,
});

function init(): void {
  loadKernels();
}

/**
 * Register the WebAssembly backend (`'wasm'`) with core, for every kernel family it implements: the
 * CCS solvers nsr, hop, gcs, equal (`ccs`), `mckp`, `equilibrium`, `nash`, `hop` and the
 * `ccs.random-graph` pipeline (`ccsPipeline`). Idempotent and
 * cheap: every thread that computes (the CLI, each piscina worker, `mechlab worker`) calls it once at
 * start-up, and calling it again (from each task, say) costs a comparison. A later call with another
 * priority re-registers.
 *
 * Complexity O(1) (the module is compiled lazily, at first use, by the optimising tier: see tier.ts).
 * @param opts.priority default {@link WASM_PRIORITY} (10): above the TS reference, so it is the default.
 * @example
 * registerWasmBackend();
 * solveCcs(inst, { algo: 'gcs' }).backend // → 'wasm'
 * solveCcs(inst, { algo: 'exact' }).backend // → 'ts' (wasm does not implement exact)
 */
export function registerWasmBackend(opts: { priority?: number } = {}): void {
  // Re-registering merges the same objects and keeps the cached initialisation (same `init`), so a
  // repeated call costs a few assignments and never recompiles the module.
  registerBackend('wasm', {
    priority: opts.priority ?? WASM_PRIORITY,
    init,
    ccs: wasmCcsSolvers,
    mckp: wasmMckpKernels,
    equilibrium: wasmEquilibriumKernels,
    nash: wasmNashKernels,
    hop: wasmHopKernels,
    ccsPipeline: wasmCcsPipelineKernels,
  });
}
