/**
 * Shared chart scaffolding: spec validation, one plot panel (grid, axes, ticks, labels, clip region),
 * the legend, and the document wrapper. Used by `lineChart` and `scatterChart`.
 */
import { makeAxis, type Axis, type AxisScale } from './scale';
import { PALETTE, MARKERS, type MarkerShape } from './palette';
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

/** A legend entry (drawn as a swatch: optional band, solid or dashed line, optional marker). */
export interface LegendEntry {
  readonly name: string;
  readonly color: string;
  readonly marker: MarkerShape | null;
  readonly line: 'solid' | 'dashed' | 'none';
  readonly band: boolean;
}

// ---------------------------------------------------------------------------------------------------
// validation (native TypeError / RangeError: this package is dependency-free)

/** `Array.isArray` without narrowing the argument's static type to `any[]`. */
export function isArray(v: unknown): boolean {
  return Array.isArray(v);
}

/** Throw a TypeError naming `field` unless `v` is undefined or a string. */
export function checkString(v: unknown, field: string): void {
  if (v !== undefined && typeof v !== 'string')
    throw new TypeError(`${field} must be a string, got ${typeof v}`);
}

/** Throw unless `v` is undefined or a finite number in [min, max]. */
export function checkSize(v: unknown, field: string, min: number, max: number): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${field} must be a finite number`);
  if (v < min || v > max) throw new RangeError(`${field} must be in [${min}, ${max}], got ${v}`);
}

/** Throw unless `v` is undefined, 'linear' or 'log'. */
export function checkScale(v: unknown, field: string): void {
  if (v !== undefined && v !== 'linear' && v !== 'log') {
    throw new TypeError(`${field} must be 'linear' or 'log', got ${String(v)}`);
  }
}

/** Throw unless `d` is undefined or a finite pair lo < hi (lo > 0 on a log axis). */
export function checkDomain(d: unknown, scale: AxisScale | undefined, field: string): void {
  if (d === undefined) return;
  if (!Array.isArray(d) || d.length !== 2 || !d.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new TypeError(`${field} must be a pair of finite numbers`);
  }
  const [a, b] = d as [number, number];
  if (!(a < b)) throw new RangeError(`${field} must satisfy lo < hi, got [${a}, ${b}]`);
  if (scale === 'log' && !(a > 0)) throw new RangeError(`${field} must be > 0 on a log axis, got ${a}`);
}

/** Throw unless `v` is a numeric array or typed array (of length `length` when given). */
export function checkArray(v: unknown, field: string, length?: number): void {
  const ok =
    Array.isArray(v) ||
    (ArrayBuffer.isView(v) &&
      !(v instanceof DataView) &&
      typeof (v as { length?: unknown }).length === 'number');
  if (!ok) throw new TypeError(`${field} must be an array or typed array of numbers`);
  const arr = v as ArrayLike<unknown>;
  if (length !== undefined && arr.length !== length) {
    throw new RangeError(`${field} must have the same length as x (${length}), got ${arr.length}`);
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e: unknown = v[i];
      if (typeof e !== 'number' && e !== null && e !== undefined) {
        throw new TypeError(`${field}[${i}] must be a number, got ${typeof e}`);
      }
    }
  }
}

/** Validate the axis options of a panel. */
export function checkAxes(a: AxesSpec, field: string): void {
  checkString(a.title, `${field}.title`);
  checkString(a.xLabel, `${field}.xLabel`);
  checkString(a.yLabel, `${field}.yLabel`);
  checkScale(a.xScale, `${field}.xScale`);
  checkScale(a.yScale, `${field}.yScale`);
  checkDomain(a.xDomain, a.xScale, `${field}.xDomain`);
  checkDomain(a.yDomain, a.yScale, `${field}.yDomain`);
}

/** Read element i as a number; null/undefined (possible in JSON-derived arrays) read as NaN. */
export function at(a: ArrayLike<number> | undefined, i: number): number {
  if (a === undefined) return NaN;
  const v = a[i] as number | null | undefined;
  return typeof v === 'number' ? v : NaN;
}

// ---------------------------------------------------------------------------------------------------
// styles

/** Colour and marker per distinct series name, in order of first appearance (stable across panels). */
export function styleIndex(names: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of names) if (!m.has(n)) m.set(n, m.size);
  return m;
}

/** Palette colour of style index i (cycled). */
export function paletteColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** Marker shape of style index i (cycled). */
export function paletteMarker(i: number): MarkerShape {
  return MARKERS[i % MARKERS.length]!;
}

/** SVG element for a marker centred at (x, y). */
export function marker(shape: MarkerShape, x: number, y: number, r: number, color: string): string {
  const c = escapeXml(color);
  switch (shape) {
    case 'circle':
      return `<circle cx="${num(x)}" cy="${num(y)}" r="${num(r)}" fill="${c}"/>`;
    case 'square': {
      const s = r * 0.9;
      return `<rect x="${num(x - s)}" y="${num(y - s)}" width="${num(2 * s)}" height="${num(2 * s)}" fill="${c}"/>`;
    }
    case 'triangle': {
      const h = r * 1.2;
      return `<path d="M${num(x)} ${num(y - h)}L${num(x + h)} ${num(y + h * 0.8)}L${num(x - h)} ${num(y + h * 0.8)}Z" fill="${c}"/>`;
    }
    case 'triangle-down': {
      const h = r * 1.2;
      return `<path d="M${num(x)} ${num(y + h)}L${num(x + h)} ${num(y - h * 0.8)}L${num(x - h)} ${num(y - h * 0.8)}Z" fill="${c}"/>`;
    }
    case 'diamond': {
      const h = r * 1.3;
      return `<path d="M${num(x)} ${num(y - h)}L${num(x + h)} ${num(y)}L${num(x)} ${num(y + h)}L${num(x - h)} ${num(y)}Z" fill="${c}"/>`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// panel

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

// ---------------------------------------------------------------------------------------------------
// legend

const SWATCH = 26;

/** Height the legend needs at a given width (0 when there are no entries). */
export function legendHeight(entries: readonly LegendEntry[], width: number): number {
  return entries.length === 0 ? 0 : legendRows(entries, width).length * 20 + 10;
}

function entryWidth(e: LegendEntry): number {
  return SWATCH + 6 + textWidth(e.name, FONT_SIZE) + 18;
}

function legendRows(entries: readonly LegendEntry[], width: number): LegendEntry[][] {
  const rows: LegendEntry[][] = [];
  let row: LegendEntry[] = [];
  let w = 0;
  for (const e of entries) {
    const ew = entryWidth(e);
    if (row.length > 0 && w + ew > width - 20) {
      rows.push(row);
      row = [];
      w = 0;
    }
    row.push(e);
    w += ew;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** Draw the legend centred in [0, width] starting at y = top. */
export function drawLegend(out: string[], entries: readonly LegendEntry[], width: number, top: number): void {
  if (entries.length === 0) return;
  out.push('<g>');
  legendRows(entries, width).forEach((row, r) => {
    let total = 0;
    for (const e of row) total += entryWidth(e);
    let x = (width - total) / 2 + 9;
    const cy = top + 10 + r * 20;
    for (const e of row) {
      const c = escapeXml(e.color);
      if (e.band) {
        out.push(
          `<rect x="${num(x)}" y="${num(cy - 6)}" width="${SWATCH}" height="12" fill="${c}" fill-opacity="0.18"/>`,
        );
      }
      if (e.line !== 'none') {
        const dash = e.line === 'dashed' ? ' stroke-dasharray="6 4"' : '';
        out.push(
          `<path d="M${num(x)} ${num(cy)}h${SWATCH}" stroke="${c}" stroke-width="2" fill="none"${dash}/>`,
        );
      }
      if (e.marker !== null) out.push(marker(e.marker, x + SWATCH / 2, cy, 3.5, e.color));
      out.push(text(x + SWATCH + 6, cy + 4, e.name));
      x += entryWidth(e);
    }
  });
  out.push('</g>');
}

// ---------------------------------------------------------------------------------------------------
// document

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
