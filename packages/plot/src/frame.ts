/**
 * Shared chart scaffolding: one plot panel (grid, axes, ticks, labels, clip region) and the document
 * wrapper. Used by `lineChart` and `scatterChart` (validation: check.ts; legend: legend.ts; series
 * styles: palette.ts).
 */
import { makeAxis, type Axis, type AxisScale } from './scale';
import { num, text, textWidth, escapeXml } from './svg';

/** Font stack of every chart; resvg and browsers pick the first installed family. */
export const DEFAULT_FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';
/** Base font size in px. */
export const FONT_SIZE = 12;
const TICK_FONT = 11;

/** Shared axis options of a panel. */
export interface AxesSpec {
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly xScale?: AxisScale;
  readonly yScale?: AxisScale;
  readonly xDomain?: readonly [number, number];
  readonly yDomain?: readonly [number, number];
}

/** What every series has: a legend name, its points and an optional colour. */
export interface PointSeries {
  /** Legend label; series with the same name share colour and marker (across panels, too). */
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** CSS colour; default from the Okabe–Ito palette by first appearance of `name`. */
  readonly color?: string;
}

/** Outer box of a panel in px. */
export interface PanelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Draw one panel's scaffolding into `out` and return the axes plus the clip-path reference under
 * which the caller draws its data.
 */
export function drawPanel(
  out: string[],
  spec: AxesSpec,
  data: { x: [number, number] | null; y: [number, number] | null },
  box: PanelBox,
  clipId: string,
): { x: Axis; y: Axis; clip: string } {
  const xScale = spec.xScale ?? 'linear';
  const yScale = spec.yScale ?? 'linear';
  const top = box.y + (spec.title ? 28 : 12);
  const bottom = box.y + box.height - (spec.xLabel ? 46 : 28);
  const yAxis = makeAxis(yScale, data.y, spec.yDomain, bottom, top, 6);
  let maxLabel = 0;
  for (const l of yAxis.labels) maxLabel = Math.max(maxLabel, textWidth(l, TICK_FONT));
  const left = box.x + Math.max(40, maxLabel + 12 + (spec.yLabel ? 22 : 4));
  const right = box.x + box.width - 16;
  const xAxis = makeAxis(xScale, data.x, spec.xDomain, left, right, 6);

  out.push('<g>');
  out.push(`<clipPath id="${escapeXml(clipId)}">`);
  out.push(
    `<rect x="${num(left - 5)}" y="${num(top - 5)}" width="${num(right - left + 10)}" height="${num(bottom - top + 10)}"/>`,
  );
  out.push('</clipPath>');
  if (spec.title) {
    out.push(
      text((left + right) / 2, box.y + 17, spec.title, {
        'text-anchor': 'middle',
        'font-size': 13,
        'font-weight': 'bold',
      }),
    );
  }
  // grid
  const grid: string[] = [];
  for (const t of xAxis.ticks) {
    const px = xAxis.map(t);
    if (Number.isFinite(px)) grid.push(`M${num(px)} ${num(top)}V${num(bottom)}`);
  }
  for (const t of yAxis.ticks) {
    const py = yAxis.map(t);
    if (Number.isFinite(py)) grid.push(`M${num(left)} ${num(py)}H${num(right)}`);
  }
  if (grid.length > 0) out.push(`<path d="${grid.join('')}" stroke="#e4e4e4" stroke-width="1" fill="none"/>`);
  return { x: xAxis, y: yAxis, clip: `url(#${escapeXml(clipId)})` };
}

/** Draw the frame, tick marks, tick labels and axis labels on top of the data; closes the panel group. */
export function finishPanel(out: string[], spec: AxesSpec, x: Axis, y: Axis): void {
  const left = x.map(x.domain[0]);
  const right = x.map(x.domain[1]);
  const bottom = y.map(y.domain[0]);
  const top = y.map(y.domain[1]);
  out.push(
    `<rect x="${num(left)}" y="${num(top)}" width="${num(right - left)}" height="${num(bottom - top)}" fill="none" stroke="#333333" stroke-width="1"/>`,
  );
  const ticks: string[] = [];
  const labels: string[] = [];
  x.ticks.forEach((t, i) => {
    const px = x.map(t);
    if (!Number.isFinite(px)) return;
    ticks.push(`M${num(px)} ${num(bottom)}v5`);
    labels.push(text(px, bottom + 17, x.labels[i]!, { 'text-anchor': 'middle', 'font-size': TICK_FONT }));
  });
  y.ticks.forEach((t, i) => {
    const py = y.map(t);
    if (!Number.isFinite(py)) return;
    ticks.push(`M${num(left)} ${num(py)}h-5`);
    labels.push(text(left - 8, py + 4, y.labels[i]!, { 'text-anchor': 'end', 'font-size': TICK_FONT }));
  });
  if (ticks.length > 0)
    out.push(`<path d="${ticks.join('')}" stroke="#333333" stroke-width="1" fill="none"/>`);
  out.push(...labels);
  if (spec.xLabel) out.push(text((left + right) / 2, bottom + 38, spec.xLabel, { 'text-anchor': 'middle' }));
  if (spec.yLabel) {
    let maxLabel = 0;
    for (const l of y.labels) maxLabel = Math.max(maxLabel, textWidth(l, TICK_FONT));
    const lx = left - maxLabel - 16;
    const ly = (top + bottom) / 2;
    out.push(
      text(lx, ly, spec.yLabel, { 'text-anchor': 'middle', transform: `rotate(-90 ${num(lx)} ${num(ly)})` }),
    );
  }
  out.push('</g>');
}

/** Wrap body elements in an `<svg>` root with a white background and optional centred title. */
export function svgDocument(
  width: number,
  height: number,
  fontFamily: string,
  title: string | undefined,
  body: readonly string[],
): string {
  const w = num(width);
  const h = num(height);
  const head =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" ` +
    `font-family="${escapeXml(fontFamily)}" font-size="${FONT_SIZE}">`;
  const parts = [head, `<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`];
  if (title) {
    parts.push(
      text(width / 2, 22, title, { 'text-anchor': 'middle', 'font-size': 15, 'font-weight': 'bold' }),
    );
  }
  parts.push(...body, '</svg>');
  return parts.join('\n') + '\n';
}
