/**
 * Nash-product kernels (MODELS.md §2): the WebAssembly kernels equal their TS reference twins bit for
 * bit on thousands of seeded instances, and both satisfy the mathematical guarantees against brute force
 * (the DP's (1 − ε) guarantee and upper bound, the λ-sweep's supporting lines, swap local optimality).
 */
import { MechlabError, Rng } from '@mechlab/core';
import {
  lambdaSweepTopK,
  nashCardinalityDp,
  nashKernels,
  planNashDp,
  swapLocalSearch,
  topKTs,
} from '@mechlab/kernels';

const { floor } = Math;

function instance(r: Rng, maxN = 40): { g: Float64Array; f: Float64Array; k: number } {
  const n = 1 + r.int(maxN);
  const ties = r.next() < 0.3;
  const g = Float64Array.from({ length: n }, () => (ties ? r.int(4) : r.exponential(1)));
  const f = Float64Array.from({ length: n }, () => (ties ? r.int(3) : r.exponential(1) * r.next()));
  if (r.next() < 0.1) f.fill(0, 0, floor(n / 2));
  return { g, f, k: 1 + r.int(n) };
}

function brute(g: Float64Array, f: Float64Array, k: number): { product: number; all: [number, number][] } {
  const n = g.length;
  const idx = Array.from({ length: k }, (_, i) => i);
  let best = -1;
  const all: [number, number][] = [];
  for (;;) {
    let sg = 0;
    let sf = 0;
    for (const i of idx) {
      sg += g[i]!;
      sf += f[i]!;
    }
    all.push([sg, sf]);
    best = Math.max(best, sg * sf);
    let p = k - 1;
    while (p >= 0 && idx[p] === n - k + p) p--;
    if (p < 0) break;
    idx[p]!++;
    for (let q = p + 1; q < k; q++) idx[q] = idx[q - 1]! + 1;
  }
  return { product: best, all };
}

const ts = nashKernels('ts');
const wasm = nashKernels('wasm');

