/**
 * The piscina task file (STYLE.md §7: one file per task, default export `(input) => output`).
 *
 * Loaded as compiled `dist/worker.js` when the package is built, or as this `.ts` file under
 * `--import tsx` when running from sources (tests, `npx tsx`); see `pool.ts`. Built-in experiments are
 * registered by importing `./experiments`; custom ones by loading `input.modules` once per worker.
 */
import { Piscina } from 'piscina';
import './experiments';
import { loadExperimentModule } from './modules';
import { runTask, type TaskInput } from './task';

/**
 * Run one task in a worker and hand back its metric block, row-major `(r1 − r0) × metricCount`.
 * The main thread knows which task it sent, so only the values travel — and they are moved (the
 * buffer is transferred), not copied.
 */
export default function sweepTask(input: TaskInput): Float64Array {
  for (const m of input.modules) loadExperimentModule(m);
  const out = runTask(input);
  return Piscina.move(out.values) as Float64Array;
}
