/**
 * `ccs.random-graph` in the browser (seed 004 §6, Figures 1–3): the very experiment object of
 * `@mechlab/core` that `mechlab sweep` runs — the same parameter schema, per-instance computation and
 * Corollary 13 prediction — so a point's numbers are bit-identical to the CLI's by construction. (The
 * sweep engine itself is Node-only: piscina, journal files, DuckDB; src/sweep/ is its browser twin.)
 * The e2e test and test/sweep-twin.test.ts prove the equality against `@mechlab/sweep`.
 */
import { type MetricDef, type Rng } from '@mechlab/core';
import { ccsRandomGraph, ccsRandomGraphParams, type CcsRandomGraphParams } from '@mechlab/ccs';

export { ccsRandomGraphParams };
export type { CcsRandomGraphParams, MetricDef };

export const EXPERIMENT = ccsRandomGraph.name;
export const DESCRIPTION = ccsRandomGraph.description;
export const LABELS: Readonly<Record<string, string>> = ccsRandomGraph.labels ?? {};

/** Metric columns of a point (4, or 6 with the exact optimum). */
export function metrics(p: CcsRandomGraphParams): readonly MetricDef[] {
  return ccsRandomGraph.metrics(p);
}

/** One instance: GCS and Equal Allocation welfare and active players (and the exact optimum for small n). */
export function runInstance(rng: Rng, p: CcsRandomGraphParams, out: Float64Array, offset: number): void {
  // ccs.random-graph's `run` is synchronous (only some experiments are async).
  void ccsRandomGraph.run(rng, p, out, offset);
}

/** Corollary 13's prediction for a point and metric (NaN when it has none). */
export function predict(p: CcsRandomGraphParams, metric: string): number {
  return ccsRandomGraph.predict?.(p, metric) ?? NaN;
}

/** Cost model (inner-loop steps per instance), used only to size the browser's task blocks. */
export function cost(p: CcsRandomGraphParams): number {
  return ccsRandomGraph.cost?.(p) ?? 1;
}
