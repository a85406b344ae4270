import fc from 'fast-check';
import { MechlabError, Rng } from '@mechlab/core';
import { solveNash } from '@mechlab/forum';
import { kDominanceFilter, topK } from '../src/nash';
import { nashDp } from '../src/nash-dp';
import { solveNashBruteForce } from '../src/nash-brute-force';
import { expectMechlabError } from '@mechlab/core/testing';

type Inst = { uG: number[]; uF: number[]; k: number };

/**
 * Small instances with zeros, ties and heavy tails. Doubles below 1e-6 become 0: the certified DP sizes
 * its buckets from the heuristic lower bound, and a product that underflows towards 1e-300 would ask for
 * astronomically many (it then throws ERR_TOO_LARGE, tested below).
 */
const instance = fc.integer({ min: 1, max: 13 }).chain((n) =>
  fc.record({
    uG: fc.array(value(), { minLength: n, maxLength: n }),
    uF: fc.array(value(), { minLength: n, maxLength: n }),
    k: fc.integer({ min: 1, max: n }),
  }),
);

function value(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 5 }),
    fc.double({ min: 0, max: 100, noNaN: true }).map((x) => (x < 1e-6 ? 0 : x)),
    fc.double({ min: -3, max: 3, noNaN: true }).map((x) => Math.exp(3 * x)),
  );
}

const sumOver = (a: number[], s: Int32Array): number => Array.from(s).reduce((t, i) => t + a[i]!, 0);

