import { at, checkArray, checkAxes, checkPointSeries, checkSize, checkString, isArray } from './check';
import { DEFAULT_FONT, drawPanel, finishPanel, svgDocument, type AxesSpec, type PointSeries } from './frame';
import { drawLegend, legendHeight, type LegendEntry } from './legend';
import { marker, paletteColor, paletteMarker, styleIndex } from './palette';
import { bandPath, linePath } from './paths';
import { extent, type AxisScale } from './scale';
import { escapeXml } from './svg';

/** One series of a line panel: a mean line with markers, an optional band, or a dashed prediction. */
export interface SeriesSpec extends PointSeries {
  /** Lower edge of the shaded band (e.g. mean − 3σ); drawn only where lo, hi and x are all finite. */
  readonly lo?: ArrayLike<number>;
  readonly hi?: ArrayLike<number>;
  /** 'line' (default): solid with markers; 'dashed': a prediction/reference line without markers. */
  readonly style?: 'line' | 'dashed';
  /** Override the marker default (true for 'line', false for 'dashed'). */
  readonly markers?: boolean;
  /** Include in the legend (default true). */
  readonly legend?: boolean;
}

/** One panel: axes plus series. Panels are laid out side by side. */
export interface PanelSpec extends AxesSpec {
  readonly series: readonly SeriesSpec[];
}

/** A multi-panel line chart (the layout of the paper's Figures 1–3: welfare | active players). */
export interface LineChartSpec {
  readonly title?: string;
  readonly panels: readonly PanelSpec[];
  /** Width of each panel in px (default 380). */
  readonly panelWidth?: number;
  /** Height of the panels in px (default 300). */
  readonly panelHeight?: number;
  /** Show the shared legend below the panels (default true). */
  readonly legend?: boolean;
  readonly fontFamily?: string;
  /** Prefix for element ids (clip paths), so several charts can share one HTML page (default 'mlp'). */
  readonly idPrefix?: string;
}

function checkSeries(s: SeriesSpec, field: string): void {
  checkPointSeries(s, field);
  if (s.lo !== undefined) checkArray(s.lo, `${field}.lo`, s.x.length);
  if (s.hi !== undefined) checkArray(s.hi, `${field}.hi`, s.x.length);
  if ((s.lo === undefined) !== (s.hi === undefined))
    throw new TypeError(`${field}: lo and hi must be given together`);
  if (s.style !== undefined && s.style !== 'line' && s.style !== 'dashed') {
    throw new TypeError(`${field}.style must be 'line' or 'dashed', got ${String(s.style)}`);
  }
}

function visible(v: number, scale: AxisScale): boolean {
  return Number.isFinite(v) && (scale === 'linear' || v > 0);
}

/**
 * Render a multi-panel line chart to a standalone SVG string. Each series is a mean line with markers,
 * optionally with a shaded band (`lo`/`hi`) — e.g. the 3σ band of the paper's Figures 1–3 — or a dashed
 * prediction line. Axes are linear or log-10 with nice ticks. Points with NaN/±∞ (or ≤ 0 on a log
 * axis) are skipped and break the line, so the output never contains NaN. Same spec ⇒ byte-identical SVG.
 *
 * Complexity: O(total points + ticks).
 * @throws TypeError / RangeError naming the offending field (e.g. `panels[0].series[1].y must have the
 *   same length as x (5), got 4`).
 * @example
 * lineChart({ panels: [{ xLabel: 'n', yLabel: 'welfare',
 *   series: [{ name: 'GCS', x: [2, 4, 8], y: [1, 2, 3], lo: [0.5, 1.5, 2.5], hi: [1.5, 2.5, 3.5] }] }] })
 * // '<svg xmlns="http://www.w3.org/2000/svg" width="380" height="330" …'
 */
