/**
 * Axis scales and "nice" ticks on d3-scale (pure functions, no DOM): linear ticks at 1, 2 or 5 × 10^k
 * (d3's `ticks`, the rule of Heckbert, Graphics Gems I, 1990); log ticks on powers of ten (plus 2× and
 * 5× when the axis spans at most two decades). Labels are formatted here (`−`, exponents for extremes).
 */
import { scaleLinear, scaleLog } from 'd3-scale';

/** How an axis maps data to pixels. */
export type AxisScale = 'linear' | 'log';

/** A resolved axis: domain, ticks with labels, and a data → pixel map. */
export interface Axis {
  readonly scale: AxisScale;
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly labels: readonly string[];
  /** Pixel position of `v`; NaN when `v` cannot be shown on this axis (non-finite, or ≤ 0 on log). */
  map(v: number): number;
}

/** Exact 10^k for integer k (`10 ** -3` is exact too, but the string route is exact for every k). */
function pow10(k: number): number {
  return Number(`1e${k}`);
}

/** Smallest number of decimals (≤ 12) that represents `step` exactly enough for labels. */
function decimalsFor(step: number): number {
  for (let d = 0; d <= 12; d++) {
    const m = step * pow10(d);
    if (Math.abs(m - Math.round(m)) < 1e-9 * Math.max(1, Math.abs(m))) return d;
  }
  return 12;
}

/**
 * Nice linear ticks covering [lo, hi]: d3-scale's `nice` widens the domain to multiples of the tick step
 * (1, 2 or 5 × 10^k, chosen for about `count` ticks), so the first tick is ≤ lo and the last ≥ hi.
 * Degenerate or non-finite input yields a sane default rather than NaN.
 *
 * Complexity: O(count).
 * @example linearTicks(0, 0.93) // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const n = Math.max(2, Math.floor(count));
  return scaleLinear().domain([lo, hi]).nice(n).ticks(n);
}

/** m of v = m × 10^k, 1 ≤ m < 10 (rounded: 3e-5 / 1e-5 is 2.9999999999999996). */
function mantissa(v: number): number {
  return Math.round((v / pow10(Math.floor(Math.log10(v) + 1e-12))) * 1e6) / 1e6;
}

/**
 * The log ticks of [lo, hi] (both > 0) that get a label: d3-scale's log ticks (1–9 × 10^k over a few
 * decades, thinned powers of ten over many, linear ticks over less than a decade), kept at 1, 2 and 5 ×
 * 10^k when the range spans at most two decades and at powers of ten beyond; all of d3's when that
 * leaves fewer than two.
 */
function labelledLogTicks(lo: number, hi: number): number[] {
  const all = scaleLog().domain([lo, hi]).ticks();
  const keep = Math.log10(hi / lo) <= 2 + 1e-9 ? [1, 2, 5] : [1];
  const ticks = all.filter((t) => keep.includes(mantissa(t)));
  return ticks.length >= 2 ? ticks : all;
}

/**
 * Log-10 ticks of [lo, hi] (both > 0) widened to powers of ten (d3-scale's `nice`): at 1, 2 and 5 × 10^k
 * when that spans at most two decades, at powers of ten beyond, thinned by d3 to every k-th power when
 * there are many (so the last tick may then sit below hi). Returns [1, 10] for invalid input.
 *
 * Complexity: O(number of decades).
 * @example logTicks(3, 450) // [1, 10, 100, 1000]
 * @example logTicks(1, 10) // [1, 2, 5, 10]
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi > 0) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [1, 10];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) [lo, hi] = [lo / 10, lo * 10];
  const [a, b] = scaleLog().domain([lo, hi]).nice().domain() as [number, number];
  return labelledLogTicks(a, b);
}

const MINUS = '\u2212';

/** Label for a linear tick at a given step. */
function linearLabel(v: number, step: number): string {
  const a = Math.abs(v);
  let s: string;
  if (a !== 0 && (a >= 1e6 || a < 1e-4)) s = a.toExponential().replace('e+', 'e');
  else s = a.toFixed(decimalsFor(step));
  return v < 0 && Number(s) !== 0 ? MINUS + s : s;
}

/** Label for a log tick: plain decimals for 10^-3 … 10^5, otherwise `m·e±k` style (`2e6`, `1e-5`). */
function logLabel(v: number): string {
  if (v >= 1e-3 && v < 1e6) return String(v);
  return v.toExponential().replace('e+', 'e').replace('-', MINUS);
}

/** Finite data extent of several arrays, optionally positive values only; null when there is none. O(total length). */
export function extent(arrays: readonly ArrayLike<number>[], positiveOnly: boolean): [number, number] | null {
  let lo = Infinity,
    hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Build an axis for pixel range [p0, p1] (p1 < p0 for a y axis) on a d3-scale linear or log scale. With
 * `fixed` the domain is used as given (ticks outside it are dropped); otherwise a linear axis is the
 * data extent widened to nice ticks, a log axis the data extent plus a 4% margin (in log space).
 */
export function makeAxis(
  scale: AxisScale,
  data: [number, number] | null,
  fixed: readonly [number, number] | undefined,
  p0: number,
  p1: number,
  tickCount: number,
): Axis {
  let lo: number, hi: number, ticks: number[];
  if (scale === 'log') {
    if (fixed !== undefined) {
      [lo, hi] = [Math.min(fixed[0], fixed[1]), Math.max(fixed[0], fixed[1])];
    } else if (data !== null && data[1] > data[0]) {
      // data extent plus a 4% margin each side (in log space), like matplotlib's autoscale
      const pad = 0.04 * Math.log10(data[1] / data[0]);
      lo = data[0] / 10 ** pad;
      hi = data[1] * 10 ** pad;
    } else {
      const c = data?.[0] ?? 1;
      lo = pow10(Math.floor(Math.log10(c) + 1e-12));
      hi = lo * 10;
    }
    ticks = labelledLogTicks(lo, hi);
  } else {
    const raw = fixed ?? data ?? [0, 1];
    ticks = linearTicks(raw[0], raw[1], tickCount);
    if (fixed !== undefined) {
      [lo, hi] = [Math.min(fixed[0], fixed[1]), Math.max(fixed[0], fixed[1])];
      const eps = (hi - lo) * 1e-9;
      ticks = ticks.filter((t) => t >= lo - eps && t <= hi + eps);
    } else {
      lo = ticks[0]!;
      hi = ticks[ticks.length - 1]!;
    }
  }
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : 1;
  const labels = ticks.map((t) => (scale === 'log' ? logLabel(t) : linearLabel(t, step)));
  const log = scale === 'log';
  const d3 = (log ? scaleLog() : scaleLinear()).domain([lo, hi]).range([p0, p1]);
  const map = (v: number): number => (!Number.isFinite(v) || (log && v <= 0) ? NaN : d3(v));
  return { scale, domain: [lo, hi], ticks, labels, map };
}
