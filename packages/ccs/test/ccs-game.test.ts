/**
 * The CCS game layer (MODELS.md §1.1–1.2; seed 004 §2, §3.2): qualities, mechanisms, best responses and
 * the PRA greatest equilibrium. Expected values come from the spec's formulas, not from the code.
 */
import fc from 'fast-check';
import { Rng } from '@mechlab/core';
import {
  createCcsInstance,
  greatestEquilibrium,
  validateMechanism,
  type CcsInstance,
  type Edge,
  type Mechanism,
} from '@mechlab/ccs';
import { allocate, utility } from '../src/mechanisms';
import { bestResponse, bestResponseOnGrid, effortGrid } from '../src/best-response';
import { effortCost, quality, qualities, welfare } from '../src/quality';
import { enumeratePureNash } from '../src/stability';
import { equilibriumKernelOptions, greatestEquilibriumBinary } from '../src/equilibrium';
import { type CcsInstanceInput } from '../src/instance';
import { expectMechlabError } from '@mechlab/core/testing';

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

/** Random instance: θ ~ U[0,1], edges with probability rho, w ~ U[0,1], c ~ U[0, cmax]. */
function randomInput(
  rng: Rng,
  n: number,
  opts: { rho?: number; cmax?: number; costFamily?: 'linear' | 'quadratic'; scaling?: boolean } = {},
): CcsInstanceInput {
  const rho = opts.rho ?? 0.5;
  const cmax = opts.cmax ?? 1;
  const theta = Array.from({ length: n }, () => rng.next());
  const cost = Array.from({ length: n }, () => rng.uniform(0, cmax));
  const edges: Edge[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) if (i !== j && rng.next() < rho) edges.push([j, i, rng.next()]);
  const input: CcsInstanceInput = { theta, cost, edges, costFamily: opts.costFamily ?? 'linear' };
  if (opts.scaling) {
    input.quality = {
      kind: 'scaling-law',
      a: Array.from({ length: n }, () => rng.uniform(0.2, 1)),
      alpha: rng.uniform(0.05, 0.6),
      dc: rng.uniform(0.2, 1),
      d0: 1 + rng.uniform(0, 2),
    };
  }
  return input;
}

function randomPortions(rng: Rng, n: number, total = 1): Float64Array {
  const w = Float64Array.from({ length: n }, () => rng.exponential());
  let s = 0;
  for (const v of w) s += v;
  return w.map((v) => (v / s) * total * rng.next());
}

function randomProfile(rng: Rng, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => (rng.next() < 0.2 ? (rng.next() < 0.5 ? 0 : 1) : rng.next()));
}

/** Independent reference for graph quality: q_i = x_i (θ_i + Σ_{j→i} w x_j), straight from the edges. */
function refGraphQualities(input: CcsInstanceInput, x: ArrayLike<number>): number[] {
  const q = Array.from(input.theta, (th) => th);
  for (const [j, i, w] of Array.from(input.edges ?? [])) q[i]! += w * x[j]!;
  return q.map((d, i) => x[i]! * d);
}

/** u_i(t, x_{−i}) as a function of t, through the public API. */
function utilityOf(inst: CcsInstance, mech: Mechanism, x: ArrayLike<number>, i: number) {
  const y = Float64Array.from(x);
  return (t: number): number => {
    y[i] = t;
    return utility(inst, mech, y, i);
  };
}

// ---------------------------------------------------------------------------------------------------
// Quality, cost, welfare
// ---------------------------------------------------------------------------------------------------

