/** Validation of a `nash-instance` (FORMATS.md) for `solveNash` and `solveNashBruteForce`. */
import { parseNashInstance } from '@mechlab/core';
import type { NashInstanceInput } from './nash-types';

/** A typed array read as a plain array, so core's `nash-instance` schema checks every entry. */
function plain(a: unknown): unknown {
  return ArrayBuffer.isView(a) && !(a instanceof DataView)
    ? Array.from(a as unknown as ArrayLike<unknown>)
    : a;
}

/**
 * Check `instance` once with core's `nash-instance` schema (and its converter), `uG`/`uF` also as
 * typed arrays (the `ArrayLike` API input), and return typed copies of uG, uF and k. O(n).
 */
export function validateInstance(instance: NashInstanceInput): {
  uG: Float64Array;
  uF: Float64Array;
  k: number;
} {
  const v: unknown = instance;
  const doc = parseNashInstance(
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? { ...v, uG: plain(instance.uG), uF: plain(instance.uF) }
      : v,
  );
  return { uG: Float64Array.from(doc.uG), uF: Float64Array.from(doc.uF), k: doc.k };
}
