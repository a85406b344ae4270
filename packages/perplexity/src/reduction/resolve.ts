/**
 * Picks a reduction backend by name (STYLE.md §3): `'js'` (reference, default) or `'gpujs'`.
 */
import { MechlabError } from '@mechlab/core';
import type { ReductionBackend, ReductionBackendName } from './backend';
import { createGpuJsBackend, type GpuJsMode } from './gpujs';
import { createJsBackend } from './js';

/** Options of {@link createReductionBackend}. */
export interface ReductionOptions {
  /** gpu.js mode request for the `gpujs` backend (default `'auto'`). */
  readonly gpujsMode?: GpuJsMode;
}

/**
 * A fresh backend instance. Complexity: O(1).
 * @throws MechlabError ERR_INVALID_INPUT for an unknown name
 */
export function createReductionBackend(
  name: ReductionBackendName,
  options: ReductionOptions = {},
): ReductionBackend {
  switch (name) {
    case 'js':
      return createJsBackend();
    case 'gpujs':
      return createGpuJsBackend(options.gpujsMode ?? 'auto');
    default:
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `backend must be one of "js", "gpujs", got ${JSON.stringify(name)}`,
        'backend',
      );
  }
}
