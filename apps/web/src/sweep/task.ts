/**
 * One sweep task in the browser: replicates `[r0, r1)` of one point. Instance `r` draws from
 * `Rng.fromPath([seed, experiment, pointKey, r])` — the CLI's seed path — so its numbers depend on
 * nothing else (not the block, the worker or the order of tasks).
 */
import { Rng } from '@mechlab/core';
import { ccsRandomGraphParams, metrics, runInstance } from './ccs-random-graph';

export interface SweepTaskInput {
  readonly experiment: string;
  readonly seed: number | string;
  readonly pointKey: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly r0: number;
  readonly r1: number;
}

/** Metric values, row-major `(r1 − r0) × metrics`. O((r1 − r0) · cost of one instance). */
export function runSweepTask(input: SweepTaskInput): Float64Array {
  const p = ccsRandomGraphParams.parse(input.params);
  const m = metrics(p).length;
  const values = new Float64Array((input.r1 - input.r0) * m);
  for (let r = input.r0; r < input.r1; r++) {
    runInstance(
      Rng.fromPath([input.seed, input.experiment, input.pointKey, r]),
      p,
      values,
      (r - input.r0) * m,
    );
  }
  return values;
}
