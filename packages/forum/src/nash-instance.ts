/** Validation of a `nash-instance` (FORMATS.md) for `solveNash` and `solveNashBruteForce`. */
import { parseNashInstance, rangeError, typeError } from '@mechlab/core';
import type { NashInstanceInput } from './nash-types';

/** Check `instance` and return typed copies of uG, uF and k. O(n). */
export function validateInstance(instance: NashInstanceInput): {
  uG: Float64Array;
  uF: Float64Array;
  k: number;
} {
  if (instance === null || typeof instance !== 'object') throw typeError('instance', 'an object', instance);
  if (Array.isArray(instance.uG) && Array.isArray(instance.uF)) {
    const doc = parseNashInstance(instance);
    return { uG: Float64Array.from(doc.uG), uF: Float64Array.from(doc.uF), k: doc.k };
  }
  const out = { uG: new Float64Array(0), uF: new Float64Array(0) };
  for (const key of ['uG', 'uF'] as const) {
    const a = instance[key];
    if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
      throw typeError(`instance.${key}`, 'an array of numbers', a);
    }
    if (a.length < 1) throw rangeError(`instance.${key}`, 'non-empty', a);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v !== 'number' || Number.isNaN(v)) throw typeError(`instance.${key}[${i}]`, 'a number', v);
      if (!(v >= 0) || v === Infinity) throw rangeError(`instance.${key}[${i}]`, '≥ 0 and finite', v);
    }
    out[key] = Float64Array.from(a);
  }
  if (out.uF.length !== out.uG.length) {
    throw rangeError('instance.uF', `the same length as uG (${out.uG.length})`, instance.uF);
  }
  const k = instance.k;
  if (typeof k !== 'number' || !Number.isInteger(k)) throw typeError('instance.k', 'an integer', k);
  if (k < 1 || k > out.uG.length) throw rangeError('instance.k', `in [1, ${out.uG.length}]`, k);
  return { uG: out.uG, uF: out.uF, k };
}
