/**
 * Figure data in the style of seed 004 Figures 1–3: one panel per metric (mean social welfare, mean
 * active players) against the swept parameter, one series per algorithm with its 3σ band, and the
 * Corollary 13 prediction line.
 *
 * `FigureData` is plain JSON, independent of any plotting library: a sweep always writes it as
 * `figure.json`, and a `FigureRenderer` handed in by the caller (the CLI's draws with `@mechlab/plot`)
 * turns it into `figure.svg` / `figure.png`. Rendering is a hook so the engine never depends on how
 * figures are drawn. Pure code: the web app draws its in-browser sweeps from the same data
 * (`@mechlab/sweep/spec`).
 */
import { MechlabError, type Experiment } from '@mechlab/core';
import type { AggregateRow } from './aggregates';
import type { SweepSpec } from './spec';

/** One algorithm's curve: means with a band. NaN (written as `null` in JSON) marks a missing point. */
export interface FigureSeries {
  readonly id: string;
  readonly label: string;
  readonly x: number[];
  readonly mean: number[];
  readonly lo: number[];
  readonly hi: number[];
  /** Instances behind each mean. */
  readonly count: number[];
}

/** A dashed theory line. */
export interface FigureLine {
  readonly label: string;
  readonly x: number[];
  readonly y: number[];
}

/** One panel (one metric). */
export interface FigurePanel {
  readonly id: string;
  readonly title: string;
  readonly yLabel: string;
  readonly series: FigureSeries[];
  readonly prediction?: FigureLine;
}

/** A whole figure: shared x axis, panels side by side. */
export interface FigureData {
  readonly title: string;
  readonly subtitle: string;
  readonly xLabel: string;
  readonly xScale: 'linear' | 'log';
  readonly bandLabel: string;
  readonly panels: FigurePanel[];
}

/** One line of a {@link FigureChart}: a series with its band, or the dashed theory line. */
export interface FigureChartSeries {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly lo?: readonly number[];
  readonly hi?: readonly number[];
  readonly style?: 'line' | 'dashed';
}

/**
 * How a sweep figure is laid out as a multi-panel line chart — the shape of `@mechlab/plot`'s
 * `LineChartSpec`, which this package does not import (renderers pass it to `lineChart`), so the CLI
 * and the web app draw the same picture.
 */
export interface FigureChart {
  readonly title: string;
  readonly panelWidth: number;
  readonly panelHeight: number;
  readonly panels: readonly {
    readonly title: string;
    readonly xLabel: string;
    readonly yLabel: string;
    readonly xScale: 'linear' | 'log';
    readonly series: readonly FigureChartSeries[];
  }[];
}

/** Output of a renderer: an SVG document and optionally its PNG raster. */
export interface RenderedFigure {
  readonly svg: string;
  readonly png?: Uint8Array;
  /** Problems that did not stop rendering (e.g. no PNG rasteriser); copied into the sweep summary. */
  readonly warnings?: readonly string[];
}

/** Turns figure data into pictures (e.g. `@mechlab/plot`'s `lineChart` + `svgToPng`). */
export type FigureRenderer = ((fig: FigureData) => RenderedFigure | Promise<RenderedFigure>) & {
  /**
   * Optional: load what drawing needs (e.g. a native PNG rasteriser) ahead of time. `runSweep` calls it
   * while the worker threads start, when the main thread has nothing else to do, so the finalize step
   * after the last task does not wait for module loading (issue 14). Must not throw; a failure to load
   * is reported by the render call itself.
   */
  readonly prepare?: (() => void) | undefined;
};

/** Options of {@link figureData}. */
export interface FigureOptions {
  /** Axis on the x axis; default the spec's first grid axis. */
  readonly x?: string;
  /** Force a scale; default log when every x > 0 and max/min ≥ 50 (e.g. n from 10 to 1000). */
  readonly xScale?: 'linear' | 'log';
}

/**
 * Build the figure of a finished sweep from its aggregates: one panel per metric, one series per
 * algorithm (the paper's form: mean with a ±3σ band, the theory line dashed). Series are ordered by
 * first appearance of their algorithm; other grid axes than `x` split series (`gcs (rho=0.1)`).
 * O(rows log rows).
 * @throws MechlabError ERR_INVALID_INPUT for an `x` that is not a grid axis.
 * @example figureData(readAggregates('out/ccs-vary-n'), spec, ccsRandomGraph).panels.map((p) => p.id)
 * // ['welfare', 'active']
 */
