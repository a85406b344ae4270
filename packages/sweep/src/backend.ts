/**
 * Which kernel backend a sweep runs (issue 12, "every computing thread registers the backends").
 *
 * Core's registry is module state, one per thread: a piscina worker or a `mechlab worker` that never
 * registered `'wasm'` would silently run the TypeScript reference. So every thread that runs tasks
 * calls {@link registerSweepBackends} once before its first task — the piscina task file at load, the
 * queue worker at start, `runSweep` / the coordinator for inline runs — and every task carries the
 * backend the sweep chose (`TaskInput.backend`) and runs inside `withBackendScope(backend, …)`, so
 * every kernel the experiment calls without an explicit `backend` resolves that one.
 *
 * The sweep package depends on `@mechlab/kernels` directly (it is a host like the CLI, not a domain
 * package), which is simpler than shipping a "setup module" path to each worker.
 */
import {
  MechlabError,
  checkBackendName,
  defaultBackend,
  listBackends,
  withBackendScope,
  type BackendName,
} from '@mechlab/core';
import { registerWasmBackend } from '@mechlab/kernels';

/**
 * Register every backend this build ships (today the WebAssembly kernels) with this thread's
 * registry. Idempotent and cheap (a few assignments per repeat call; the module compiles lazily). O(1).
 */
export function registerSweepBackends(): void {
  registerWasmBackend();
}

/**
 * Check that `name` is registered in this thread and initialises (for `'wasm'`: the module compiles);
 * `undefined` means the default (`defaultBackend()`: the highest-priority backend that initialises).
 * Returns the backend. O(backends) plus a one-off initialisation.
 * @throws MechlabError naming `backend`: `ERR_INVALID_TYPE` for an unknown or unregistered name
 *   (listing the registered backends), `ERR_INVALID_INPUT` when it failed to initialise here.
 */
export function ensureBackend(name: unknown): BackendName {
  const b = checkBackendName(name);
  if (b === undefined) return defaultBackend();
  // Inside a scope an omitted backend resolves to the scope's backend when it is ready, else falls back
  // to the default: a mismatch means `b` failed to initialise in this thread.
  const ran = withBackendScope(b, () => defaultBackend());
  if (ran !== b) {
    const info = listBackends().find((x) => x.name === b);
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `backend "${b}" is unavailable in this thread: ${info?.error ?? 'it failed to initialise'}`,
      'backend',
    );
  }
  return b;
}
