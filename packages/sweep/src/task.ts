/**
 * One task = replicates `[r0, r1)` of one parameter point. This function is the whole computation; the
 * piscina worker (`worker.ts`) and the in-process runner both call it, which is why inline and pooled
 * runs are bit-identical.
 */
import { Rng } from '@mechlab/core';
import { getExperiment } from './registry';

/** The plain-object message a task receives (STYLE.md §7: everything, including the seed, in one object). */
export interface TaskInput {
  readonly experiment: string;
  /** Absolute paths of modules to import first (they register custom experiments in a worker). */
  readonly modules: readonly string[];
  /** Master seed. */
  readonly seed: number | string;
  /** Canonical JSON of the resolved point parameters (the point's seed-path component). */
  readonly pointKey: string;
  readonly point: number;
  /** Resolved, validated parameters of the point. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly r0: number;
  readonly r1: number;
  readonly metricCount: number;
}

/** A task's result: metric values, row-major `(r1 − r0) × metricCount`. */
export interface TaskOutput {
  readonly point: number;
  readonly r0: number;
  readonly r1: number;
  readonly values: Float64Array;
}

/**
 * Run every instance of a task. Instance `r` draws from `Rng.fromPath([seed, experiment, pointKey, r])`,
 * so its numbers depend on nothing else — not the block it is in, the worker, or the order of tasks.
 * O((r1 − r0) · cost of one instance).
 */
export function runTask(input: TaskInput): TaskOutput {
  const exp = getExperiment(input.experiment, 'task.experiment');
  const m = input.metricCount;
  const values = new Float64Array((input.r1 - input.r0) * m);
  for (let r = input.r0; r < input.r1; r++) {
    const rng = Rng.fromPath([input.seed, input.experiment, input.pointKey, r]);
    exp.run(rng, input.params, values, (r - input.r0) * m);
  }
  return { point: input.point, r0: input.r0, r1: input.r1, values };
}
