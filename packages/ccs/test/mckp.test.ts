import { Rng } from '@mechlab/core';
import { solveMckp, solveMckpDense, type MckpProblem } from '@mechlab/ccs';
import { type MckpItem } from '../src/mckp';
import { expectMechlabError } from '@mechlab/core/testing';

/** Enumerate every choice (one item per class); best value, or null when none fits. */
function bruteMckp(inst: MckpProblem): { value: number } | null {
  const n = inst.classes.length;
  let best: number | null = null;
  const rec = (i: number, w: number, v: number): void => {
    if (w > inst.capacity) return;
    if (i === n) {
      if (best === null || v > best) best = v;
      return;
    }
    for (const it of inst.classes[i]!) rec(i + 1, w + it.weight, v + it.profit);
  };
  rec(0, 0, 0);
  return best === null ? null : { value: best };
}

function randomMckp(rng: Rng): MckpProblem {
  const n = 1 + rng.int(5);
  const capacity = rng.int(12);
  const classes: MckpItem[][] = [];
  for (let i = 0; i < n; i++) {
    const m = 1 + rng.int(4);
    const cls: MckpItem[] = [];
    for (let t = 0; t < m; t++) {
      // weights up to 8 so that tight capacities are often infeasible; profits of both signs, with ties
      cls.push({
        weight: rng.int(9),
        profit: rng.next() < 0.2 ? 1 : Math.round((rng.next() * 4 - 1.5) * 8) / 8,
      });
    }
    classes.push(cls);
  }
  return { capacity, classes };
}

describe('solveMckp (general multiple-choice knapsack DP)', () => {
  it('matches brute force on 600 random instances (infeasible ones and negative profits included)', () => {
    const rng = Rng.seed('mckp/brute');
    let infeasible = 0;
    let negative = 0;
    for (let rep = 0; rep < 600; rep++) {
      const inst = randomMckp(rng);
      const bf = bruteMckp(inst);
      const r = solveMckp(inst);
      if (bf === null) {
        infeasible++;
        expect(r.status).toBe('infeasible');
        continue;
      }
      expect(r.status).toBe('optimal');
      if (r.status !== 'optimal') continue;
      if (bf.value < 0) negative++;
      expect(r.value).toBeCloseTo(bf.value, 9);
      // the reported choice is consistent: one item per class, its weight and profit add up
      let w = 0,
        v = 0;
      r.choice.forEach((t, i) => {
        const it = inst.classes[i]![t]!;
        w += it.weight;
        v += it.profit;
      });
      expect(w).toBe(r.weight);
      expect(w).toBeLessThanOrEqual(inst.capacity);
      expect(v).toBeCloseTo(r.value, 9);
    }
    expect(infeasible).toBeGreaterThan(20);
    expect(negative).toBeGreaterThan(20);
  });

  it('breaks ties towards the lowest item index, deterministically', () => {
    const r = solveMckp({
      capacity: 5,
      classes: [
        [
          { weight: 1, profit: 2 },
          { weight: 0, profit: 2 },
        ],
        [
          { weight: 2, profit: 1 },
          { weight: 2, profit: 1 },
        ],
      ],
    });
    expect(r).toEqual({ status: 'optimal', value: 3, choice: new Int32Array([0, 0]), weight: 3 });
  });

  it('handles the documented example, zero classes and zero capacity', () => {
    expect(
      solveMckp({
        capacity: 3,
        classes: [
          [
            { weight: 0, profit: 0 },
            { weight: 2, profit: 5 },
          ],
          [
            { weight: 1, profit: 1 },
            { weight: 2, profit: 3 },
          ],
        ],
      }),
    ).toEqual({ status: 'optimal', value: 6, choice: new Int32Array([1, 0]), weight: 3 });
    expect(solveMckp({ capacity: 0, classes: [] })).toEqual({
      status: 'optimal',
      value: 0,
      choice: new Int32Array(0),
      weight: 0,
    });
    expect(solveMckp({ capacity: 0, classes: [[{ weight: 1, profit: 1 }]] })).toEqual({
      status: 'infeasible',
    });
  });

  it('validates its input and names the field', () => {
    const item = { weight: 0, profit: 0 };
    expectMechlabError(
      () => solveMckp({ capacity: 3, classes: [[item], [item], [item, { weight: 1.5, profit: 0 }]] }),
      'ERR_INVALID_TYPE',
      'classes[2][1].weight must be an integer, got 1.5',
    );
    expectMechlabError(
      () => solveMckp({ capacity: 3, classes: [[{ weight: -1, profit: 0 }]] }),
      'ERR_OUT_OF_RANGE',
      'classes[0][0].weight must be ≥ 0, got -1',
    );
    expectMechlabError(
      () => solveMckp({ capacity: 3, classes: [[{ weight: '1', profit: 0 } as unknown as MckpItem]] }),
      'ERR_INVALID_TYPE',
      'classes[0][0].weight must be a number, got "1"',
    );
    expectMechlabError(
      () => solveMckp({ capacity: 3, classes: [[{ weight: 1, profit: Infinity }]] }),
      'ERR_OUT_OF_RANGE',
      'classes[0][0].profit must be a finite number, got Infinity',
    );
    expectMechlabError(
      () => solveMckp({ capacity: 2.5, classes: [[item]] }),
      'ERR_INVALID_TYPE',
      'capacity must be an integer, got 2.5',
    );
    expectMechlabError(
      () => solveMckp({ capacity: 2, classes: [[item], []] }),
      'ERR_OUT_OF_RANGE',
      'classes[1] must have ≥ 1 items, got an array of length 0',
    );
    expectMechlabError(
      () => solveMckp({ capacity: 2, classes: 'x' as unknown as MckpItem[][] }),
      'ERR_INVALID_TYPE',
      'classes must be an array, got "x"',
    );
  });
});

