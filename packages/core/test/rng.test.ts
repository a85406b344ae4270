import { Rng, hashKeys } from '@mechlab/core';

describe('Rng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = Rng.seed(42),
      b = Rng.seed(42),
      c = Rng.seed(43);
    const xa = Array.from({ length: 5 }, () => a.nextUint32());
    const xb = Array.from({ length: 5 }, () => b.nextUint32());
    const xc = Array.from({ length: 5 }, () => c.nextUint32());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('split is pure in the key path, independent of draws from the parent', () => {
    const a = Rng.seed(7);
    const before = a.split('x', 3).next();
    for (let i = 0; i < 100; i++) a.next();
    expect(a.split('x', 3).next()).toBe(before);
    expect(Rng.fromPath([7, 'x', 3]).next()).toBe(before);
    expect(a.split('x', 4).next()).not.toBe(before);
  });

  it('keys are typed: "1" and 1 name different streams', () => {
    expect(Array.from(hashKeys(['1']))).not.toEqual(Array.from(hashKeys([1])));
    expect(Array.from(hashKeys([1, 2]))).not.toEqual(Array.from(hashKeys([12])));
  });

  it('next() is uniform on [0,1): mean and variance within 5σ', () => {
    const r = Rng.seed('uniform');
    const N = 200_000;
    let s = 0,
      s2 = 0,
      outside = 0;
    for (let i = 0; i < N; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) outside++;
      s += x;
      s2 += x * x;
    }
    const m = s / N;
    expect(outside).toBe(0);
    expect(Math.abs(m - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(s2 / N - m * m - 1 / 12)).toBeLessThan(0.002);
  });

  it('int(n) is unbiased over small n and rejects bad n', () => {
    const r = Rng.seed(1);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.int(2.5)).toThrow(RangeError);
  });

  it('normal() has mean 0 and sd 1', () => {
    const r = Rng.seed(3);
    const N = 100_000;
    let s = 0,
      s2 = 0;
    for (let i = 0; i < N; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / N)).toBeLessThan(0.02);
    expect(Math.abs(s2 / N - 1)).toBeLessThan(0.02);
  });

  it('permutation is a permutation', () => {
    const p = Rng.seed(5).permutation(100);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
