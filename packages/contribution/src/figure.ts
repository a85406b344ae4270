/**
 * The experiment's figure and table: crossing probability, total cost, leakage and participation of
 * the three mechanisms against the swept parameter, in the style of the Figures 1–3 of seed 004
 * (mean line with markers and a shaded band).
 */
import { lineChart, type PanelSpec, type SeriesSpec } from '@mechlab/plot';
import { rangeError, type Summary } from '@mechlab/core';
import { NUMERIC_PARAM_KEYS, type NumericParamKey } from './model';
import {
  CONTRIBUTION_METRICS,
  type ContributionMetric,
  type ContributionRow,
  type MechanismName,
} from './experiment';

/** Band drawn around each mean: ±3 standard errors (default), ±3 standard deviations, or none. */
export type BandKind = '3se' | '3sd' | 'none';

/** Options of {@link contributionFigure}. */
export interface ContributionFigureOptions {
  /** Parameter on the x axis (default: the first numeric parameter that varies across rows). */
  readonly x?: NumericParamKey;
  readonly band?: BandKind;
  readonly title?: string;
}

/** Axis label of each numeric parameter. */
export const PARAM_LABELS: Readonly<Record<NumericParamKey, string>> = Object.freeze({
  n: 'users n',
  tau: 'threshold τ',
  costLo: 'lowest unit cost',
  costHi: 'highest unit cost',
  capLo: 'lowest capacity',
  capHi: 'highest capacity',
  valueHi: 'highest improvement value',
  shockProb: 'shock probability π',
  shockMean: 'mean shock size η',
  irreversibility: 'irreversibility ρ',
  premium: 'price premium ψ',
  subsidyTarget: 'subsidy target κ',
});

const PANELS: readonly { metric: ContributionMetric; title: string; yLabel: string }[] = [
  { metric: 'crossing', title: 'Crossing probability', yLabel: 'P(Σ d ≥ τ)' },
  { metric: 'totalCost', title: 'Total cost', yLabel: 'payments per instance' },
  { metric: 'leakage', title: 'Leakage', yLabel: 'payments without improvement' },
  { metric: 'participants', title: 'Participation', yLabel: 'users providing data' },
];

function mechanismLabel(m: MechanismName, row: ContributionRow): string {
  if (m === 'subsidy') return 'Posted subsidy';
  if (m === 'simultaneous') return 'Withdrawal, simultaneous';
  return row.params.sequentialOrder === 'large-first' ? 'Withdrawal, large-first' : 'Withdrawal, small-first';
}

/** Numeric parameters whose value differs across rows, in canonical order. */
export function varyingParams(rows: readonly ContributionRow[]): NumericParamKey[] {
  const first = rows[0];
  if (first === undefined) return [];
  return NUMERIC_PARAM_KEYS.filter((k) => rows.some((r) => r.params[k] !== first.params[k]));
}

/** Band around the mean, clipped to the output's range (all outputs ≥ 0; a probability ≤ 1). */
function band(s: Summary, kind: BandKind, metric: ContributionMetric): [number, number] {
  if (kind === 'none' || s.n === 0) return [NaN, NaN];
  const h = kind === '3sd' ? 3 * s.std : (3 * s.std) / Math.sqrt(s.n);
  const top = metric === 'crossing' ? 1 : Infinity;
  return [Math.max(0, s.mean - h), Math.min(top, s.mean + h)];
}

/**
 * Render the comparison figure: four panels (crossing probability, total cost, leakage,
 * participation), one series per mechanism (and per value of any other varying parameter), mean with
 * markers and a ±3 SE band by default. Empty or NaN statistics are skipped, never drawn.
 *
 * Complexity: O(rows · log rows).
 * @see MODELS.md §5 (outputs) and §6 (mean, 3σ band, plot per figure); seed 004 §6 for the style.
 * @throws MechlabError if `x` is not a numeric parameter.
 * @example
 * contributionFigure(runContributionExperiment({ seed: 1, replicates: 100, grid: { tau: [5, 10, 20] } }))
 * // '<svg xmlns="http://www.w3.org/2000/svg" width="1440" height="364" …'
 */
