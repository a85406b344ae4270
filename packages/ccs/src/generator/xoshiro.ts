import { MechlabError, hashKeys } from '@mechlab/core';
import type { CcsDistribution } from './distribution';
import { TWO_POW_M53 } from './skip-table';

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { log1p } = Math;

/**
 * xoshiro128** on plain fields, seeded exactly like `Rng` (its state is `hashKeys(path)`), so a fresh
 * `Xoshiro(path)` yields the same numbers as `Rng.fromPath(path)` — without `Rng`'s method dispatch
 * in the generator's hot loop.
 */
export class Xoshiro {
  s0: number;
  s1: number;
  s2: number;
  s3: number;
  constructor(path: readonly (string | number)[]) {
    const s = hashKeys(path);
    this.s0 = s[0]!;
    this.s1 = s[1]!;
    this.s2 = s[2]!;
    this.s3 = s[3]!;
  }
  u32(): number {
    const s0 = this.s0,
      s1 = this.s1;
    const r = imul(rotl32(imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = rotl32(s3, 11);
    return r;
  }
  next(): number {
    const hi = this.u32() >>> 5;
    const lo = this.u32() >>> 6;
    return (hi * 67108864 + lo) * TWO_POW_M53;
  }
}

const imul = Math.imul;
function rotl32(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** `sampleDistribution` for the built-in kinds, on a {@link Xoshiro} (same expression, same draws). */
export function sampleFast(d: CcsDistribution, x: Xoshiro): number {
  switch (d.kind) {
    case 'uniform':
      return d.min + (d.max - d.min) * x.next();
    case 'constant':
      return d.value;
    case 'exponential':
      return -log1p(-x.next()) / (1 / d.mean);
    case 'custom':
      throw new MechlabError('ERR_INVALID_INPUT', 'custom distributions take the reference path', 'kind');
  }
}
