/**
 * A sweep on `workers` Web Workers: tasks (blocks of replicates of one point) go to whichever worker is
 * free; each block lands at its replicate offset, and the files are built afterwards in canonical order —
 * so the result does not depend on the worker count or on which worker ran what.
 */
import { ComputeWorker } from '../client';
import { cost, EXPERIMENT } from './ccs-random-graph';
import { sweepFiles, type SweepFiles } from './results';
import type { SweepPlan } from './spec';

export interface SweepRun {
  readonly done: Promise<SweepFiles>;
  cancel(): void;
}

interface Task {
  readonly point: number;
  readonly r0: number;
  readonly r1: number;
}

/** Same automatic block rule as the CLI (≈ 4·10⁶ cost units per task, at most 250 replicates). */
function blockSize(plan: SweepPlan, point: number): number {
  if (plan.spec.blockSize !== undefined) return plan.spec.blockSize;
  const c = cost(plan.points[point]!.params);
  return Math.max(1, Math.min(250, Math.floor(4e6 / Math.max(c, 1))));
}

export function runSweep(
  plan: SweepPlan,
  workers: number,
  onProgress: (done: number, total: number) => void,
): SweepRun {
  const m = plan.metrics.length;
  const reps = plan.spec.replicates;
  const values = plan.points.map(() => new Float64Array(reps * m));
  const tasks: Task[] = [];
  for (const p of plan.points) {
    const b = blockSize(plan, p.index);
    for (let r0 = 0; r0 < reps; r0 += b) tasks.push({ point: p.index, r0, r1: Math.min(reps, r0 + b) });
  }
  const pool = Array.from(
    { length: Math.max(1, Math.min(workers, tasks.length)) },
    () => new ComputeWorker(),
  );
  let cancelled = false;
  let next = 0;
  let finished = 0;
  onProgress(0, tasks.length);
  const loop = async (w: ComputeWorker): Promise<void> => {
    while (!cancelled && next < tasks.length) {
      const t = tasks[next++]!;
      const p = plan.points[t.point]!;
      const block = await w.run({
        kind: 'sweep-task',
        experiment: EXPERIMENT,
        seed: plan.spec.seed,
        pointKey: p.key,
        params: p.params,
        r0: t.r0,
        r1: t.r1,
      });
      values[t.point]!.set(block, t.r0 * m);
      onProgress(++finished, tasks.length);
    }
  };
  const done = Promise.all(pool.map(loop))
    .then(() => {
      if (cancelled) throw new Error('cancelled');
      return sweepFiles(plan, values);
    })
    .finally(() => pool.forEach((w) => w.terminate()));
  return {
    done,
    cancel() {
      cancelled = true;
      pool.forEach((w) => w.terminate());
    },
  };
}