describe('Nash-product kernels: wasm = ts reference', () => {
  it('top-k equals a sort-based oracle on 1000 seeded instances (ties to the smaller index)', () => {
    const rng = Rng.seed('kernels/nash-topk');
    for (let rep = 0; rep < 1000; rep++) {
      const r = rng.split(rep);
      const n = 1 + r.int(200);
      const score = Float64Array.from({ length: n }, () => (r.next() < 0.5 ? r.int(5) : r.next()));
      const pool = Int32Array.from({ length: n }, (_, i) => i).filter(() => r.next() < 0.8);
      if (pool.length === 0) continue;
      const k = 1 + r.int(pool.length);
      const oracle = Array.from(pool)
        .sort((a, b) => score[b]! - score[a]! || a - b)
        .slice(0, k)
        .sort((a, b) => a - b);
      expect(Array.from(ts.topK(score, pool, k))).toEqual(oracle);
      expect(Array.from(wasm.topK(score, pool, k))).toEqual(oracle);
    }
  });

  it('λ-sweep: identical on 800 seeded instances; every k-set lies under every supporting line', () => {
    const rng = Rng.seed('kernels/nash-sweep');
    for (let rep = 0; rep < 800; rep++) {
      const r = rng.split(rep);
      const { g, f, k } = instance(r, rep < 200 ? 12 : 200);
      const lambdas = Float64Array.from({ length: 1 + r.int(25) }, (_, l) =>
        l === 0 ? 0 : r.next() < 0.2 ? 1 : r.next(),
      );
      const pool = Int32Array.from({ length: g.length }, (_, i) => i);
      const a = wasm.lambdaSweep(g, f, pool, k, lambdas);
      const b = ts.lambdaSweep(g, f, pool, k, lambdas);
      expect(a).toEqual(b);
      for (let l = 0; l < lambdas.length; l++) expect(Object.is(a.h[l], b.h[l])).toBe(true);
      if (rep < 200) {
        const { all } = brute(g, f, k);
        let violations = 0;
        for (let l = 0; l < lambdas.length; l++) {
          const lam = lambdas[l]!;
          const bound = a.h[l]! * (1 + 1e-12) + 1e-12;
          for (const [sg, sf] of all) if ((lam * sg) / a.G + ((1 - lam) * sf) / a.F > bound) violations++;
        }
        expect(violations).toBe(0);
      }
    }
  });

  it('swap local search: identical on 800 seeded instances, and locally optimal', () => {
    const rng = Rng.seed('kernels/nash-swap');
    for (let rep = 0; rep < 800; rep++) {
      const r = rng.split(rep);
      const { g, f, k } = instance(r, 150);
      const start = r.permutation(g.length).slice(0, k);
      const maxPasses = r.next() < 0.2 ? 1 : 100;
      const a = swapLocalSearch(g, f, start, { backend: 'wasm', maxPasses });
      const b = swapLocalSearch(g, f, start, { backend: 'ts', maxPasses });
      expect({ ...a, backend: '' }).toEqual({ ...b, backend: '' });
      if (a.passes < maxPasses) {
        const inSet = new Set(a.selected);
        let better = 0;
        for (const i of a.selected) {
          for (let j = 0; j < g.length; j++) {
            if (inSet.has(j)) continue;
            const v = (a.uG - g[i]! + g[j]!) * (a.uF - f[i]! + f[j]!);
            if (v > a.product * (1 + 1e-9) + 1e-12) better++;
          }
        }
        expect(better).toBe(0);
      }
    }
  });

  it('cardinality DP: identical raw tables on 600 seeded instances', () => {
    const rng = Rng.seed('kernels/nash-dp');
    for (let rep = 0; rep < 600; rep++) {
      const r = rng.split(rep);
      const { g, f, k } = instance(r, 60);
      const pool = Int32Array.from({ length: g.length }, (_, i) => i);
      const F = f.reduce((s, v) => s + v, 0);
      if (!(F > 0)) continue;
      const delta = (F / k) * [0.3, 0.05, 0.01][r.int(3)]!;
      const B = floor((F * (1 + 1e-9)) / delta);
      const plan = planNashDp(g, f, pool, k, delta, B, F);
      const a = wasm.dp(plan);
      const b = ts.dp(plan);
      expect(a).toEqual(b);
      expect(Object.is(a.upper, b.upper) && Object.is(a.dpValue, b.dpValue)).toBe(true);
    }
  });

  it('cardinality DP: (1 − ε)·OPT ≤ product ≤ OPT ≤ upper bound against brute force (300 instances)', () => {
    const rng = Rng.seed('kernels/nash-dp-brute');
    for (let rep = 0; rep < 300; rep++) {
      const r = rng.split(rep);
      const { g, f, k } = instance(r, 14);
      const eps = [0.3, 0.1, 0.02][r.int(3)]!;
      const opt = brute(g, f, k).product;
      for (const backend of ['ts', 'wasm'] as const) {
        const s = nashCardinalityDp(g, f, k, { epsilon: eps, backend });
        expect(s.backend).toBe(backend);
        expect(s.selected).toHaveLength(k);
        expect(s.product).toBeGreaterThanOrEqual((1 - eps) * opt - 1e-12);
        expect(s.product).toBeLessThanOrEqual(opt * (1 + 1e-12) + 1e-15);
        expect(s.upperBound).toBeGreaterThanOrEqual(opt * (1 - 1e-12) - 1e-15);
      }
      const a = nashCardinalityDp(g, f, k, { epsilon: eps, backend: 'wasm' });
      const b = nashCardinalityDp(g, f, k, { epsilon: eps, backend: 'ts' });
      expect({ ...a, backend: '' }).toEqual({ ...b, backend: '' });
    }
  });

  it('pools restrict every kernel to their items', () => {
    const r = Rng.seed('kernels/nash-pool');
    const g = Float64Array.from({ length: 30 }, () => r.next());
    const f = Float64Array.from({ length: 30 }, () => r.next());
    const pool = [29, 3, 17, 8, 11, 25, 4];
    const allowed = new Set(pool);
    const sweep = lambdaSweepTopK(g, f, 3, [0, 0.5, 1], { pool });
    const swap = swapLocalSearch(g, f, [3, 17, 8], { pool });
    const dp = nashCardinalityDp(g, f, 3, { pool, epsilon: 0.05 });
    for (const sel of [sweep.best.selected, swap.selected, dp.selected]) {
      for (const i of sel) expect(allowed.has(i)).toBe(true);
    }
    expect(Array.from(topKTs(g, Int32Array.from(pool), 2))).toEqual(
      pool
        .sort((a, b) => g[b]! - g[a]!)
        .slice(0, 2)
        .sort((a, b) => a - b),
    );
  });

  it('documented example', () => {
    const s = lambdaSweepTopK([3.1, 2.0, 5.2], [0.1, 0.9, 0.05], 2, [0, 0.5, 1]);
    expect(s.backend).toBe('wasm');
    expect(Array.from(s.best.selected)).toEqual([1, 2]);
    expect(s.best.lambda).toBe(0.5);
    expect(s.best.product).toBeCloseTo(7.2 * 0.95, 12);
    expect(Array.from(swapLocalSearch([3.1, 2.0, 5.2], [0.1, 0.9, 0.05], [0, 2]).selected)).toEqual([1, 2]);
    expect(Array.from(nashCardinalityDp([3.1, 2.0, 5.2], [0.1, 0.9, 0.05], 2).selected)).toEqual([1, 2]);
  });

  it('validates its input and names the field', () => {
    const cases: [() => unknown, string, string][] = [
      [
        () => lambdaSweepTopK([1, -1], [1, 1], 1, [0.5]),
        'ERR_OUT_OF_RANGE',
        'uG[1] must be ≥ 0 and finite, got -1',
      ],
      [
        () => lambdaSweepTopK([1, 1], [1], 1, [0.5]),
        'ERR_OUT_OF_RANGE',
        'uF must be the same length as uG (2), got an array of length 1',
      ],
      [
        () => lambdaSweepTopK([1, 1], [1, 1], 3, [0.5]),
        'ERR_OUT_OF_RANGE',
        'k must be in [1, 2] (the pool size), got 3',
      ],
      [
        () => lambdaSweepTopK([1, 1], [1, 1], 1, [1.5]),
        'ERR_OUT_OF_RANGE',
        'lambdas[0] must be in [0, 1], got 1.5',
      ],
      [
        () => lambdaSweepTopK([1, 1], [1, 1], 1, [0], { pool: [0, 0] }),
        'ERR_OUT_OF_RANGE',
        'pool[1] must be a distinct integer index in [0, 1], got 0',
      ],
      [
        () => swapLocalSearch([1, 1], [1, 1], [0, 0]),
        'ERR_OUT_OF_RANGE',
        'start[1] must be a distinct index of the pool, got 0',
      ],
      [
        () => nashCardinalityDp([1, 1], [1, 1], 1, { epsilon: 2 }),
        'ERR_OUT_OF_RANGE',
        'epsilon must be in (0, 1), got 2',
      ],
      [
        () => nashCardinalityDp([1, 1], [1, 1], 1, { backend: 'gpu' as 'ts' }),
        'ERR_INVALID_TYPE',
        'backend must be "ts" or "wasm", got "gpu"',
      ],
    ];
    for (const [fn, code, msg] of cases) {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MechlabError);
      expect((err as MechlabError).code).toBe(code);
      expect((err as MechlabError).message).toBe(msg);
    }
    expect(() =>
      nashCardinalityDp(
        Float64Array.from({ length: 300 }, (_, i) => i + 1),
        new Float64Array(300).fill(1),
        150,
        { delta: 1e-6 },
      ),
    ).toThrow(/raise epsilon/);
  });
});