describe('solveNash against brute force', () => {
  it('solves the FORMATS.md example', () => {
    const inst = { uG: [3.1, 2.0, 5.2], uF: [0.1, 0.9, 0.05], k: 2 };
    for (const method of ['heuristics', 'certified'] as const) {
      const s = solveNash(inst, { method });
      expect(Array.from(s.selected)).toEqual([1, 2]);
      expect(s.uG).toBeCloseTo(7.2, 12);
      expect(s.uF).toBeCloseTo(0.95, 12);
      expect(s.product).toBeCloseTo(6.84, 12);
      expect(s.upperBound).toBeGreaterThanOrEqual(s.product);
      expect(s.method).toBe(method);
    }
  });

  it('heuristics never beat the optimum, bounds never fall below it, certified is within ε', () => {
    fc.assert(
      fc.property(instance, fc.constantFrom(0.2, 0.05, 0.01), (inst: Inst, eps) => {
        const opt = solveNashBruteForce(inst).product;
        const h = solveNash(inst, { method: 'heuristics' });
        const c = solveNash(inst, { method: 'certified', epsilon: eps });
        const tol = 1e-9 * Math.max(1, opt);
        for (const s of [h, c]) {
          expect(s.selected).toHaveLength(inst.k);
          expect(new Set(s.selected).size).toBe(inst.k);
          expect(s.product).toBeLessThanOrEqual(opt + tol);
          expect(s.upperBound).toBeGreaterThanOrEqual(opt - tol);
          expect(s.product).toBeCloseTo(sumOver(inst.uG, s.selected) * sumOver(inst.uF, s.selected), 6);
          expect(s.gap).toBeGreaterThanOrEqual(0);
          expect(s.gap).toBeLessThanOrEqual(1);
          expect(s.product).toBeGreaterThanOrEqual((1 - s.gap) * s.upperBound - tol);
        }
        expect(c.product).toBeGreaterThanOrEqual((1 - eps) * opt - tol);
        expect(c.epsilon).toBe(eps);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('the DP alone (Theorem 3) is within ε of the optimum whatever lower bound it is given', () => {
    fc.assert(
      fc.property(instance, fc.constantFrom(0.5, 0.2, 0.05), fc.boolean(), (inst: Inst, eps, weak) => {
        const g = Float64Array.from(inst.uG),
          f = Float64Array.from(inst.uF);
        const opt = solveNashBruteForce(inst).product;
        // A valid but weak lower bound: the top-k-by-uG set's product (or 0 on integer data).
        const all = Int32Array.from(inst.uG, (_, i) => i);
        const tg = topK(g, all, inst.k);
        const lb = weak ? 0 : sumOver(inst.uG, tg) * sumOver(inst.uF, tg);
        const integral = inst.uF.every((v) => Number.isInteger(v));
        if (weak && !integral) return; // lower bound 0 needs f's smallest positive value to size the buckets
        const r = nashDp(g, f, inst.k, eps, lb);
        const tol = 1e-9 * Math.max(1, opt);
        if (opt === 0) return;
        expect(r.selected).not.toBeNull();
        expect(r.product).toBeGreaterThanOrEqual((1 - eps) * opt - tol);
        expect(r.product).toBeLessThanOrEqual(opt + tol);
        expect(Math.max(r.upperBound, lb)).toBeGreaterThanOrEqual(opt - tol);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('Lemma 1: some optimal set lies inside the k-dominance-reduced pool', () => {
    fc.assert(
      fc.property(instance, (inst: Inst) => {
        const P = kDominanceFilter(Float64Array.from(inst.uG), Float64Array.from(inst.uF), inst.k);
        expect(P.length).toBeGreaterThanOrEqual(inst.k);
        const sub = {
          uG: Array.from(P, (i) => inst.uG[i]!),
          uF: Array.from(P, (i) => inst.uF[i]!),
          k: inst.k,
        };
        const opt = solveNashBruteForce(inst).product;
        expect(solveNashBruteForce(sub).product).toBeGreaterThanOrEqual(opt * (1 - 1e-12));
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe('solveNash at scale and in corner cases', () => {
  it('certifies a 3000-question pool with anti-correlated heavy-tailed utilities', () => {
    const rng = Rng.seed('nash-scale');
    const n = 3000;
    const g = new Float64Array(n),
      f = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      g[i] = 20 * Math.exp(0.5 * z + 0.4 * rng.normal());
      f[i] = Math.exp(-0.4 * z + 1.2 * rng.normal()) / 1000;
    }
    const h = solveNash({ uG: g, uF: f, k: 50 });
    const c = solveNash({ uG: g, uF: f, k: 50 }, { method: 'certified', epsilon: 0.01, candidates: true });
    expect(c.product).toBeGreaterThanOrEqual(h.product);
    expect(c.upperBound).toBeLessThanOrEqual(h.upperBound * (1 + 1e-12));
    expect(c.gap).toBeLessThanOrEqual(0.01);
    expect(c.stats.reducedSize).toBeLessThan(n / 2);
    expect(c.candidates!.map((x) => x.name)).toEqual([
      'top-uG',
      'top-uF',
      'lambda-sweep',
      'greedy',
      'swap',
      'certified',
    ]);
    // top-K by one utility is that utility's exact maximum.
    expect(c.candidates![0]!.uG).toBeCloseTo(
      Array.from(g)
        .sort((a, b) => b - a)
        .slice(0, 50)
        .reduce((a, b) => a + b),
      8,
    );
  });

  it('handles k = n, all-zero utilities and ties deterministically', () => {
    expect(Array.from(solveNash({ uG: [1, 2], uF: [3, 4], k: 2 }, { method: 'certified' }).selected)).toEqual(
      [0, 1],
    );
    const z = solveNash({ uG: [1, 2, 3], uF: [0, 0, 0], k: 2 }, { method: 'certified' });
    expect([z.product, z.upperBound, z.gap]).toEqual([0, 0, 0]);
    const tie = solveNash({ uG: [1, 1, 1, 1], uF: [1, 1, 1, 1], k: 2 });
    expect(Array.from(tie.selected)).toEqual([0, 1]);
    expect(
      Array.from(topK(Float64Array.from([5, 7, 7, 1]), Int32Array.from([0, 1, 2, 3]), 2)).sort(),
    ).toEqual([1, 2]);
  });

  it('rejects bad input with a MechlabError naming the field', () => {
    const bad = (inst: unknown, opts = {}): MechlabError =>
      expectMechlabError(() => solveNash(inst as Inst, opts));
    expect(bad({ uG: [1, 2], uF: [1, -1], k: 1 })).toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      message: 'instance.uF[1] must be ≥ 0, got -1',
    });
    expect(bad({ uG: [1, 2], uF: [1], k: 1 }).message).toMatch(/^instance\.uF/);
    expect(bad({ uG: [1, 2], uF: [1, 2], k: 3 }).message).toMatch(/^instance\.k/);
    expect(bad({ uG: Float64Array.from([1, NaN]), uF: Float64Array.from([1, 2]), k: 1 })).toMatchObject({
      code: 'ERR_INVALID_TYPE',
      message: 'instance.uG[1] must be a number, got NaN',
    });
    expect(bad({ uG: [1, 2], uF: [1, 2], k: 1 }, { epsilon: 2 })).toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      field: 'epsilon',
      message: 'epsilon must be < 1, got 2',
    });
    expect(bad({ uG: [1, 2], uF: [1, 2], k: 1 }, { method: 'exact' })).toMatchObject({
      code: 'ERR_INVALID_INPUT',
      field: 'method',
      message: 'method must be one of "heuristics", "certified", got "exact"',
    });
    const ok = { uG: [1, 2], uF: [1, 2], k: 1 };
    expect(bad(ok, { lambdaGrid: 1 })).toMatchObject({ code: 'ERR_OUT_OF_RANGE', field: 'lambdaGrid' });
    expect(bad(ok, { hullRefinements: -1 })).toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      field: 'hullRefinements',
    });
    expect(bad(ok, { maxSwapPasses: 0.5 })).toMatchObject({
      code: 'ERR_INVALID_TYPE',
      field: 'maxSwapPasses',
    });
    expect(bad(ok, { maxDpBits: 0, method: 'certified' })).toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      message: 'maxDpBits must be a positive number, got 0',
    });
    expect(bad(null)).toMatchObject({ code: 'ERR_INVALID_TYPE', field: 'instance' });
    expect(bad({ uG: Float64Array.of(1, 2), uF: Float64Array.of(1, 2), k: 3 })).toMatchObject({
      code: 'ERR_INVALID_INPUT',
      field: 'instance.k',
    });
    expect(bad({ ...ok, extra: 1 })).toMatchObject({ code: 'ERR_INVALID_INPUT', field: 'instance' });
    expect(bad({ ...ok, uF: Float64Array.of(1, Infinity) })).toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      message: 'instance.uF[1] must be a finite number, got Infinity',
    });
    expect(() =>
      solveNashBruteForce({ uG: new Array(40).fill(1), uF: new Array(40).fill(1), k: 20 }),
    ).toThrow(expect.objectContaining({ code: 'ERR_TOO_LARGE' }));
    // Degenerate dynamic range: the best product underflows next to the top-k sums' product.
    const degenerate = {
      uG: [0, 0, 1.964359937385515e-83, 5.30920195445987e-302],
      uF: [0, 0, 0, 4.652918179409416e-23],
      k: 1,
    };
    expect(bad(degenerate, { method: 'certified' }).code).toBe('ERR_TOO_LARGE');
    expect(Array.from(solveNash(degenerate).selected)).toEqual([3]);
  });
});