export function lineChart(spec: LineChartSpec): string {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('spec must be an object');
  if (!isArray(spec.panels)) throw new TypeError('panels must be an array');
  if (spec.panels.length === 0) throw new RangeError('panels must contain at least 1 panel, got 0');
  checkString(spec.title, 'title');
  checkString(spec.fontFamily, 'fontFamily');
  checkString(spec.idPrefix, 'idPrefix');
  checkSize(spec.panelWidth, 'panelWidth', 120, 4000);
  checkSize(spec.panelHeight, 'panelHeight', 120, 4000);
  spec.panels.forEach((p, i) => {
    if (typeof p !== 'object' || p === null) throw new TypeError(`panels[${i}] must be an object`);
    checkAxes(p, `panels[${i}]`);
    if (!isArray(p.series)) throw new TypeError(`panels[${i}].series must be an array`);
    p.series.forEach((s, j) => checkSeries(s, `panels[${i}].series[${j}]`));
  });

  const pw = spec.panelWidth ?? 380;
  const ph = spec.panelHeight ?? 300;
  const width = pw * spec.panels.length;
  const prefix = spec.idPrefix ?? 'mlp';
  const titleH = spec.title ? 34 : 4;
  const styles = styleIndex(spec.panels.flatMap((p) => p.series.map((s) => s.name)));

  // Legend entries: one per distinct name (first occurrence decides its look).
  const entries: LegendEntry[] = [];
  const seen = new Set<string>();
  for (const p of spec.panels) {
    for (const s of p.series) {
      if (seen.has(s.name) || s.legend === false) continue;
      seen.add(s.name);
      const k = styles.get(s.name)!;
      const dashed = s.style === 'dashed';
      const markers = s.markers ?? !dashed;
      entries.push({
        name: s.name,
        color: s.color ?? paletteColor(k),
        marker: markers ? paletteMarker(k) : null,
        line: dashed ? 'dashed' : 'solid',
        band: s.lo !== undefined,
      });
    }
  }
  const shownEntries = spec.legend === false ? [] : entries;
  const height = titleH + ph + legendHeight(shownEntries, width);

  const body: string[] = [];
  spec.panels.forEach((panel, pi) => {
    const xScale = panel.xScale ?? 'linear';
    const yScale = panel.yScale ?? 'linear';
    // data extents over the points that can actually be drawn
    const xs: number[] = [];
    const ys: number[] = [];
    for (const s of panel.series) {
      for (let i = 0; i < s.x.length; i++) {
        const x = at(s.x, i);
        if (!visible(x, xScale)) continue;
        let any = false;
        for (const v of [at(s.y, i), at(s.lo, i), at(s.hi, i)]) {
          if (visible(v, yScale)) {
            ys.push(v);
            any = true;
          }
        }
        if (any) xs.push(x);
      }
    }
    const box = { x: pi * pw, y: titleH, width: pw, height: ph };
    const {
      x: ax,
      y: ay,
      clip,
    } = drawPanel(
      body,
      panel,
      { x: extent([xs], xScale === 'log'), y: extent([ys], yScale === 'log') },
      box,
      `${prefix}-clip-${pi}`,
    );
    body.push(`<g clip-path="${clip}">`);
    // bands first, so lines and markers sit on top
    for (const s of panel.series) {
      if (s.lo === undefined || s.hi === undefined) continue;
      const color = escapeXml(s.color ?? paletteColor(styles.get(s.name)!));
      const px = (i: number): number => ax.map(at(s.x, i));
      const lo = (i: number): number => ay.map(at(s.lo, i));
      const hi = (i: number): number => ay.map(at(s.hi, i));
      const d = bandPath(s.x.length, px, lo, hi);
      if (d !== '') body.push(`<path d="${d}" fill="${color}" fill-opacity="0.18" stroke="none"/>`);
    }
    for (const s of panel.series) {
      const k = styles.get(s.name)!;
      const color = s.color ?? paletteColor(k);
      const dashed = s.style === 'dashed';
      const px = (i: number): number => ax.map(at(s.x, i));
      const py = (i: number): number => ay.map(at(s.y, i));
      const d = linePath(s.x.length, px, py);
      if (d !== '') {
        const dash = dashed ? ' stroke-dasharray="6 4"' : '';
        body.push(
          `<path d="${d}" fill="none" stroke="${escapeXml(color)}" stroke-width="${dashed ? 1.6 : 1.8}" stroke-linejoin="round"${dash}/>`,
        );
      }
      if (s.markers ?? !dashed) {
        const shape = paletteMarker(k);
        for (let i = 0; i < s.x.length; i++) {
          if (Number.isFinite(px(i) + py(i))) body.push(marker(shape, px(i), py(i), 3.2, color));
        }
      }
    }
    body.push('</g>');
    finishPanel(body, panel, ax, ay);
  });
  drawLegend(body, shownEntries, width, titleH + ph);
  return svgDocument(width, height, spec.fontFamily ?? DEFAULT_FONT, spec.title, body);
}
