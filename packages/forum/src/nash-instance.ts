/** Validation of a `nash-instance` (FORMATS.md) for `solveNash` and `solveNashBruteForce`. */
import { z } from 'zod';
import { nashInstanceSchema, parseWithSchema } from '@mechlab/core';
import type { NashInstanceInput } from './nash-types';

/** A typed array read as a plain array, so core's `nash-instance` schema checks every entry. */
function plain(a: unknown): unknown {
  return ArrayBuffer.isView(a) && !(a instanceof DataView)
    ? Array.from(a as unknown as ArrayLike<unknown>)
    : a;
}

/** Core's `nash-instance` schema, also taking `uG`/`uF` as typed arrays (the `ArrayLike` API input). */
const nashInputSchema = z.preprocess(
  (v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? { ...v, uG: plain((v as NashInstanceInput).uG), uF: plain((v as NashInstanceInput).uF) }
      : v,
  nashInstanceSchema,
);

/** Check `instance` once (one schema, core's converter) and return typed copies of uG, uF and k. O(n). */
export function validateInstance(instance: NashInstanceInput): {
  uG: Float64Array;
  uF: Float64Array;
  k: number;
} {
  const doc = parseWithSchema(nashInputSchema, instance, 'instance');
  return { uG: Float64Array.from(doc.uG), uF: Float64Array.from(doc.uF), k: doc.k };
}
