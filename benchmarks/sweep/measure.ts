/** Helpers shared by the sweep benchmarks (index.ts, pipeline.ts). */
import { Worker } from 'node:worker_threads';

/** Median of `xs` (mean of the middle two for an even count; NaN when empty): core's one median. */
export { median } from '@mechlab/core';

/**
 * A pure integer spin of `iterations` in each of `threads` worker threads: what the machine gives that
 * many threads right now. `wallMs` includes starting the threads; `threadMs` is the slowest thread's
 * own loop time.
 */
export async function spin(
  threads: number,
  iterations: number,
): Promise<{ wallMs: number; threadMs: number }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const t0 = performance.now();
    let x = 0; for (let i = 0; i < workerData; i++) x = (x + (i ^ (x >>> 3))) | 0;
    parentPort.postMessage([performance.now() - t0, x]);`;
  const t0 = performance.now();
  const times = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(code, { eval: true, workerData: iterations });
          w.once('message', (m: [number, number]) => resolve(m[0]));
          w.once('error', reject);
        }),
    ),
  );
  return { wallMs: performance.now() - t0, threadMs: Math.max(...times) };
}
