/**
 * `ccs.random-graph` in the browser (seed 004 §6, Figures 1–3): the very experiment object of
 * `@mechlab/ccs` that `mechlab sweep` runs — the same parameter schema, per-instance computation and
 * Corollary 13 prediction — so a point's numbers are bit-identical to the CLI's by construction. (The
 * sweep engine itself is Node-only: piscina, journal files, DuckDB; its browser-safe part,
 * `@mechlab/sweep/spec`, plans the sweep and writes the files here too.)
 * The e2e test and test/sweep-twin.test.ts prove the equality against `@mechlab/sweep`.
 */
import type { Experiment, MetricDef, Rng } from '@mechlab/core';
import { ccsRandomGraph, ccsRandomGraphParams, type CcsRandomGraphParams } from '@mechlab/ccs';
import type { ExperimentList } from '@mechlab/sweep/spec';

export { ccsRandomGraphParams };

/** The experiments a browser sweep may name: `ccs.random-graph` only. */
export const EXPERIMENTS: ExperimentList = [ccsRandomGraph as unknown as Experiment];

/** Metric columns of a point (4, or 6 with the exact optimum). */
export function metrics(p: CcsRandomGraphParams): readonly MetricDef[] {
  return ccsRandomGraph.metrics(p);
}

/** One instance: GCS and Equal Allocation welfare and active players (and the exact optimum for small n). */
export function runInstance(rng: Rng, p: CcsRandomGraphParams, out: Float64Array, offset: number): void {
  // ccs.random-graph's `run` is synchronous (only some experiments are async).
  void ccsRandomGraph.run(rng, p, out, offset);
}
