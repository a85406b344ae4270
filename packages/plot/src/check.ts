/**
 * Spec validation of the charts, with native TypeError / RangeError naming the field (this package
 * has no error class of its own: it is used in browsers and by every other package).
 */
import type { AxisScale } from './scale';
import type { AxesSpec, PointSeries } from './frame';

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

/** Validate the fields every series has (`PointSeries`). */
export function checkPointSeries(s: PointSeries, field: string): void {
  if (typeof s !== 'object' || s === null) throw new TypeError(`${field} must be an object`);
  if (typeof s.name !== 'string') throw new TypeError(`${field}.name must be a string, got ${typeof s.name}`);
  checkArray(s.x, `${field}.x`);
  checkArray(s.y, `${field}.y`, s.x.length);
  checkString(s.color, `${field}.color`);
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
