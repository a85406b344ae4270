import { RunningStats, describe as summarize, spearman } from '@mechlab/core';
import { ranks, sum } from '../src/stats';

describe('stats', () => {
  it('RunningStats matches the two-pass formulas and merges like one pass', () => {
    const xs = [1, 2, 3, 4, 100, -5, 0.5];
    const s = summarize(xs);
    const m = xs.reduce((a, b) => a + b) / xs.length;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
    expect(s.mean).toBeCloseTo(m, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(v), 12);
    expect(s.hi3 - s.mean).toBeCloseTo(3 * s.std, 12);
    const a = new RunningStats(),
      b = new RunningStats();
    xs.slice(0, 3).forEach((x) => a.push(x));
    xs.slice(3).forEach((x) => b.push(x));
    a.merge(b);
    expect(a.mean).toBeCloseTo(m, 12);
    expect(a.std).toBeCloseTo(Math.sqrt(v), 12);
    expect(a.n).toBe(xs.length);
  });

  it('ranks average ties; spearman is ±1 on monotone data', () => {
    expect(Array.from(ranks([10, 20, 20, 30]))).toEqual([1, 2.5, 2.5, 4]);
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 16])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('compensated sum survives cancellation', () => {
    expect(sum([1e16, 1, -1e16])).toBe(1);
  });
});
