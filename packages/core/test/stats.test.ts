import fc from 'fast-check';
import { RunningStats, describe as summarize, median, spearman } from '@mechlab/core';
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

  it('median: middle value, mean of the two middle values for an even count, NaN when empty', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median(Float64Array.of(10, -1))).toBe(4.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
    const xs = [5, 3, 9, 1];
    median(xs);
    expect(xs).toEqual([5, 3, 9, 1]); // not sorted in place
    // Against its definition: no more than half the values on either side, and the sorted formula.
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), { minLength: 1 }), (v) => {
        const m = median(v);
        const below = v.filter((x) => x < m).length;
        const above = v.filter((x) => x > m).length;
        const s = [...v].sort((a, b) => a - b);
        const h = s.length >> 1;
        const want = s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
        return below <= v.length / 2 && above <= v.length / 2 && (m === want || Object.is(m, want));
      }),
      { seed: 14, numRuns: 300 },
    );
  });
});
