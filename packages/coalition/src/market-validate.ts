/** Field validators of `createMarket` (messages name the field, STYLE.md §8). */
import { rangeError, typeError } from '@mechlab/core';

export function finiteAtLeast(field: string, x: unknown, min: number): number {
  if (typeof x !== 'number') throw typeError(field, 'a number', x);
  if (!Number.isFinite(x) || x < min) throw rangeError(field, `a finite number ≥ ${min}`, x);
  return x;
}

export function inUnit(field: string, x: unknown): number {
  if (typeof x !== 'number') throw typeError(field, 'a number', x);
  if (!(x >= 0 && x <= 1)) throw rangeError(field, 'in [0, 1]', x);
  return x;
}

export function vector(field: string, x: unknown, len: number, min: number): Float64Array {
  const out = new Float64Array(len);
  if (typeof x === 'number') {
    out.fill(finiteAtLeast(field, x, min));
    return out;
  }
  if (!Array.isArray(x)) throw typeError(field, 'a number or an array', x);
  if (x.length !== len) throw rangeError(`${field}.length`, `${len}`, x.length);
  for (let k = 0; k < len; k++) out[k] = finiteAtLeast(`${field}[${k}]`, x[k], min);
  return out;
}

export function matrix(field: string, x: unknown, rows: number, cols: number, min: number): Float64Array {
  const out = new Float64Array(rows * cols);
  if (typeof x === 'number') {
    out.fill(finiteAtLeast(field, x, min));
    return out;
  }
  if (!Array.isArray(x)) throw typeError(field, 'a number or an array of arrays', x);
  if (x.length !== rows) throw rangeError(`${field}.length`, `${rows}`, x.length);
  for (let i = 0; i < rows; i++) {
    const row: unknown = x[i];
    if (!Array.isArray(row)) throw typeError(`${field}[${i}]`, 'an array', row);
    if (row.length !== cols) throw rangeError(`${field}[${i}].length`, `${cols}`, row.length);
    for (let j = 0; j < cols; j++) out[i * cols + j] = finiteAtLeast(`${field}[${i}][${j}]`, row[j], min);
  }
  return out;
}