describe('quality and welfare (MODELS.md §1.1)', () => {
  it('graph quality q_i = x_i (θ_i + Σ w_ji x_j) matches a direct evaluation on random instances', () => {
    const rng = Rng.seed('ccs-game/quality');
    for (let rep = 0; rep < 30; rep++) {
      const n = 1 + rng.int(7);
      const input = randomInput(rng, n);
      const inst = createCcsInstance(input);
      const x = randomProfile(rng, n);
      const ref = refGraphQualities(input, x);
      const q = qualities(inst, x);
      for (let i = 0; i < n; i++) {
        expect(q[i]).toBeCloseTo(ref[i]!, 12);
        expect(quality(inst, x, i)).toBe(q[i]);
      }
      expect(welfare(inst, x)).toBeCloseTo(
        ref.reduce((a, b) => a + b, 0),
        12,
      );
    }
  });

  it('scaling-law quality q_i = a_i x_i (1 − (D_c/(D_0 + Σx))^α)', () => {
    const inst = createCcsInstance({
      theta: [0, 0, 0],
      cost: [0, 0, 0],
      quality: { kind: 'scaling-law', a: [1, 0.5, 0.25] },
    });
    const x = [0.5, 1, 0];
    const factor = 1 - Math.pow(1 / (2 + 1.5), 0.095);
    expect(quality(inst, x, 0)).toBeCloseTo(0.5 * factor, 14);
    expect(quality(inst, x, 1)).toBeCloseTo(0.5 * factor, 14);
    expect(quality(inst, x, 2)).toBe(0);
    expect(Array.from(qualities(inst, x))).toEqual([0, 1, 2].map((i) => quality(inst, x, i)));
    expect(welfare(inst, x)).toBeCloseTo(factor, 14);
  });

  it('qualities writes into a supplied buffer and returns it', () => {
    const inst = createCcsInstance({ theta: [1, 0.5], cost: [0, 0], edges: [[0, 1, 2]] });
    const out = new Float64Array(2);
    expect(qualities(inst, [1, 0.5], out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 1.25]);
    expectMechlabError(
      () => qualities(inst, [1, 0.5], new Float64Array(3)),
      'ERR_OUT_OF_RANGE',
      /out\.length/,
    );
  });

  it('effort cost: linear c·x, quadratic c·x²/2', () => {
    const lin = createCcsInstance({ theta: [1], cost: [0.5] });
    const quad = createCcsInstance({ theta: [1], cost: [0.5], costFamily: 'quadratic' });
    expect(effortCost(lin, 0, 0.5)).toBe(0.25);
    expect(effortCost(quad, 0, 0.5)).toBe(0.0625);
    expect(effortCost(quad, 0, 0)).toBe(0);
    expectMechlabError(
      () => effortCost(lin, 1, 0.5),
      'ERR_OUT_OF_RANGE',
      'i must be a player index in [0, 0], got 1',
    );
    expectMechlabError(() => effortCost(lin, 0, 1.5), 'ERR_OUT_OF_RANGE', 'xi must be in [0, 1], got 1.5');
  });

  it('rejects malformed profiles, naming the field', () => {
    const inst = createCcsInstance({ theta: [1, 1], cost: [0, 0] });
    expectMechlabError(
      () => quality(inst, [1], 0),
      'ERR_OUT_OF_RANGE',
      'x.length must be 2 (one effort per player), got 1',
    );
    expectMechlabError(
      () => welfare(inst, [1, -0.1]),
      'ERR_OUT_OF_RANGE',
      'x[1] must be in [0, 1], got -0.1',
    );
    expectMechlabError(() => welfare(inst, [1, NaN]), 'ERR_INVALID_TYPE', /x\[1\] must be a number/);
    expectMechlabError(() => quality(inst, [1, 1], 0.5), 'ERR_INVALID_TYPE', /^i must be an integer/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Mechanisms
// ---------------------------------------------------------------------------------------------------

describe('allocate (MODELS.md §1.1 mechanisms)', () => {
  const wta: Mechanism = { kind: 'wta' };
  const tullock: Mechanism = { kind: 'tullock' };

  it('WTA: everything to the strictly highest quality', () => {
    expect(Array.from(allocate(wta, [0.3, 0.7, 0.2]))).toEqual([0, 1, 0]);
  });

  it('WTA: ties split equally, including ties that differ only by float rounding', () => {
    expect(Array.from(allocate(wta, [0.3, 0.7, 0.7]))).toEqual([0, 0.5, 0.5]);
    // 0.1 + 0.2 = 0.30000000000000004 ≠ 0.3 in binary floating point, but it is a tie.
    expect(Array.from(allocate(wta, [0.1 + 0.2, 0.3]))).toEqual([0.5, 0.5]);
    expect(Array.from(allocate(wta, [1, 1, 1, 1]))).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('WTA and Tullock: all-zero qualities → 1/n each', () => {
    const third = 1 / 3;
    expect(Array.from(allocate(wta, [0, 0, 0]))).toEqual([third, third, third]);
    expect(Array.from(allocate(tullock, [0, 0, 0]))).toEqual([third, third, third]);
    expect(Array.from(allocate(wta, [0]))).toEqual([1]);
  });

  it('Tullock: q_i / Σq', () => {
    const m = allocate(tullock, [1, 3, 0]);
    expect(Array.from(m)).toEqual([0.25, 0.75, 0]);
  });

  it('PRA: p_i q_i, and the output buffer is reused', () => {
    const out = new Float64Array(2);
    const m = allocate({ kind: 'pra', p: Float64Array.of(0.5, 0.25) }, [0.5, 1], out);
    expect(m).toBe(out);
    expect(Array.from(m)).toEqual([0.25, 0.25]);
  });

  it('every mechanism allocates shares in [0,1] summing to ≤ 1 (= 1 for WTA/Tullock)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (q, raw) => {
          const n = q.length;
          const s = raw.slice(0, n).reduce((a, b) => a + b, 0) || 1;
          const p = Float64Array.from(raw.slice(0, n), (v) => v / s);
          for (const mech of [wta, tullock, { kind: 'pra', p } as Mechanism]) {
            const m = allocate(mech, q);
            let total = 0;
            for (const v of m) {
              expect(v).toBeGreaterThanOrEqual(0);
              expect(v).toBeLessThanOrEqual(1);
              total += v;
            }
            expect(total).toBeLessThanOrEqual(1 + 1e-12);
            if (mech.kind !== 'pra') expect(total).toBeCloseTo(1, 12);
          }
        },
      ),
      { seed: 4, numRuns: 100 },
    );
  });

  it('validates portions: length, sign, finiteness, Σp ≤ 1 (tolerance 1e-9)', () => {
    const pra = (p: number[]): Mechanism => ({ kind: 'pra', p: Float64Array.from(p) });
    expectMechlabError(
      () => allocate(pra([0.1, 0.1, 0.1, -1]), [1, 1, 1, 1]),
      'ERR_OUT_OF_RANGE',
      'p[3] must be ≥ 0, got -1',
    );
    expectMechlabError(
      () => allocate(pra([0.5]), [1, 1]),
      'ERR_OUT_OF_RANGE',
      'p.length must be 2 (one portion per player), got 1',
    );
    expectMechlabError(
      () => allocate(pra([0.6, 0.6]), [1, 1]),
      'ERR_OUT_OF_RANGE',
      /^p must sum to at most 1/,
    );
    expectMechlabError(() => allocate(pra([NaN, 0]), [1, 1]), 'ERR_INVALID_TYPE', /^p\[0\] must be a number/);
    expectMechlabError(() => allocate(pra([Infinity, 0]), [1, 1]), 'ERR_OUT_OF_RANGE', /^p\[0\]/);
    expect(() => allocate(pra([0.5, 0.5 + 5e-10]), [1, 1])).not.toThrow();
    expectMechlabError(
      () => validateMechanism({ kind: 'vickrey' } as unknown as Mechanism, 2),
      'ERR_INVALID_INPUT',
      /^mech\.kind must be one of "wta", "tullock", "pra", got "vickrey"/,
    );
    expectMechlabError(() => allocate(wta, [1, -1]), 'ERR_OUT_OF_RANGE', /^q\[1\]/);
    expectMechlabError(() => allocate(wta, []), 'ERR_OUT_OF_RANGE', /^q\.length/);
  });

  it('utility = M_i(q(x)) − c_i(x_i)', () => {
    const rng = Rng.seed('ccs-game/utility');
    for (let rep = 0; rep < 20; rep++) {
      const n = 1 + rng.int(5);
      const input = randomInput(rng, n, {
        costFamily: rep % 2 ? 'quadratic' : 'linear',
        scaling: rep % 3 === 0,
      });
      const inst = createCcsInstance(input);
      const x = randomProfile(rng, n);
      const q = qualities(inst, x);
      for (const mech of [wta, tullock, { kind: 'pra', p: randomPortions(rng, n) } as Mechanism]) {
        const m = allocate(mech, q);
        for (let i = 0; i < n; i++) {
          expect(utility(inst, mech, x, i)).toBeCloseTo(m[i]! - effortCost(inst, i, x[i]!), 13);
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Best responses
// ---------------------------------------------------------------------------------------------------

describe('bestResponse (MODELS.md §1.2)', () => {
  const FINE = 801;

  /** max over a fine uniform grid, the brute-force reference. */
  function bruteMax(u: (t: number) => number, points = FINE): number {
    let best = -Infinity;
    for (let k = 0; k < points; k++) best = Math.max(best, u(k / (points - 1)));
    return best;
  }

  const families = [
    { name: 'graph + linear', costFamily: 'linear', scaling: false },
    { name: 'graph + quadratic', costFamily: 'quadratic', scaling: false },
    { name: 'scaling-law + linear', costFamily: 'linear', scaling: true },
    { name: 'scaling-law + quadratic', costFamily: 'quadratic', scaling: true },
  ] as const;

  for (const fam of families) {
    it(`PRA, ${fam.name}: no grid point beats the best response (seeded random instances)`, () => {
      const rng = Rng.fromPath(['ccs-game/br', fam.name]);
      for (let rep = 0; rep < 25; rep++) {
        const n = 1 + rng.int(5);
        const inst = createCcsInstance(
          randomInput(rng, n, {
            costFamily: fam.costFamily,
            scaling: fam.scaling,
            cmax: fam.scaling ? 0.3 : 1,
          }),
        );
        const mech: Mechanism = { kind: 'pra', p: randomPortions(rng, n) };
        const x = randomProfile(rng, n);
        for (let i = 0; i < n; i++) {
          const t = bestResponse(inst, mech, x, i);
          expect(t).toBeGreaterThanOrEqual(0);
          expect(t).toBeLessThanOrEqual(1);
          const u = utilityOf(inst, mech, x, i);
          expect(u(t)).toBeGreaterThanOrEqual(bruteMax(u) - 1e-12);
          if (fam.costFamily === 'linear') expect([0, 1]).toContain(t); // linear in t or convex in t
        }
      }
    });
  }

  it('PRA closed forms: binary with ties → 1; min(1, pD/c); zero cost → 1', () => {
    const lin = createCcsInstance({ theta: [0.5, 0.5], cost: [0.3, 0.3], edges: [[0, 1, 1]] });
    const pra = (p: number[]): Mechanism => ({ kind: 'pra', p: Float64Array.from(p) });
    expect(bestResponse(lin, pra([0.5, 0.5]), [1, 1], 1)).toBe(1); // 0.5·1.5 ≥ 0.3
    expect(bestResponse(lin, pra([0.5, 0.5]), [0, 1], 1)).toBe(0); // 0.5·0.5 < 0.3
    expect(bestResponse(lin, pra([0.6, 0.4]), [1, 1], 0)).toBe(1); // 0.6·0.5 = 0.3: tie → 1
    const quad = createCcsInstance({
      theta: [0.5, 0.5],
      cost: [1, 0],
      edges: [[1, 0, 1]],
      costFamily: 'quadratic',
    });
    expect(bestResponse(quad, pra([0.5, 0]), [1, 0.5], 0)).toBeCloseTo(0.5, 15); // 0.5·(0.5 + 0.5)/1
    expect(bestResponse(quad, pra([0.5, 0]), [1, 1], 1)).toBe(1); // c = 0 → 1 even with p = 0
    expect(bestResponse(quad, pra([1, 0]), [0, 1], 0)).toBe(1); // pD/c = 1.5 clipped
  });

  it('Tullock and WTA: numeric best response within 1e-9 of a fine brute-force maximum', () => {
    const rng = Rng.seed('ccs-game/br-contest');
    for (let rep = 0; rep < 25; rep++) {
      const n = 2 + rng.int(3);
      const inst = createCcsInstance(randomInput(rng, n, { costFamily: rep % 2 ? 'quadratic' : 'linear' }));
      const x = randomProfile(rng, n);
      for (let i = 0; i < n; i++) {
        const tul = utilityOf(inst, { kind: 'tullock' }, x, i);
        // With graph quality the Tullock utility is concave in own effort, so scan + golden-section is exact.
        expect(tul(bestResponse(inst, { kind: 'tullock' }, x, i))).toBeGreaterThanOrEqual(
          bruteMax(tul) - 1e-9,
        );
        // WTA is discontinuous (its supremum may not be attained): the result is at least the best scan point.
        const w = utilityOf(inst, { kind: 'wta' }, x, i);
        expect(w(bestResponse(inst, { kind: 'wta' }, x, i))).toBeGreaterThanOrEqual(bruteMax(w, 257) - 1e-12);
      }
    }
  });

  it('validates its options', () => {
    const inst = createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5] });
    expectMechlabError(
      () => bestResponse(inst, { kind: 'wta' }, [0, 0], 0, { gridPoints: 2 }),
      'ERR_OUT_OF_RANGE',
      /gridPoints/,
    );
    expectMechlabError(
      () => bestResponse(inst, { kind: 'wta' }, [0, 0], 0, { tol: 0 }),
      'ERR_OUT_OF_RANGE',
      /opts\.tol/,
    );
    expectMechlabError(
      () => bestResponse(inst, { kind: 'wta' }, [0, 0], 2),
      'ERR_OUT_OF_RANGE',
      /^i must be/,
    );
  });
});

describe('bestResponseOnGrid', () => {
  it('equals brute-force grid maximisation, ties → the largest effort', () => {
    const rng = Rng.seed('ccs-game/br-grid');
    for (let rep = 0; rep < 40; rep++) {
      const n = 1 + rng.int(4);
      const inst = createCcsInstance(
        randomInput(rng, n, { costFamily: rep % 2 ? 'quadratic' : 'linear', scaling: rep % 4 === 1 }),
      );
      const grid = effortGrid(2 + rng.int(12));
      const x = Float64Array.from({ length: n }, () => grid[rng.int(grid.length)]!);
      for (const mech of [
        { kind: 'wta' },
        { kind: 'tullock' },
        { kind: 'pra', p: randomPortions(rng, n) },
      ] as Mechanism[]) {
        for (let i = 0; i < n; i++) {
          const u = utilityOf(inst, mech, x, i);
          const vals = Array.from(grid, u);
          const best = Math.max(...vals);
          let expected = 0;
          for (let k = 0; k < grid.length; k++)
            if (vals[k]! >= best - 1e-12 * Math.max(1, Math.abs(vals[k]!))) expected = grid[k]!;
          expect(bestResponseOnGrid(inst, mech, x, i, grid)).toBe(expected);
        }
      }
    }
  });

  it('ties → the largest effort (u ≡ 0 under p_i θ_i = c_i)', () => {
    const inst = createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5] });
    expect(bestResponseOnGrid(inst, { kind: 'pra', p: Float64Array.of(0.5, 0.5) }, [0, 0], 0, 5)).toBe(1);
  });

  it('rejects grids with fewer than 2 points or unsorted / out-of-range points', () => {
    const inst = createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5] });
    const wta: Mechanism = { kind: 'wta' };
    expectMechlabError(
      () => bestResponseOnGrid(inst, wta, [0, 0], 0, 1),
      'ERR_OUT_OF_RANGE',
      'grid must be ≥ 2, got 1',
    );
    expectMechlabError(
      () => bestResponseOnGrid(inst, wta, [0, 0], 0, 2.5),
      'ERR_INVALID_TYPE',
      /^grid must be an integer/,
    );
    expectMechlabError(
      () => bestResponseOnGrid(inst, wta, [0, 0], 0, [0.5]),
      'ERR_OUT_OF_RANGE',
      /^grid must have ≥ 2 items/,
    );
    expectMechlabError(
      () => bestResponseOnGrid(inst, wta, [0, 0], 0, [0, 0.5, 0.5]),
      'ERR_OUT_OF_RANGE',
      /^grid\[2\]/,
    );
    expectMechlabError(
      () => bestResponseOnGrid(inst, wta, [0, 0], 0, [0, 1.5]),
      'ERR_OUT_OF_RANGE',
      'grid[1] must be ≤ 1, got 1.5',
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Greatest equilibrium
// ---------------------------------------------------------------------------------------------------

describe('greatestEquilibrium (MODELS.md §1.2; seed 004 Theorem 5)', () => {
  it('binary path (linear + graph) = forced best-response iteration, Jacobi and Gauss–Seidel', () => {
    const rng = Rng.seed('ccs-game/ge-binary');
    for (let rep = 0; rep < 60; rep++) {
      const n = 1 + rng.int(30);
      const inst = createCcsInstance(
        randomInput(rng, n, { rho: rng.next() * 0.5, cmax: rng.uniform(0.05, 0.5) }),
      );
      const p = randomPortions(rng, n);
      const auto = greatestEquilibrium(inst, p);
      const bin = greatestEquilibriumBinary(inst, p);
      expect(Array.from(auto.efforts)).toEqual(Array.from(bin.efforts));
      expect(Array.from(auto.active)).toEqual(Array.from(bin.active));
      expect(auto.welfare).toBe(bin.welfare);
      expect(auto.iterations).toBe(1);
      expect(auto.converged).toBe(true);
      for (const schedule of ['jacobi', 'gauss-seidel'] as const) {
        const it = greatestEquilibrium(inst, p, { method: 'iterate', schedule });
        expect(Array.from(it.efforts)).toEqual(Array.from(bin.efforts));
        expect(it.welfare).toBeCloseTo(bin.welfare, 12);
      }
    }
  });

  it('tight portions keep every player of S active (ties → 1)', () => {
    // S = {0,1,2} on a triangle; p_i = c_i / (θ_i + Σ_{j∈S} w_ji) exactly as the solvers set them.
    const input: CcsInstanceInput = {
      theta: [0.1, 0.2, 0.3],
      cost: [0.1, 0.1, 0.05],
      edges: [
        [0, 1, 0.7],
        [1, 2, 0.1],
        [2, 0, 0.3],
      ],
    };
    const inst = createCcsInstance(input);
    const p = [0.1 / (0.1 + 0.3), 0.1 / (0.2 + 0.7), 0.05 / (0.3 + 0.1)];
    expect(p.reduce((a, b) => a + b)).toBeLessThanOrEqual(1 + 1e-9);
    for (const method of ['auto', 'iterate'] as const) {
      expect(Array.from(greatestEquilibrium(inst, p, { method }).efforts)).toEqual([1, 1, 1]);
    }
  });

  /** Jacobi best-response iteration from 1 through the public bestResponse, recording every iterate. */
  function trajectory(inst: CcsInstance, p: Float64Array, sweeps: number): Float64Array[] {
    const mech: Mechanism = { kind: 'pra', p };
    let x = new Float64Array(inst.n).fill(1);
    const out = [x];
    for (let s = 0; s < sweeps; s++) {
      const prev = x;
      x = Float64Array.from({ length: inst.n }, (_, i) => bestResponse(inst, mech, prev, i));
      out.push(x);
    }
    return out;
  }

  for (const fam of [
    { name: 'graph + quadratic', costFamily: 'quadratic', scaling: false },
    { name: 'scaling-law + linear', costFamily: 'linear', scaling: true },
    { name: 'scaling-law + quadratic', costFamily: 'quadratic', scaling: true },
  ] as const) {
    it(`${fam.name}: monotone non-increasing from all-ones to a fixed point of the best responses`, () => {
      const rng = Rng.fromPath(['ccs-game/ge', fam.name]);
      for (let rep = 0; rep < 20; rep++) {
        const n = 1 + rng.int(8);
        const inst = createCcsInstance(
          randomInput(rng, n, {
            costFamily: fam.costFamily,
            scaling: fam.scaling,
            cmax: fam.scaling ? 0.2 : 1,
          }),
        );
        const p = randomPortions(rng, n);
        const traj = trajectory(inst, p, 60);
        for (let s = 1; s < traj.length; s++) {
          for (let i = 0; i < n; i++) expect(traj[s]![i]!).toBeLessThanOrEqual(traj[s - 1]![i]! + 1e-12);
        }
        const ge = greatestEquilibrium(inst, p);
        const gj = greatestEquilibrium(inst, p, { schedule: 'jacobi' });
        expect(ge.converged).toBe(true);
        const mech: Mechanism = { kind: 'pra', p };
        for (let i = 0; i < n; i++) {
          // A fixed point: everybody best-responds to x*.
          expect(bestResponse(inst, mech, ge.efforts, i)).toBeCloseTo(ge.efforts[i]!, 9);
          expect(gj.efforts[i]).toBeCloseTo(ge.efforts[i]!, 9);
          // The monotone iteration stays above x* (x* is the greatest equilibrium, the limit from the top).
          expect(traj[traj.length - 1]![i]!).toBeGreaterThanOrEqual(ge.efforts[i]! - 1e-9);
        }
        expect(ge.welfare).toBeCloseTo(welfare(inst, ge.efforts), 12);
        expect(Array.from(ge.active)).toEqual(
          Array.from(ge.efforts)
            .map((v, i) => (v > 0 ? i : -1))
            .filter((i) => i >= 0),
        );
      }
    });
  }

  it('quadratic closed form: two symmetric players, x = p(θ + w x)/c ⇒ x = pθ/(c − pw)', () => {
    const inst = createCcsInstance({
      theta: [1, 1],
      cost: [1, 1],
      edges: [
        [0, 1, 1],
        [1, 0, 1],
      ],
      costFamily: 'quadratic',
    });
    const r = greatestEquilibrium(inst, [0.25, 0.25]);
    expect(r.efforts[0]).toBeCloseTo(1 / 3, 10);
    expect(r.efforts[1]).toBeCloseTo(1 / 3, 10);
    expect(r.iterations).toBeGreaterThan(1);
    // p w / c ≥ 1 would blow up without the cap at 1: everyone stays at full effort.
    const r2 = greatestEquilibrium(inst, [0.5, 0.5]);
    expect(Array.from(r2.efforts)).toEqual([1, 1]);
  });

  it('edge cases: n = 1, zero θ, zero cost, zero portions, disconnected components', () => {
    // n = 1: active iff p θ ≥ c.
    expect(
      Array.from(greatestEquilibrium(createCcsInstance({ theta: [0.5], cost: [0.4] }), [1]).efforts),
    ).toEqual([1]);
    expect(
      Array.from(greatestEquilibrium(createCcsInstance({ theta: [0.5], cost: [0.6] }), [1]).efforts),
    ).toEqual([0]);
    // zero θ and no spillover: the denominator is 0, so only a zero-cost player is (weakly) active.
    const z = createCcsInstance({ theta: [0, 0], cost: [0.1, 0] });
    expect(Array.from(greatestEquilibrium(z, [0.5, 0.5]).efforts)).toEqual([0, 1]);
    // zero cost: u ≡ p q ≥ 0 is maximised at 1 even with p = 0, in every family.
    for (const costFamily of ['linear', 'quadratic'] as const) {
      const zc = createCcsInstance({ theta: [0.3, 0], cost: [0, 0], edges: [[0, 1, 1]], costFamily });
      expect(Array.from(greatestEquilibrium(zc, [0, 0]).efforts)).toEqual([1, 1]);
      const sl = createCcsInstance({
        theta: [0, 0],
        cost: [0, 0],
        costFamily,
        quality: { kind: 'scaling-law', a: [1, 1] },
      });
      expect(Array.from(greatestEquilibrium(sl, [0, 0]).efforts)).toEqual([1, 1]);
    }
    // zero portions with positive costs: nobody works, welfare 0.
    const r0 = greatestEquilibrium(
      createCcsInstance({ theta: [1, 1], cost: [0.1, 0.1], costFamily: 'quadratic' }),
      [0, 0],
    );
    expect(Array.from(r0.efforts)).toEqual([0, 0]);
    expect(r0.active.length).toBe(0);
    expect(r0.welfare).toBe(0);
    // Disconnected components are independent games.
    const rng = Rng.seed('ccs-game/disconnected');
    for (const costFamily of ['linear', 'quadratic'] as const) {
      const a = randomInput(rng, 4, { costFamily, rho: 0.8 });
      const b = randomInput(rng, 3, { costFamily, rho: 0.8 });
      const joint = createCcsInstance({
        theta: [...Array.from(a.theta), ...Array.from(b.theta)],
        cost: [...Array.from(a.cost), ...Array.from(b.cost)],
        edges: [...Array.from(a.edges!), ...Array.from(b.edges!, ([j, i, w]) => [j + 4, i + 4, w] as Edge)],
        costFamily,
      });
      const p = randomPortions(rng, 7);
      const x = greatestEquilibrium(joint, p).efforts;
      const xa = greatestEquilibrium(createCcsInstance(a), p.subarray(0, 4)).efforts;
      const xb = greatestEquilibrium(createCcsInstance(b), p.subarray(4)).efforts;
      for (let i = 0; i < 4; i++) expect(x[i]).toBeCloseTo(xa[i]!, 12);
      for (let i = 0; i < 3; i++) expect(x[4 + i]).toBeCloseTo(xb[i]!, 12);
    }
  });

  it('validates p and options; non-convergence throws ERR_NOT_CONVERGED instead of hanging', () => {
    const inst = createCcsInstance({
      theta: [1, 1],
      cost: [1, 1],
      edges: [
        [0, 1, 1],
        [1, 0, 1],
      ],
      costFamily: 'quadratic',
    });
    expectMechlabError(
      () => greatestEquilibrium(inst, [0.5]),
      'ERR_OUT_OF_RANGE',
      'p.length must be 2 (one portion per player), got 1',
    );
    expectMechlabError(
      () => greatestEquilibrium(inst, [0.5, -1]),
      'ERR_OUT_OF_RANGE',
      'p[1] must be ≥ 0, got -1',
    );
    expectMechlabError(
      () => greatestEquilibrium(inst, [0.7, 0.7]),
      'ERR_OUT_OF_RANGE',
      /^p must sum to at most 1/,
    );
    expectMechlabError(
      () => greatestEquilibrium(inst, [0.25, 0.25], { tol: -1 }),
      'ERR_OUT_OF_RANGE',
      /^opts\.tol/,
    );
    expectMechlabError(
      () => greatestEquilibrium(inst, [0.25, 0.25], { maxIterations: 0 }),
      'ERR_OUT_OF_RANGE',
      /^opts\.maxIterations/,
    );
    // One schema for every backend (the WebAssembly kernels take maxIterations as an i32).
    expectMechlabError(
      () => greatestEquilibrium(inst, [0.25, 0.25], { maxIterations: 2 ** 31 }),
      'ERR_OUT_OF_RANGE',
      /^opts\.maxIterations must be ≤ 2147483647/,
    );
    expect(equilibriumKernelOptions()).toEqual({
      tol: 1e-12,
      maxIterations: 100_000,
      jacobi: false,
      iterate: false,
    });
    expect(equilibriumKernelOptions({ schedule: 'jacobi', method: 'iterate', tol: 0 })).toEqual({
      tol: 0,
      maxIterations: 100_000,
      jacobi: true,
      iterate: true,
    });
    expectMechlabError(
      () => greatestEquilibrium(inst, [0.25, 0.25], { schedule: 'random' as 'jacobi' }),
      'ERR_INVALID_INPUT',
      /^opts\.schedule must be one of "jacobi", "gauss-seidel"/,
    );
    expectMechlabError(
      () => greatestEquilibrium(inst, [0.25, 0.25], { maxIterations: 3 }),
      'ERR_NOT_CONVERGED',
      /maxIterations/,
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Pareto dominance of the greatest equilibrium over every grid PNE (seed 004 Theorem 5, 2a–2b)
// ---------------------------------------------------------------------------------------------------

describe('the PRA greatest equilibrium Pareto-dominates every other PNE (exhaustive on small grids)', () => {
  it('linear + graph: x* lies on every grid containing {0,1}; x* ≥ y and u_i(x*) ≥ u_i(y) for every grid PNE y', () => {
    const rng = Rng.seed('ccs-game/pareto');
    let nonTrivial = 0;
    for (let rep = 0; rep < 60; rep++) {
      const n = 2 + rng.int(3);
      const inst = createCcsInstance(randomInput(rng, n, { rho: 0.6, cmax: 0.4 }));
      // Half the cases use tight portions for a random set S (ties everywhere), half random portions.
      let p: Float64Array;
      if (rep % 2 === 0) {
        p = new Float64Array(n);
        const inS = Array.from({ length: n }, () => rng.next() < 0.7);
        for (let i = 0; i < n; i++) {
          if (!inS[i]) continue;
          let d = inst.theta[i]!;
          for (let k = inst.graph.inStart[i]!; k < inst.graph.inStart[i + 1]!; k++) {
            if (inS[inst.graph.inFrom[k]!]) d += inst.graph.inWeight[k]!;
          }
          p[i] = d > 0 ? inst.cost[i]! / d : 0;
        }
        const s = p.reduce((a, b) => a + b, 0);
        if (s > 1) p = p.map((v) => v / s);
      } else {
        p = randomPortions(rng, n);
      }
      const mech: Mechanism = { kind: 'pra', p };
      const star = greatestEquilibrium(inst, p).efforts;
      for (const grid of [2, 3, 4, 5]) {
        const all = enumeratePureNash(inst, mech, { grid });
        const key = (x: ArrayLike<number>) => Array.from(x).join(',');
        expect(all.map(key)).toContain(key(star));
        if (all.length > 1) nonTrivial++;
        for (const y of all) {
          for (let i = 0; i < n; i++) {
            expect(star[i]!).toBeGreaterThanOrEqual(y[i]!);
            expect(utility(inst, mech, star, i)).toBeGreaterThanOrEqual(utility(inst, mech, y, i) - 1e-12);
          }
        }
      }
    }
    expect(nonTrivial).toBeGreaterThan(10); // the property was tested against genuinely multiple PNE
  });

  it('quadratic and scaling-law grid games are supermodular: the grid PNE set has a greatest, Pareto-dominant element', () => {
    const rng = Rng.seed('ccs-game/pareto-grid');
    for (let rep = 0; rep < 30; rep++) {
      const n = 2 + rng.int(2);
      const scaling = rep % 2 === 1;
      const inst = createCcsInstance(
        randomInput(rng, n, { costFamily: 'quadratic', scaling, rho: 0.7, cmax: scaling ? 0.2 : 0.6 }),
      );
      const mech: Mechanism = { kind: 'pra', p: randomPortions(rng, n) };
      const all = enumeratePureNash(inst, mech, { grid: 5 });
      expect(all.length).toBeGreaterThan(0); // Topkis: a supermodular game on a finite lattice has a PNE
      const top = Float64Array.from({ length: n }, (_, i) => Math.max(...all.map((y) => y[i]!)));
      const topKey = Array.from(top).join(',');
      expect(all.map((y) => Array.from(y).join(','))).toContain(topKey);
      for (const y of all) {
        for (let i = 0; i < n; i++) {
          expect(utility(inst, mech, top, i)).toBeGreaterThanOrEqual(utility(inst, mech, y, i) - 1e-12);
        }
      }
    }
  });
});
