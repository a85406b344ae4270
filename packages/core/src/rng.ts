/**
 * Seeded, splittable pseudo-random numbers (MODELS.md §6). Every random draw in mechlab flows from an
 * `Rng`; the global unseeded generator is banned by lint.
 *
 * Generator: xoshiro128** (Blackman & Vigna) — 128-bit state in four uint32 words, fast in pure 32-bit
 * JS arithmetic, period 2^128 − 1. Seeding and splitting use cyrb128-style string hashing followed by
 * SplitMix32 finalisation, so a child stream is a pure function of (root seed, path of keys): it does not
 * depend on how many numbers the parent has drawn. That is what makes sweeps identical whatever the
 * number of workers, shards or machines.
 */

/** Anything that may name a stream: the master seed, an experiment name, a point index, a replicate. */
export type SeedKey = string | number;

/** Hash an ordered list of keys to four uint32 words (never all zero). */
export function hashKeys(keys: readonly SeedKey[]): Uint32Array {
  // Keys are typed ('n' vs 's') and length-prefixed so ['1', 2] and [12] and ['12'] all differ.
  let text = '';
  for (const k of keys) {
    const s = typeof k === 'number' ? 'n' + numberKey(k) : 's' + k;
    text += s.length + ':' + s + '|';
  }
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ c, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ c, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ c, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ c, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  const out = new Uint32Array([splitMix32(h1), splitMix32(h2), splitMix32(h3), splitMix32(h4)]);
  if ((out[0]! | out[1]! | out[2]! | out[3]!) === 0) out[0] = 0x9e3779b9;
  return out;
}

function numberKey(k: number): string {
  if (!Number.isFinite(k)) throw new RangeError(`seed key must be a finite number, got ${k}`);
  return Number.isInteger(k) ? k.toString(10) : k.toString(36);
}

function splitMix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

// Aliased once: a global `Math.imul` lookup per call is ~70× slower inside jest's vm sandbox (measured).
const imul = Math.imul;
const TWO_POW_32 = 4294967296;
const TWO_POW_M53 = 1 / 9007199254740992;

export class Rng {
  /** The key path this stream was created from; `split` appends to it. */
  readonly path: readonly SeedKey[];
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = NaN;

  private constructor(path: readonly SeedKey[]) {
    this.path = path;
    const s = hashKeys(path);
    this.s0 = s[0]!;
    this.s1 = s[1]!;
    this.s2 = s[2]!;
    this.s3 = s[3]!;
  }

  /**
   * A root stream from a seed (number or string). Same seed ⇒ same sequence, on every platform.
   * @example Rng.seed(42).next() // always the same float in [0, 1)
   */
  static seed(seed: SeedKey): Rng {
    return new Rng([seed]);
  }

  /** A root stream from a key path, e.g. `Rng.fromPath([masterSeed, 'ccs.random-graph', point, rep])`. */
  static fromPath(path: readonly SeedKey[]): Rng {
    if (path.length === 0) throw new RangeError('seed path must have at least one key');
    return new Rng([...path]);
  }

  /**
   * An independent child stream named by `keys`. Pure in (this.path, keys): it does not consume from
   * or depend on the state of this stream.
   */
  split(...keys: SeedKey[]): Rng {
    return new Rng([...this.path, ...keys]);
  }

  /** Next uint32 (xoshiro128**). */
  nextUint32(): number {
    const s0 = this.s0,
      s1 = this.s1,
      s2 = this.s2,
      s3 = this.s3;
    const r = imul(rotl(imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 = s2 ^ s0;
    this.s3 = s3 ^ s1;
    this.s1 = s1 ^ this.s2;
    this.s0 = s0 ^ this.s3;
    this.s2 = this.s2 ^ t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_M53;
  }

  /** Uniform float in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** Uniform integer in [0, n) without modulo bias (n ≤ 2^32). */
  int(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32 && Number.isInteger(n))) {
      throw new RangeError(`int(n): n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** true with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Marsaglia polar method, caches the spare). */
  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = NaN;
      return mean + sd * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + sd * u * f;
  }

  /** Exponential with the given rate. */
  exponential(rate = 1): number {
    return -Math.log1p(-this.next()) / rate;
  }

  /** Geometric: number of failures before the first success, success prob p ∈ (0, 1]. */
  geometric(p: number): number {
    if (p >= 1) return 0;
    return Math.floor(Math.log1p(-this.next()) / Math.log1p(-p));
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(a: T[] | Int32Array | Float64Array | Uint32Array): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
