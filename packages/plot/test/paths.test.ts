/** Path building on d3-shape, against a direct reference: sub-paths = runs of ≥ 2 drawable points. */
import { bandPath, linePath } from '../src/paths';

/** Deterministic pseudo-random numbers (this package has no dependencies to draw from). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Runs of consecutive indices where `ok(i)` holds, of length ≥ 2. */
function runs(n: number, ok: (i: number) => boolean): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  for (let i = 0; i <= n; i++) {
    if (i < n && ok(i)) cur.push(i);
    else {
      if (cur.length >= 2) out.push(cur);
      cur = [];
    }
  }
  return out;
}

/** `d` → sub-paths → points [x, y]. */
function parse(d: string): number[][][] {
  return d
    .split('M')
    .filter((s) => s !== '')
    .map((sub) =>
      sub
        .replace(/Z$/, '')
        .split('L')
        .map((p) => p.split(',').map(Number)),
    );
}

const r2 = (v: number): number => Math.round(v * 100) / 100;

describe('linePath and bandPath', () => {
  it('break at undrawable points, skip lone points, and round to 2 decimals (300 random series)', () => {
    const rnd = lcg(7);
    for (let rep = 0; rep < 300; rep++) {
      const n = Math.floor(rnd() * 12);
      const val = (): number =>
        rnd() < 0.2 ? [NaN, Infinity, -Infinity][Math.floor(rnd() * 3)]! : rnd() * 500 - 50;
      const xs = Array.from({ length: n }, val);
      const ys = Array.from({ length: n }, val);
      const lo = Array.from({ length: n }, val);
      const hi = Array.from({ length: n }, val);
      const x = (i: number): number => xs[i]!;
      const line = parse(linePath(n, x, (i) => ys[i]!));
      const lineRuns = runs(n, (i) => Number.isFinite(xs[i]! + ys[i]!));
      expect(line).toHaveLength(lineRuns.length);
      lineRuns.forEach((run, k) => {
        expect(line[k]).toEqual(run.map((i) => [r2(xs[i]!), r2(ys[i]!)]));
      });
      const band = parse(
        bandPath(
          n,
          x,
          (i) => lo[i]!,
          (i) => hi[i]!,
        ),
      );
      const bandRuns = runs(n, (i) => Number.isFinite(xs[i]! + lo[i]! + hi[i]!));
      expect(band).toHaveLength(bandRuns.length);
      bandRuns.forEach((run, k) => {
        const top = run.map((i) => [r2(xs[i]!), r2(hi[i]!)]);
        const bottom = [...run].reverse().map((i) => [r2(xs[i]!), r2(lo[i]!)]);
        expect(band[k]).toEqual([...top, ...bottom]);
      });
    }
  });

  it('give "" when nothing can be drawn', () => {
    expect(
      linePath(
        0,
        () => 0,
        () => 0,
      ),
    ).toBe('');
    expect(
      linePath(
        3,
        (i) => (i === 1 ? 1 : NaN),
        () => 2,
      ),
    ).toBe('');
    expect(
      bandPath(
        1,
        () => 1,
        () => 2,
        () => 3,
      ),
    ).toBe('');
  });
});
