/**
 * SVG path data for series on d3-shape (pure string output, no DOM): a polyline that breaks at points
 * that cannot be drawn, and a band between two edges. Coordinates are rounded to two decimals.
 */
import { area, line } from 'd3-shape';

/** A point in px; NaN in any coordinate marks a point that cannot be drawn. */
type Px = readonly [x: number, y0: number, y1: number];

const finite = (p: Px): boolean => Number.isFinite(p[0] + p[1] + p[2]);

/**
 * `d` of a line through (x(i), y(i)), i < n, broken where a coordinate is not finite; runs of one point
 * draw nothing. `''` when nothing is drawn. O(n).
 */
export function linePath(n: number, x: (i: number) => number, y: (i: number) => number): string {
  const pts = Array.from({ length: n }, (_, i): Px => [x(i), y(i), 0]);
  const d = line<Px>()
    .x((p) => p[0])
    .y((p) => p[1])
    .defined(finite)
    .digits(2);
  return dropLonePoints(d(pts) ?? '');
}

/**
 * `d` of the closed band between lo(i) and hi(i) over x(i), one sub-path per run of drawable points
 * (runs of one point draw nothing): along hi, then back along lo. `''` when nothing is drawn. O(n).
 */
export function bandPath(
  n: number,
  x: (i: number) => number,
  lo: (i: number) => number,
  hi: (i: number) => number,
): string {
  const pts = Array.from({ length: n }, (_, i): Px => [x(i), lo(i), hi(i)]);
  const d = area<Px>()
    .x((p) => p[0])
    .y0((p) => p[1])
    .y1((p) => p[2])
    .defined(finite)
    .digits(2);
  return dropLonePoints(d(pts) ?? '');
}

/**
 * d3 draws a one-point run as a closed sub-path of one or two points: `Mx,yZ` (line) or `Mx,aLx,bZ`
 * (area). Longer runs never close (line) or have ≥ 4 points (area), so these are exactly the lone points.
 */
function dropLonePoints(d: string): string {
  return d.replace(/M[^MLZ]+(?:L[^MLZ]+)?Z/g, '');
}
