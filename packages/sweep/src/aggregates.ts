/**
 * `aggregates.csv` (browser-safe, `@mechlab/sweep/spec`): per point × algorithm × metric, the count,
 * mean, std, the paper's mean ± 3σ band, min, max and the experiment's prediction — how a point's
 * statistics become rows, how a row is written, and how the file is read back. The CLI's finalize step
 * and the web app's in-browser sweep both write through these, so their files are byte-identical.
 */
import { MechlabError, type ParamValue, type RunningStats } from '@mechlab/core';
import { csvField, formatNumber, formatParam, splitCsvLine } from './csv-format';
import type { SweepPlan, SweepPoint, SweepSpec } from './spec';

/** One row of `aggregates.csv` / the `aggregates` table: a point × algorithm × metric. */
export interface AggregateRow {
  readonly point: number;
  /** The point's grid coordinates. */
  readonly coords: Readonly<Record<string, ParamValue>>;
  readonly algo: string;
  readonly metric: string;
  /**
   * Instances with a value (NaN rows are skipped) — the "n" of mean ± 3σ, named `count` because `n`
   * is also a grid axis (number of players).
   */
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly std: number;
  /** mean − 3·std and mean + 3·std: the paper's error band. */
  readonly lo3: number;
  readonly hi3: number;
  readonly min: number;
  readonly max: number;
  /** The experiment's theoretical value for this point and metric; NaN when it has none. */
  readonly prediction: number;
}

/** The numeric columns of `aggregates.csv`, in file order. */
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

/** Header of `rows.csv`. */
export function rowColumns(plan: Pick<SweepPlan, 'axes' | 'metricColumns'>): string[] {
  return ['point', 'replicate', ...plan.axes, ...plan.metricColumns];
}

/** Header of `aggregates.csv`. */
export function aggregateColumns(plan: Pick<SweepPlan, 'axes'>): string[] {
  return ['point', ...plan.axes, 'algo', 'metric', ...AGGREGATE_NUMBER_COLUMNS];
}

/** The grid coordinates of a point as CSV fields (`''` for no axes). */
export function coordFields(axes: readonly string[], coords: Readonly<Record<string, ParamValue>>): string {
  return axes.map((a) => formatParam(coords[a]!)).join(',');
}

/**
 * The aggregate rows of one point from its per-metric statistics (`stats[k]` for `plan.metrics[k]`),
 * accumulated in canonical replicate order by the caller. O(metrics).
 */
export function pointAggregates(
  plan: Pick<SweepPlan, 'metrics' | 'experiment'>,
  point: SweepPoint,
  stats: readonly RunningStats[],
): AggregateRow[] {
  return plan.metrics.map((md, k) => {
    const st = stats[k]!;
    const mean = st.mean;
    const std = st.std;
    const empty = st.n === 0;
    return {
      point: point.index,
      coords: point.coords,
      algo: md.algo,
      metric: md.metric,
      count: st.n,
      mean,
      std: empty ? NaN : std,
      lo3: empty ? NaN : mean - 3 * std,
      hi3: empty ? NaN : mean + 3 * std,
      min: empty ? NaN : st.min,
      max: empty ? NaN : st.max,
      prediction: plan.experiment.predict ? plan.experiment.predict(point.params, md.metric) : NaN,
    };
  });
}

/** One line of `aggregates.csv` (with its newline). */
export function aggregateLine(axes: readonly string[], a: AggregateRow): string {
  const coords = coordFields(axes, a.coords);
  const nums = AGGREGATE_NUMBER_COLUMNS.map((c) => formatNumber(a[c])).join(',');
  return `${a.point}${coords === '' ? '' : ',' + coords},${csvField(a.algo)},${csvField(a.metric)},${nums}\n`;
}

/**
 * Parse `aggregates.csv` text of a sweep with grid `spec.grid` back into rows; grid values come back
 * typed (the number 1, the boolean true) by matching them against the grid. O(text).
 * @throws MechlabError naming `file` and the line and column at fault (a missing column, a bad number).
 */
export function parseAggregates(
  text: string,
  spec: Pick<SweepSpec, 'grid'>,
  file = 'aggregates.csv',
): AggregateRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const header = splitCsvLine(lines[0] ?? '');
  const axes = Object.keys(spec.grid);
  const required = ['point', ...axes, 'algo', 'metric', ...AGGREGATE_NUMBER_COLUMNS];
  for (const c of required) {
    if (!header.includes(c)) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `${file} header must have a column ${JSON.stringify(c)} (expected ${required.join(',')}), got ${lines[0] ?? '(empty file)'}`,
        file,
      );
    }
  }
  const col = (name: string): number => header.indexOf(name);
  return lines.slice(1).map((line, i) => {
    const f = splitCsvLine(line);
    const num = (name: string): number => {
      const raw = f[col(name)] ?? '';
      const v = raw === '' ? NaN : Number(raw);
      if (raw !== '' && Number.isNaN(v)) {
        throw new MechlabError(
          'ERR_INVALID_TYPE',
          `${file} line ${i + 2}, column ${name} must be a number, got ${JSON.stringify(raw)}`,
          file,
        );
      }
      return v;
    };
    const coords: Record<string, ParamValue> = {};
    for (const a of axes) {
      const raw = f[col(a)] ?? '';
      // Recover the typed value from the grid, so "1" stays the number 1 and "true" the boolean.
      coords[a] = spec.grid[a]!.find((v) => formatParam(v) === raw || String(v) === raw) ?? raw;
    }
    return {
      point: num('point'),
      coords,
      algo: f[col('algo')] ?? '',
      metric: f[col('metric')] ?? '',
      count: num('count'),
      mean: num('mean'),
      std: num('std'),
      lo3: num('lo3'),
      hi3: num('hi3'),
      min: num('min'),
      max: num('max'),
      prediction: num('prediction'),
    };
  });
}
