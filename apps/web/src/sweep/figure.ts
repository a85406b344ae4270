/**
 * A sweep's figure from its aggregates, as `mechlab sweep` draws it: `@mechlab/sweep/spec`'s
 * `figureData` (one panel per metric against the first grid axis, one series per algorithm — other axes
 * split series — with its ±3σ band, the Corollary 13 prediction dashed), drawn by `@mechlab/plot`.
 */
import { lineChart, type SeriesSpec } from '@mechlab/plot';
import { figureData, type AggregateRow, type FigureData, type SweepSpec } from '@mechlab/sweep/spec';
import { EXPERIMENTS } from './ccs-random-graph';

/** Draw `aggregates` of `spec` (a `ccs.random-graph` sweep) as SVG. O(rows log rows). */
export function sweepFigureSvg(aggregates: readonly AggregateRow[], spec: SweepSpec): string {
  const fig: FigureData = figureData(aggregates, spec, EXPERIMENTS[0]!);
  return lineChart({
    title: `${fig.title}; bands: ${fig.bandLabel}`,
    panelWidth: 460,
    panelHeight: 320,
    panels: fig.panels.map((p) => {
      const series: SeriesSpec[] = p.series.map((s) => ({
        name: s.label,
        x: s.x,
        y: s.mean,
        lo: s.lo,
        hi: s.hi,
      }));
      if (p.prediction)
        series.push({ name: p.prediction.label, x: p.prediction.x, y: p.prediction.y, style: 'dashed' });
      return { title: p.title, xLabel: fig.xLabel, yLabel: p.yLabel, xScale: fig.xScale, series };
    }),
  });
}
