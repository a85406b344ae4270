/** The legend under a chart: one swatch (band, solid or dashed line, marker) and label per series. */
import { FONT_SIZE } from './frame';
import { marker, type MarkerShape } from './palette';
import { num, text, textWidth, escapeXml } from './svg';

/** A legend entry (drawn as a swatch: optional band, solid or dashed line, optional marker). */
export interface LegendEntry {
  readonly name: string;
  readonly color: string;
  readonly marker: MarkerShape | null;
  readonly line: 'solid' | 'dashed' | 'none';
  readonly band: boolean;
}

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