export function contributionFigure(
  rows: readonly ContributionRow[],
  options: ContributionFigureOptions = {},
): string {
  const varying = varyingParams(rows);
  if (options.x !== undefined && !NUMERIC_PARAM_KEYS.includes(options.x)) {
    throw rangeError('x', `one of ${NUMERIC_PARAM_KEYS.join(', ')}`, options.x);
  }
  const xKey = options.x ?? varying[0];
  const others = varying.filter((k) => k !== xKey);
  const kind = options.band ?? '3se';
  // group rows into series: mechanism × values of the other varying parameters (first-seen order)
  const groups = new Map<string, ContributionRow[]>();
  for (const r of rows) {
    const suffix = others.map((k) => `${k}=${r.params[k]}`).join(', ');
    const name = mechanismLabel(r.mechanism, r) + (suffix === '' ? '' : ` (${suffix})`);
    const g = groups.get(name);
    if (g === undefined) groups.set(name, [r]);
    else g.push(r);
  }
  const xOf = (r: ContributionRow): number => (xKey === undefined ? r.point : r.params[xKey]);
  const panels: PanelSpec[] = PANELS.map(({ metric, title, yLabel }) => {
    const series: SeriesSpec[] = [];
    for (const [name, g] of groups) {
      const sorted = [...g].sort((a, b) => xOf(a) - xOf(b) || a.point - b.point);
      const stats = sorted.map((r) => r.metrics[metric]);
      const bands = stats.map((s) => band(s, kind, metric));
      series.push({
        name,
        x: sorted.map(xOf),
        y: stats.map((s) => s.mean),
        ...(kind === 'none' ? {} : { lo: bands.map((b) => b[0]), hi: bands.map((b) => b[1]) }),
      });
    }
    return { title, xLabel: xKey === undefined ? 'grid point' : PARAM_LABELS[xKey], yLabel, series };
  });
  const bandNote = kind === '3se' ? ' (bands: ±3 SE)' : kind === '3sd' ? ' (bands: ±3σ)' : '';
  return lineChart({
    title: options.title ?? `Threshold data contributions: subsidy vs withdrawal protocols${bandNote}`,
    panels,
    panelWidth: 360,
    panelHeight: 300,
  });
}

/**
 * A plain-text table of the rows: the varying parameters, the mechanism, and `mean ± 3·SE` of each
 * output (crossing probability, total cost, leakage, participants, supply, cost given crossing);
 * `—` where there is no data. Columns are aligned with spaces.
 *
 * Complexity: O(rows).
 * @example
 * contributionTable(rows).split('\n')[0]
 * // 'point  tau  mechanism       n       crossing      totalCost  …'  (see README)
 */
export function contributionTable(rows: readonly ContributionRow[]): string {
  const varying = varyingParams(rows);
  const header = ['point', ...varying, 'mechanism', 'n', ...CONTRIBUTION_METRICS];
  const cells: string[][] = rows.map((r) => [
    String(r.point),
    ...varying.map((k) => String(r.params[k])),
    r.mechanism,
    String(r.replicates),
    ...CONTRIBUTION_METRICS.map((m) => cell(r.metrics[m])),
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((c) => c[j]!.length)));
  const textCol = 1 + varying.length; // the mechanism column is left-aligned, the rest right-aligned
  const line = (c: readonly string[]): string =>
    c
      .map((v, j) => (j === textCol ? v.padEnd(widths[j]!) : v.padStart(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}

function cell(s: Summary): string {
  if (s.n === 0 || !Number.isFinite(s.mean)) return '—';
  const se = s.n > 0 ? (3 * s.std) / Math.sqrt(s.n) : 0;
  return `${s.mean.toFixed(3)} ± ${se.toFixed(3)}`;
}
