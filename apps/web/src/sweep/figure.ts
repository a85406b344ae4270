/**
 * A sweep's figure from its aggregates, as `mechlab sweep` draws it: `@mechlab/sweep/spec`'s
 * `figureData` (one panel per metric against the first grid axis, one series per algorithm — other axes
 * split series — with its ±3σ band, the Corollary 13 prediction dashed) laid out by its `figureChart`,
 * drawn by `@mechlab/plot`.
 */
import { lineChart } from '@mechlab/plot';
import { figureChart, figureData, type AggregateRow, type SweepSpec } from '@mechlab/sweep/spec';
import { EXPERIMENTS } from './ccs-random-graph';

/** Draw `aggregates` of `spec` (a `ccs.random-graph` sweep) as SVG. O(rows log rows). */
export function sweepFigureSvg(aggregates: readonly AggregateRow[], spec: SweepSpec): string {
  return lineChart(figureChart(figureData(aggregates, spec, EXPERIMENTS[0]!)));
}