describe('solveMckpDense (NSR kernel: items k = 0..D of weight k)', () => {
  it('equals solveMckp on the expanded instance (value and choice) on 400 random tables', () => {
    const rng = Rng.seed('mckp/dense');
    for (let rep = 0; rep < 400; rep++) {
      const n = rng.int(6);
      const D = rng.int(9);
      const profits = new Float64Array(n * (D + 1));
      const step = rng.next() < 0.3; // NSR-like step profits exercise the dominance skipping
      for (let i = 0; i < n; i++) {
        const k0 = rng.int(D + 2);
        const h = rng.next();
        for (let k = 0; k <= D; k++) {
          profits[i * (D + 1) + k] = step ? (k >= k0 ? h : 0) : rng.next() < 0.2 ? 0.5 : rng.next() * 2 - 0.5;
        }
      }
      const dense = solveMckpDense(n, D, profits);
      const classes = Array.from({ length: n }, (_, i) =>
        Array.from({ length: D + 1 }, (_, k) => ({ weight: k, profit: profits[i * (D + 1) + k]! })),
      );
      const general = solveMckp({ capacity: D, classes });
      expect(general.status).toBe('optimal');
      if (general.status !== 'optimal') continue;
      expect(dense.value).toBe(general.value);
      expect(Array.from(dense.choice)).toEqual(Array.from(general.choice));
      expect(dense.weight).toBe(general.weight);
      if (n <= 4 && D <= 6) expect(dense.value).toBeCloseTo(bruteMckp({ capacity: D, classes })!.value, 9);
    }
  });

  it('documented example, and validation', () => {
    expect(solveMckpDense(2, 2, new Float64Array([0, 1, 1, 0, 0, 3]))).toEqual({
      value: 3,
      choice: new Int32Array([0, 2]),
      weight: 2,
    });
    expectMechlabError(
      () => solveMckpDense(2, 2, new Float64Array(5)),
      'ERR_OUT_OF_RANGE',
      'profits must be a Float64Array of length n·(D+1) = 6, got 5',
    );
    expectMechlabError(
      () => solveMckpDense(1, 1, new Float64Array([0, NaN])),
      'ERR_OUT_OF_RANGE',
      'profits[1] must be a finite number, got NaN',
    );
    expectMechlabError(
      () => solveMckpDense(1, -1, new Float64Array(0)),
      'ERR_OUT_OF_RANGE',
      'D must be ≥ 0, got -1',
    );
  });

  it('is fast on an NSR-sized table (n = 2000, D = 100, step profits)', () => {
    const rng = Rng.seed('mckp/big');
    const n = 2000,
      D = 100;
    const profits = new Float64Array(n * (D + 1));
    for (let i = 0; i < n; i++) {
      const k0 = 1 + rng.int(D);
      const h = rng.next();
      for (let k = k0; k <= D; k++) profits[i * (D + 1) + k] = h;
    }
    const t0 = performance.now();
    const r = solveMckpDense(n, D, profits);
    const ms = performance.now() - t0;
    expect(r.weight).toBeLessThanOrEqual(D);
    expect(ms).toBeLessThan(2000);
  });
});
