/**
 * Axis scales and "nice" ticks. Linear ticks use Heckbert's nice-number rule (Graphics Gems I, 1990:
 * steps of 1, 2 or 5 × 10^k); log ticks sit on powers of ten (plus 2× and 5× when the axis spans at
 * most two decades).
 */

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

/** Heckbert's nice number: 1, 2, 5 or 10 × 10^k closest to `range`. */
function niceNum(range: number): number {
  const exp = Math.floor(Math.log10(range));
  const f = range / pow10(exp);
  const nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nf * pow10(exp);
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
 * Nice linear ticks covering [lo, hi]: the first tick is ≤ lo and the last ≥ hi, with roughly `count`
 * ticks at a step of 1, 2 or 5 × 10^k (Heckbert 1990). Degenerate or non-finite input yields a sane
 * default rather than NaN.
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
  const step = niceNum((hi - lo) / (n - 1));
  const d = decimalsFor(step);
  const i0 = Math.floor(lo / step + 1e-9);
  const i1 = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = i0; i <= i1; i++) {
    const t = Number((i * step).toFixed(d));
    ticks.push(t === 0 ? 0 : t);
  }
  return ticks;
}

/**
 * Log-10 ticks covering [lo, hi] (both > 0): powers of ten from 10^⌊log lo⌋ to 10^⌈log hi⌉, adding
 * 2× and 5× multiples when that spans at most two decades and thinning to every k-th power when it
 * spans more than eight. Returns [1, 10] for invalid input.
 *
 * Complexity: O(number of decades).
 * @example logTicks(3, 450) // [1, 10, 100, 1000]
 * @example logTicks(1, 10) // [1, 2, 5, 10]
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi > 0) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [1, 10];
  if (hi < lo) [lo, hi] = [hi, lo];
  const e0 = Math.floor(Math.log10(lo) + 1e-12);
  let e1 = Math.ceil(Math.log10(hi) - 1e-12);
  if (e1 <= e0) e1 = e0 + 1;
  const decades = e1 - e0;
  const ticks: number[] = [];
  if (decades <= 2) {
    for (let e = e0; e < e1; e++) for (const m of [1, 2, 5]) ticks.push(Number(`${m}e${e}`));
    ticks.push(pow10(e1));
    return ticks;
  }
  const every = decades > 8 ? Math.ceil(decades / 8) : 1;
  for (let e = e0; e <= e1; e += every) ticks.push(pow10(e));
  if (ticks[ticks.length - 1]! < pow10(e1)) ticks.push(pow10(e0 + Math.ceil(decades / every) * every));
  return ticks;
}

/** 1, 2, 5 × 10^k ticks over [lo, hi] whatever the number of decades (a fallback for short log ranges). */
function fineLogTicks(lo: number, hi: number): number[] {
  const e0 = Math.floor(Math.log10(lo) + 1e-12);
  const e1 = Math.ceil(Math.log10(hi) - 1e-12);
  const out: number[] = [];
  for (let e = e0; e <= e1; e++) for (const m of [1, 2, 5]) out.push(Number(`${m}e${e}`));
  return out;
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
 * Build an axis for pixel range [p0, p1] (p1 < p0 for a y axis). With `fixed` the domain is used as
 * given (ticks outside it are dropped); otherwise it is the data extent widened to nice ticks.
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
    ticks = logTicks(lo, hi);
    const eps = (Math.log10(hi) - Math.log10(lo)) * 1e-9;
    const inside = (t: number): boolean =>
      Math.log10(t) >= Math.log10(lo) - eps && Math.log10(t) <= Math.log10(hi) + eps;
    if (ticks.filter(inside).length < 2) ticks = fineLogTicks(lo, hi);
    if (ticks.filter(inside).length < 2) {
      lo = pow10(Math.floor(Math.log10(lo) + 1e-12));
      hi = pow10(Math.ceil(Math.log10(hi) - 1e-12));
      ticks = fineLogTicks(lo, hi);
    }
    ticks = ticks.filter(
      (t) => Math.log10(t) >= Math.log10(lo) - eps && Math.log10(t) <= Math.log10(hi) + eps,
    );
  } else {
    const raw = fixed ?? data ?? [0, 1];
    ticks = linearTicks(raw[0], raw[1], tickCount);
    if (fixed !== undefined) {
      [lo, hi] = [Math.min(fixed[0], fixed[1]), Math.max(fixed[0], fixed[1])];
    } else {
      lo = ticks[0]!;
      hi = ticks[ticks.length - 1]!;
    }
  }
  if (fixed !== undefined && scale === 'linear') {
    const eps = (hi - lo) * 1e-9;
    ticks = ticks.filter((t) => t >= lo - eps && t <= hi + eps);
  }
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : 1;
  const labels = ticks.map((t) => (scale === 'log' ? logLabel(t) : linearLabel(t, step)));
  const log = scale === 'log';
  const a = log ? Math.log10(lo) : lo;
  const b = log ? Math.log10(hi) : hi;
  const span = b - a;
  const map = (v: number): number => {
    if (!Number.isFinite(v) || (log && v <= 0)) return NaN;
    const t = ((log ? Math.log10(v) : v) - a) / span;
    return p0 + t * (p1 - p0);
  };
  return { scale, domain: [lo, hi], ticks, labels, map };
}
