/**
 * The piscina task file (STYLE.md §7: one file per task, default export `(input) => output`).
 *
 * Loaded as compiled `dist/worker.js` when the package is built, or as this `.ts` file under
 * `--import tsx` when running from sources (tests, `npx tsx`); see `pool.ts`. The experiment is
 * imported from the module the task names (`input.source`), once per thread.
 */
import { Piscina } from 'piscina';
import { registerSweepBackends } from './backend';
import { experimentFromSource } from './source';
import { encodeFailure, runTask, type TaskFailure, type TaskInput } from './task';
import { MechlabError } from '@mechlab/core';
import { trace } from './trace';

// Each worker thread has its own copy of core's backend registry: register the WebAssembly kernels
// once, when piscina loads this file, so tasks run the backend they name (`input.backend`) or the
// fastest one — never the TS reference by omission.
registerSweepBackends();
trace('workerLoaded', { origin: performance.timeOrigin });

/**
 * Run one task in a worker and hand back its metric block, row-major `(r1 − r0) × metricCount`, or the
 * encoded error. The values are moved (the buffer is transferred), not copied.
 */
export default async function sweepTask(input: TaskInput): Promise<Float64Array | TaskFailure> {
  try {
    if (!input.source) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `experiment ${input.experiment} has no source module, so worker threads cannot load it; use workers: 0`,
        'workers',
      );
    }
    trace('taskStart', { id: `p${input.point}r${input.r0}-${input.r1}` });
    const exp = await experimentFromSource(input.source);
    trace('expLoaded');
    const out = await runTask(input, exp);
    trace('taskEnd', { id: `p${input.point}r${input.r0}-${input.r1}` });
    return Piscina.move(out.values) as Float64Array;
  } catch (e) {
    return encodeFailure(e);
  }
}