export function figureData(
  aggregates: readonly AggregateRow[],
  spec: SweepSpec,
  exp: Experiment,
  opts: FigureOptions = {},
): FigureData {
  const axes = Object.keys(spec.grid);
  const xAxis = opts.x ?? axes[0]!;
  if (!axes.includes(xAxis)) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `x must be a grid axis (${axes.join(', ')}), got ${xAxis}`,
      'x',
    );
  }
  // A user experiment's plain metrics have no algorithm: their one series is named after the experiment.
  const label = (k: string): string => exp.labels?.[k] ?? (k === '' ? exp.name : k);
  const others = axes.filter((a) => a !== xAxis);

  const metrics: string[] = [];
  const algos: string[] = [];
  for (const r of aggregates) {
    if (!metrics.includes(r.metric)) metrics.push(r.metric);
    if (!algos.includes(r.algo)) algos.push(r.algo);
  }
  const xs = [...new Set(aggregates.map((r) => Number(r.coords[xAxis])))].sort((a, b) => a - b);
  const panels: FigurePanel[] = metrics.map((metric) => {
    const rows = aggregates.filter((r) => r.metric === metric);
    // A declared range (a probability, a non-negative cost) clips the band: mean ± 3σ of a 0/1 outcome
    // would otherwise reach below 0 and above 1.
    const bound = exp.bounds?.[metric];
    const groups = new Map<string, AggregateRow[]>();
    for (const r of rows) {
      const rest = others.map((a) => `${a}=${String(r.coords[a])}`).join(', ');
      const id = rest === '' ? r.algo : `${r.algo} (${rest})`;
      const g = groups.get(id) ?? [];
      g.push(r);
      groups.set(id, g);
    }
    const ids = [...groups.keys()].sort((a, b) => {
      const ga = groups.get(a)![0]!,
        gb = groups.get(b)![0]!;
      return algos.indexOf(ga.algo) - algos.indexOf(gb.algo) || ga.point - gb.point;
    });
    const series: FigureSeries[] = ids.map((id) => {
      const g = [...groups.get(id)!].sort((a, b) => Number(a.coords[xAxis]) - Number(b.coords[xAxis]));
      const algo = g[0]!.algo;
      const suffix = id.slice(algo.length);
      return {
        id,
        label: label(algo) + suffix,
        x: g.map((r) => Number(r.coords[xAxis])),
        mean: g.map((r) => r.mean),
        lo: g.map((r) => (bound ? Math.max(bound[0], r.lo3) : r.lo3)),
        hi: g.map((r) => (bound ? Math.min(bound[1], r.hi3) : r.hi3)),
        count: g.map((r) => r.count),
      };
    });
    // Prediction: one value per point (shared by the algorithms); first row of each x wins.
    const predByX = new Map<number, number>();
    for (const r of rows) {
      const x = Number(r.coords[xAxis]);
      if (!predByX.has(x) && Number.isFinite(r.prediction)) predByX.set(x, r.prediction);
    }
    const px = xs.filter((x) => predByX.has(x));
    const panel: FigurePanel = {
      id: metric,
      title: capitalize(label(metric)),
      yLabel: label(metric),
      series,
      ...(px.length > 0 && others.length === 0
        ? { prediction: { label: label('prediction'), x: px, y: px.map((x) => predByX.get(x)!) } }
        : {}),
    };
    return panel;
  });
  const fixed = Object.entries(spec.params)
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join(', ');
  const allPositive = xs.length > 0 && xs[0]! > 0;
  const xScale = opts.xScale ?? (allPositive && xs[xs.length - 1]! / xs[0]! >= 50 ? 'log' : 'linear');
  return {
    title: `${spec.name}: ${fixed === '' ? '' : fixed + ', '}${spec.replicates} instances per point`,
    subtitle: `${exp.description}; seed ${String(spec.seed)}`,
    xLabel: label(xAxis),
    xScale,
    bandLabel: 'mean ± 3σ',
    panels,
  };
}

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** The chart of a figure: one panel per metric, bands for ±3σ, the prediction dashed. O(points). */
export function figureChart(fig: FigureData): FigureChart {
  return {
    title: `${fig.title}; bands: ${fig.bandLabel}`,
    panelWidth: 460,
    panelHeight: 320,
    panels: fig.panels.map((p) => {
      const series: FigureChartSeries[] = p.series.map((s) => ({
        name: s.label,
        x: s.x,
        y: s.mean,
        lo: s.lo,
        hi: s.hi,
      }));
      if (p.prediction) {
        series.push({ name: p.prediction.label, x: p.prediction.x, y: p.prediction.y, style: 'dashed' });
      }
      return { title: p.title, xLabel: fig.xLabel, yLabel: p.yLabel, xScale: fig.xScale, series };
    }),
  };
}
