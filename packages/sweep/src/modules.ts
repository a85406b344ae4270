/**
 * Loading custom experiment modules inside a worker. A module may register itself on import (calling
 * `registerExperiment` from `@mechlab/sweep`) or export the experiment as `experiment` or `default`;
 * the second form also works when the worker and the module resolve `@mechlab/sweep` to different
 * copies (e.g. a compiled worker and a module run from TypeScript sources), because the worker then
 * registers the exported object in its own registry.
 */
import { createRequire } from 'node:module';
import { registerExperiment, type Experiment } from './registry';

const loaded = new Set<string>();
// CommonJS `require`, so a module loads exactly as it does in the main thread (and through tsx's hooks).
const load = createRequire(__filename);

function isExperiment(v: unknown): v is Experiment {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { name?: unknown }).name === 'string' &&
    typeof (v as { run?: unknown }).run === 'function' &&
    typeof (v as { metrics?: unknown }).metrics === 'function'
  );
}

/** Import `file` once per thread and register any experiment it exports. O(1) after the first call. */
export function loadExperimentModule(file: string): void {
  if (loaded.has(file)) return;
  const mod = load(file) as Record<string, unknown>;
  for (const key of ['experiment', 'default']) {
    const v = mod[key];
    if (isExperiment(v)) registerExperiment(v);
  }
  loaded.add(file);
}
