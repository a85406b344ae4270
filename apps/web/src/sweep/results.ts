/**
 * From per-point metric blocks to `rows.csv` and `aggregates.csv`, byte-for-byte as `mechlab sweep`
 * writes them (packages/sweep/src/output.ts): rows point-major and replicate-minor, aggregates
 * accumulated in that same canonical order (so even floating-point sums match), numbers as
 * `String(x)` with NaN as an empty field.
 */
import { RunningStats } from '@mechlab/core';
import { predict } from './ccs-random-graph';
import type { ParamValue, SweepPlan } from './spec';

export interface AggregateRow {
  readonly point: number;
  readonly coords: Readonly<Record<string, ParamValue>>;
  readonly algo: string;
  readonly metric: string;
  readonly count: number;
  readonly mean: number;
  readonly std: number;
  readonly lo3: number;
  readonly hi3: number;
  readonly min: number;
  readonly max: number;
  readonly prediction: number;
}

export function formatNumber(x: number): string {
  return Number.isNaN(x) ? '' : String(x);
}

export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatParam(v: ParamValue): string {
  return typeof v === 'number' ? formatNumber(v) : typeof v === 'boolean' ? String(v) : csvField(v);
}

export const AGGREGATE_NUMBER_COLUMNS = [
  'count',
  'mean',
  'std',
  'lo3',
  'hi3',
  'min',
  'max',
  'prediction',
] as const;

export interface SweepFiles {
  readonly rowsCsv: string;
  readonly aggregatesCsv: string;
  readonly aggregates: AggregateRow[];
}

/**
 * `values[point]` holds the point's metrics row-major, `replicates × metrics`.
 * O(total rows).
 */
export function sweepFiles(plan: SweepPlan, values: readonly Float64Array[]): SweepFiles {
  const m = plan.metrics.length;
  const metricColumns = plan.metrics.map((d) => `${d.algo}_${d.metric}`);
  const rows: string[] = [['point', 'replicate', ...plan.axes, ...metricColumns].join(',') + '\n'];
  const aggregates: AggregateRow[] = [];
  for (const point of plan.points) {
    const coordText = plan.axes.map((a) => formatParam(point.coords[a]!)).join(',');
    const stats = plan.metrics.map(() => new RunningStats());
    const block = values[point.index]!;
    for (let r = 0; r < plan.spec.replicates; r++) {
      let line = `${point.index},${r}${coordText === '' ? '' : ',' + coordText}`;
      for (let k = 0; k < m; k++) {
        const v = block[r * m + k]!;
        // The CLI parses its journal text back (String round-trips doubles exactly).
        if (!Number.isNaN(v)) stats[k]!.push(v);
        line += ',' + formatNumber(v);
      }
      rows.push(line + '\n');
    }
    plan.metrics.forEach((md, k) => {
      const st = stats[k]!;
      const mean = st.mean;
      const std = st.std;
      aggregates.push({
        point: point.index,
        coords: point.coords,
        algo: md.algo,
        metric: md.metric,
        count: st.n,
        mean,
        std: st.n === 0 ? NaN : std,
        lo3: st.n === 0 ? NaN : mean - 3 * std,
        hi3: st.n === 0 ? NaN : mean + 3 * std,
        min: st.n === 0 ? NaN : st.min,
        max: st.n === 0 ? NaN : st.max,
        prediction: predict(point.params, md.metric),
      });
    });
  }
  const header = ['point', ...plan.axes, 'algo', 'metric', ...AGGREGATE_NUMBER_COLUMNS].join(',') + '\n';
  const agg = aggregates.map((a) => {
    const coordText = plan.axes.map((ax) => formatParam(a.coords[ax]!)).join(',');
    const nums = AGGREGATE_NUMBER_COLUMNS.map((c) => formatNumber(a[c])).join(',');
    return `${a.point}${coordText === '' ? '' : ',' + coordText},${csvField(a.algo)},${csvField(a.metric)},${nums}\n`;
  });
  return { rowsCsv: rows.join(''), aggregatesCsv: header + agg.join(''), aggregates };
}
