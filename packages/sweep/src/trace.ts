/**
 * Opt-in timeline of a sweep, for finding where its wall time goes (issue 14): with
 * `MECHLAB_SWEEP_TRACE=FILE` set, the main thread and every worker thread append one JSON line per
 * event — `{ t, thread, event, run, wait, … }`, with `t` the wall clock in ms (`performance.timeOrigin +
 * performance.now()`, comparable across threads) and `run` / `wait` this thread's time on a CPU and
 * waiting for one (ns, Linux `/proc/thread-self/schedstat`: `wait` is time lost to other runnable
 * threads, so contention and serial work can be told apart). Events: `runSweep`, `planned`, `pool`,
 * `dispatch` / `result` / `committed` per task (main), `workerLoaded`, `taskStart` / `expLoaded` /
 * `taskEnd` (workers), `scheduled`, `closed`, `finishStart`, `scanned`, `rowsWritten`, `aggWritten`,
 * `finalized`, `finished`, `exit`. `benchmarks/sweep` reads it. Without the variable every call is a
 * no-op, and the file is the only thing written outside `--out`, on request.
 */
import * as fs from 'node:fs';
import { threadId } from 'node:worker_threads';

const file = process.env.MECHLAB_SWEEP_TRACE;

/** `[run ns, wait ns, timeslices]` of the calling thread, or `[]` where the kernel has no schedstat. */
function schedStat(): number[] {
  try {
    return fs.readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(' ').map(Number);
  } catch {
    return [];
  }
}

/** Append event `event` (plus `extra` fields) to the trace file, if tracing is on. O(1). */
export function trace(event: string, extra?: Readonly<Record<string, unknown>>): void {
  if (file === undefined || file === '') return;
  const [run, wait] = schedStat();
  const t = performance.timeOrigin + performance.now();
  fs.appendFileSync(file, JSON.stringify({ t, thread: threadId, event, run, wait, ...extra }) + '\n');
}

if (file !== undefined && file !== '') process.on('exit', () => trace('exit'));
