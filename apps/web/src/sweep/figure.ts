/**
 * A sweep's figure from its aggregates, in the form `mechlab sweep` draws (packages/sweep/src/figure.ts
 * and render.ts): one panel per metric against the first grid axis, one series per algorithm (other
 * axes split series) with its ±3σ band, the Corollary 13 prediction dashed — drawn by `@mechlab/plot`.
 */
import { lineChart, type SeriesSpec } from '@mechlab/plot';
import type { AggregateRow } from './results';
import type { SweepSpec } from './spec';

/** Draw `aggregates` of `spec` as SVG. `labels` maps parameter/algorithm/metric names to prose. */
export function sweepFigureSvg(
  aggregates: readonly AggregateRow[],
  spec: Pick<SweepSpec, 'grid' | 'params' | 'name' | 'replicates'>,
  labels: Readonly<Record<string, string>>,
): string {
  const label = (k: string): string => labels[k] ?? k;
  const axes = Object.keys(spec.grid);
  const xAxis = axes[0]!;
  const others = axes.filter((a) => a !== xAxis);
  const metrics: string[] = [];
  const algos: string[] = [];
  for (const r of aggregates) {
    if (!metrics.includes(r.metric)) metrics.push(r.metric);
    if (!algos.includes(r.algo)) algos.push(r.algo);
  }
  const xs = [...new Set(aggregates.map((r) => Number(r.coords[xAxis])))].sort((a, b) => a - b);
  const allPositive = xs.length > 0 && xs[0]! > 0;
  const xScale = allPositive && xs[xs.length - 1]! / xs[0]! >= 50 ? 'log' : 'linear';
  const panels = metrics.map((metric) => {
    const rows = aggregates.filter((r) => r.metric === metric);
    const groups = new Map<string, AggregateRow[]>();
    for (const r of rows) {
      const rest = others.map((a) => `${a}=${String(r.coords[a])}`).join(', ');
      const id = rest === '' ? r.algo : `${r.algo} (${rest})`;
      groups.set(id, [...(groups.get(id) ?? []), r]);
    }
    const ids = [...groups.keys()].sort((a, b) => {
      const ga = groups.get(a)![0]!;
      const gb = groups.get(b)![0]!;
      return algos.indexOf(ga.algo) - algos.indexOf(gb.algo) || ga.point - gb.point;
    });
    const series: SeriesSpec[] = ids.map((id) => {
      const g = [...groups.get(id)!].sort((a, b) => Number(a.coords[xAxis]) - Number(b.coords[xAxis]));
      const algo = g[0]!.algo;
      return {
        name: label(algo) + id.slice(algo.length),
        x: g.map((r) => Number(r.coords[xAxis])),
        y: g.map((r) => r.mean),
        lo: g.map((r) => r.lo3),
        hi: g.map((r) => r.hi3),
      };
    });
    const predByX = new Map<number, number>();
    for (const r of rows) {
      const x = Number(r.coords[xAxis]);
      if (!predByX.has(x) && Number.isFinite(r.prediction)) predByX.set(x, r.prediction);
    }
    const px = xs.filter((x) => predByX.has(x));
    if (px.length > 0 && others.length === 0) {
      series.push({ name: label('prediction'), x: px, y: px.map((x) => predByX.get(x)!), style: 'dashed' });
    }
    const title = label(metric);
    return {
      title: title.length === 0 ? title : title[0]!.toUpperCase() + title.slice(1),
      xLabel: label(xAxis),
      yLabel: label(metric),
      xScale,
      series,
    } as const;
  });
  const fixed = Object.entries(spec.params)
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join(', ');
  return lineChart({
    title: `${spec.name}: ${fixed === '' ? '' : fixed + ', '}${spec.replicates} instances per point; bands: mean ± 3σ`,
    panelWidth: 460,
    panelHeight: 320,
    panels,
  });
}
