/**
 * A sweep on `workers` Web Workers: tasks (blocks of replicates of one point) go to whichever worker is
 * free; each block lands at its replicate offset, and the files are built afterwards in canonical order —
 * so the result does not depend on the worker count or on which worker ran what.
 */
import { ComputeWorker } from '../client';
import { sweepFiles, type SweepFiles } from './results';
import type { SweepPlan } from './spec';

export interface SweepRun {
  readonly done: Promise<SweepFiles>;
  cancel(): void;
}

export function runSweep(
  plan: SweepPlan,
  workers: number,
  onProgress: (done: number, total: number) => void,
): SweepRun {
  const m = plan.metrics.length;
  const reps = plan.spec.replicates;
  const values = plan.points.map(() => new Float64Array(reps * m));
  // The CLI's own tasks (`planSweep`: blocks of replicates sized by the experiment's cost model).
  const tasks = plan.tasks;
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
        experiment: plan.spec.experiment,
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
