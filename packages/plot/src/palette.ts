/**
 * Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design"), reordered so the
 * first colours have the most contrast on white; yellow is last because it is faint on white.
 * Series also differ by marker shape, so charts stay readable in greyscale.
 */
import { escapeXml, num } from './svg';

export const PALETTE: readonly string[] = Object.freeze([
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
]);

/** Marker shapes cycled alongside the palette. */
export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down';

/** Marker shapes in the order they are assigned to series. */
export const MARKERS: readonly MarkerShape[] = Object.freeze([
  'circle',
  'square',
  'triangle',
  'diamond',
  'triangle-down',
]);

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
