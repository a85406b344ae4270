import { at, checkAxes, checkPointSeries, checkSize, checkString, isArray } from './check';
import { DEFAULT_FONT, drawPanel, finishPanel, svgDocument, type AxesSpec, type PointSeries } from './frame';
import { drawLegend, legendHeight, type LegendEntry } from './legend';
import { paletteColor, paletteMarker, styleIndex } from './palette';
import { extent } from './scale';
import { escapeXml, num, text, textWidth } from './svg';

/** One group of points. */
export interface ScatterSeriesSpec extends PointSeries {
  /** Point radius in px (default 2.8). */
  readonly radius?: number;
}

/** Where the annotation box sits inside the plot area. */
export type AnnotationCorner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/** A single-panel scatter plot (e.g. perplexity vs views) with optional log axes and an annotation. */
export interface ScatterChartSpec extends AxesSpec {
  readonly series: readonly ScatterSeriesSpec[];
  /** One line of text drawn inside the plot, e.g. `Spearman ρ = −0.11`. */
  readonly annotation?: string;
  readonly annotationCorner?: AnnotationCorner;
  /** Total size in px (defaults 480 × 360). */
  readonly width?: number;
  readonly height?: number;
  /** Show the legend (default: only when there is more than one series). */
  readonly legend?: boolean;
  readonly fontFamily?: string;
  readonly idPrefix?: string;
}

/**
 * Render a scatter plot to a standalone SVG string. Points with a NaN/±∞ coordinate (or ≤ 0 on a log
 * axis) are skipped. Points are drawn semi-transparent so dense regions read as darker. Same spec ⇒
 * byte-identical SVG.
 *
 * Complexity: O(points + ticks).
 * @throws TypeError / RangeError naming the offending field.
 * @example
 * scatterChart({ xLabel: 'views', yLabel: 'perplexity', xScale: 'log',
 *   series: [{ name: 'posts', x: [10, 200, 3000], y: [12, 9, 11] }], annotation: 'Spearman ρ = −0.11' })
 * // '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360" …'
 */
export function scatterChart(spec: ScatterChartSpec): string {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('spec must be an object');
  checkAxes(spec, 'spec');
  checkString(spec.annotation, 'annotation');
  checkString(spec.fontFamily, 'fontFamily');
  checkString(spec.idPrefix, 'idPrefix');
  checkSize(spec.width, 'width', 120, 8000);
  checkSize(spec.height, 'height', 120, 8000);
  const corner = spec.annotationCorner ?? 'top-left';
  if (!['top-left', 'top-right', 'bottom-left', 'bottom-right'].includes(corner)) {
    throw new TypeError(
      `annotationCorner must be top-left, top-right, bottom-left or bottom-right, got ${corner}`,
    );
  }
  if (!isArray(spec.series)) throw new TypeError('series must be an array');
  spec.series.forEach((s, j) => {
    checkPointSeries(s, `series[${j}]`);
    checkSize(s.radius, `series[${j}].radius`, 0.5, 20);
  });

  const width = spec.width ?? 480;
  const height0 = spec.height ?? 360;
  const xScale = spec.xScale ?? 'linear';
  const yScale = spec.yScale ?? 'linear';
  const styles = styleIndex(spec.series.map((s) => s.name));
  const showLegend = spec.legend ?? spec.series.length > 1;
  const entries: LegendEntry[] = [];
  if (showLegend) {
    for (const [name, k] of styles) {
      const s = spec.series.find((t) => t.name === name)!;
      entries.push({
        name,
        color: s.color ?? paletteColor(k),
        marker: paletteMarker(k),
        line: 'none',
        band: false,
      });
    }
  }
  const titleH = spec.title ? 34 : 4;
  const height = height0 + legendHeight(entries, width);
  const ok = (x: number, y: number): boolean =>
    Number.isFinite(x) &&
    Number.isFinite(y) &&
    (xScale === 'linear' || x > 0) &&
    (yScale === 'linear' || y > 0);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of spec.series) {
    for (let i = 0; i < s.x.length; i++) {
      const x = at(s.x, i),
        y = at(s.y, i);
      if (!ok(x, y)) continue;
      xs.push(x);
      ys.push(y);
    }
  }
  const body: string[] = [];
  const axes = drawPanel(
    body,
    { ...spec, title: undefined },
    { x: extent([xs], xScale === 'log'), y: extent([ys], yScale === 'log') },
    { x: 0, y: titleH, width, height: height0 - titleH },
    `${spec.idPrefix ?? 'mlp'}-clip-0`,
  );
  body.push(`<g clip-path="${axes.clip}">`);
  for (const s of spec.series) {
    const color = escapeXml(s.color ?? paletteColor(styles.get(s.name)!));
    const r = num(s.radius ?? 2.8);
    const pts: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const px = axes.x.map(at(s.x, i));
      const py = axes.y.map(at(s.y, i));
      if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
      pts.push(`<circle cx="${num(px)}" cy="${num(py)}" r="${r}"/>`);
    }
    if (pts.length > 0) body.push(`<g fill="${color}" fill-opacity="0.55">`, ...pts, '</g>');
  }
  body.push('</g>');
  if (spec.annotation) {
    const left = axes.x.map(axes.x.domain[0]);
    const right = axes.x.map(axes.x.domain[1]);
    const bottom = axes.y.map(axes.y.domain[0]);
    const top = axes.y.map(axes.y.domain[1]);
    const w = textWidth(spec.annotation, 12) + 12;
    const bx = corner.endsWith('left') ? left + 8 : right - 8 - w;
    const by = corner.startsWith('top') ? top + 8 : bottom - 8 - 20;
    body.push(
      `<rect x="${num(bx)}" y="${num(by)}" width="${num(w)}" height="20" fill="#ffffff" fill-opacity="0.85" stroke="#999999" stroke-width="0.8" rx="3"/>`,
    );
    body.push(text(bx + 6, by + 14, spec.annotation));
  }
  finishPanel(body, spec, axes.x, axes.y);
  drawLegend(body, entries, width, height0);
  return svgDocument(width, height, spec.fontFamily ?? DEFAULT_FONT, spec.title, body);
}
