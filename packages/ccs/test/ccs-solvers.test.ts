import { Rng } from '@mechlab/core';
import {
  createCcsInstance,
  graphEdges,
  greatestEquilibrium,
  nsrProfits,
  randomCcsInstance,
  randomForest,
  solveCcs,
  tsCcsSolvers,
  type CcsAlgo,
  type CcsInstance,
  type CcsSolution,
} from '@mechlab/ccs';
import { CCS_ALGOS, resolveCcsOptions } from '../src/solvers/index';
import { exactPortions } from '../src/solvers/exact';
import { greatestEquilibriumBinary } from '../src/equilibrium';
import { isActive } from '../src/best-response';
import { minGridUnits } from '../src/solvers/common';
import { nsrPortions, spilloverBeta } from '../src/solvers/nsr';
import { bruteForceExact, bruteForceGrid, naiveEquilibrium, smallInstance, total } from './ccs-naive';
import { expectMechlabError } from '@mechlab/core/testing';

/** Invariants every solution must satisfy, checked against the library and a naive equilibrium. */
function checkSolution(inst: CcsInstance, sol: CcsSolution): void {
  expect(sol.backend).toBe('ts');
  expect(sol.p.length).toBe(inst.n);
  for (const v of sol.p) expect(v).toBeGreaterThanOrEqual(0);
  expect(total(sol.p)).toBeLessThanOrEqual(1 + 1e-9);
  const eq = greatestEquilibriumBinary(inst, sol.p);
  expect(sol.welfare).toBe(eq.welfare);
  expect(Array.from(sol.active)).toEqual(Array.from(eq.active));
  expect(Array.from(sol.efforts)).toEqual(Array.from(eq.efforts));
  if (inst.n <= 14) expect(sol.welfare).toBeCloseTo(naiveEquilibrium(inst, sol.p).welfare, 9);
}

describe('exact solver (branch and bound over active sets)', () => {
  it('equals brute force over all 2^n active sets on 300 random instances (n ≤ 10)', () => {
    const rng = Rng.seed('ccs-solvers/exact-brute');
    for (let rep = 0; rep < 300; rep++) {
      const inst = smallInstance(rng, 1 + rng.int(10));
      const bf = bruteForceExact(inst);
      const r = exactPortions(inst);
      expect(r.value).toBeCloseTo(bf, 9);
      const sol = solveCcs(inst, { algo: 'exact' });
      checkSolution(inst, sol);
      // the greatest equilibrium of the tight portions realises the optimum
      expect(sol.welfare).toBeCloseTo(bf, 9);
    }
  });

  it('is at least as good as every heuristic (and hop is exact on the grid) on 200 instances', () => {
    const rng = Rng.seed('ccs-solvers/dominance');
    for (let rep = 0; rep < 200; rep++) {
      const forest = rep % 3 === 0;
      const n = 1 + rng.int(forest ? 12 : 11);
      const inst = forest
        ? randomForest(rng.split(rep), { n, costMax: [0.1, 0.3, 1][rep % 3]!, rootProb: 0.2 })
        : smallInstance(rng, n);
      const best = solveCcs(inst, { algo: 'exact' });
      checkSolution(inst, best);
      const algos: CcsAlgo[] = forest ? ['nsr', 'hop', 'gcs', 'equal'] : ['nsr', 'gcs', 'equal'];
      for (const algo of algos) {
        const sol = solveCcs(inst, { algo, delta: 0.05 });
        expect(sol.algo).toBe(algo);
        checkSolution(inst, sol);
        expect(sol.welfare).toBeLessThanOrEqual(best.welfare + 1e-9);
      }
    }
  });

  it('solves n = 25 random instances in seconds (dense and sparse)', () => {
    const t0 = performance.now();
    for (const [rho, costMax] of [
      [0.9, 1],
      [0.5, 1],
      [0.9, 3],
      [0.3, 0.5],
    ] as const) {
      for (let rep = 0; rep < 2; rep++) {
        const inst = randomCcsInstance(Rng.seed('ccs-solvers/n25').split(rho, costMax, rep), {
          n: 25,
          rho,
          costMax,
        });
        const sol = solveCcs(inst, { algo: 'exact' });
        checkSolution(inst, sol);
        expect(sol.welfare).toBeGreaterThanOrEqual(solveCcs(inst, { algo: 'gcs' }).welfare - 1e-9);
        expect(sol.welfare).toBeGreaterThanOrEqual(solveCcs(inst, { algo: 'nsr' }).welfare - 1e-9);
      }
    }
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it('refuses large n unless exactMaxN is raised', () => {
    const inst = randomCcsInstance(Rng.seed('ccs-solvers/big'), { n: 41, rho: 0.01 });
    expectMechlabError(
      () => solveCcs(inst, { algo: 'exact' }),
      'ERR_TOO_LARGE',
      /limited to n ≤ 40 \(got n = 41\)/,
    );
    expect(solveCcs(inst, { algo: 'exact', exactMaxN: 41 }).welfare).toBeGreaterThanOrEqual(0);
  });
});

describe('NSR (no-spillover relaxation, Algorithm 1)', () => {
  it('profit table: linear steps at the tie-rule threshold, quadratic min(1, kδθ/c)', () => {
    const lin = createCcsInstance({ theta: [0.5, 0.1, 0, 2], cost: [0.2, 0.3, 0.1, 0] });
    const D = 10;
    const t = nsrProfits(lin, D);
    // player 0: 0.2/0.5 = 0.4 → 4 units; player 1: 0.3/0.1 = 3 > 1 → never; player 2: θ = 0; player 3: free
    expect(Array.from(t.subarray(0, 11))).toEqual([0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(t.subarray(11, 22))).toEqual(new Array(11).fill(0));
    expect(Array.from(t.subarray(22, 33))).toEqual(new Array(11).fill(0));
    expect(Array.from(t.subarray(33, 44))).toEqual(new Array(11).fill(2));
    const quad = createCcsInstance({ theta: [0.5], cost: [0.2], costFamily: 'quadratic' });
    const q = nsrProfits(quad, 4);
    for (let k = 0; k <= 4; k++) expect(q[k]).toBeCloseTo(0.5 * Math.min(1, ((k / 4) * 0.5) / 0.2), 15);
  });

  it('the DP equals a brute-force MCKP over the profit table (linear and quadratic, 300 instances)', () => {
    const rng = Rng.seed('ccs-solvers/nsr-mckp');
    for (let rep = 0; rep < 300; rep++) {
      const n = 1 + rng.int(4);
      const D = 1 + rng.int(5);
      const quadratic = rep % 2 === 1;
      const base = smallInstance(rng, n, { costMax: 0.6 });
      const inst = quadratic
        ? createCcsInstance({ theta: base.theta, cost: base.cost, costFamily: 'quadratic' })
        : base;
      const profits = nsrProfits(inst, D);
      let best = 0;
      const rec = (i: number, left: number, v: number): void => {
        if (i === n) {
          best = Math.max(best, v);
          return;
        }
        for (let k = 0; k <= left; k++) rec(i + 1, left - k, v + profits[i * (D + 1) + k]!);
      };
      rec(0, D, 0);
      const r = nsrPortions(inst, D);
      expect(r.objective).toBeCloseTo(best, 12);
      let check = 0;
      for (let i = 0; i < n; i++) check += profits[i * (D + 1) + r.units[i]!]!;
      expect(check).toBeCloseTo(r.objective, 12);
      expect(total(r.units)).toBeLessThanOrEqual(D);
      // Theorem 9 step 3: spillovers only help, so the real welfare is at least the relaxation's value
      const sol = solveCcs(inst, { algo: 'nsr', delta: 1 / D });
      expect(sol.welfare).toBeGreaterThanOrEqual(r.objective - 1e-9);
      expect(Array.from(sol.p)).toEqual(Array.from(r.p));
    }
  });

  it('Theorem 9 as printed fails: NSR < OPT/β on a β ≈ 2.08 instance (documented)', () => {
    // Players 0, 1: alone each needs 0.25/0.24 > 1; together each needs 0.25/0.5 = 0.5 (Σ = 1).
    // Player 2 (no spillovers) costs exactly the whole budget alone, so the relaxation's optimum is
    // unique — p = (0, 0, 1), value 0.05 — and the failure is not a tie-breaking accident.
    const inst = createCcsInstance({
      theta: [0.24, 0.24, 0.05],
      cost: [0.25, 0.25, 0.05],
      edges: [
        [0, 1, 0.26],
        [1, 0, 0.26],
      ],
    });
    const beta = spilloverBeta(inst);
    expect(beta).toBeCloseTo(0.5 / 0.24, 12);
    const opt = solveCcs(inst, { algo: 'exact' }).welfare;
    expect(opt).toBeCloseTo(1, 12);
    const nsr = solveCcs(inst, { algo: 'nsr', delta: 0.01 });
    expect(Array.from(nsr.p)).toEqual([0, 0, 1]);
    expect(nsr.meta?.objective).toBeCloseTo(0.05, 15);
    expect(nsr.welfare).toBeCloseTo(0.05, 15);
    expect(nsr.welfare).toBeLessThan(opt / beta); // 0.05 < 0.48
    // the δ-grid optimum is the same 1 (p = (0.5, 0.5, 0) is on the grid)
    expect(bruteForceGrid(inst, 4)).toBeCloseTo(1, 12);
  });

  it('corrected Theorem 9: SW(NSR) ≥ SW(x*(p))/β for every grid p with x*(p) = x̂(p) (200 instances)', () => {
    const rng = Rng.seed('ccs-solvers/nsr-beta');
    let binding = 0;
    for (let rep = 0; rep < 200; rep++) {
      const n = 1 + rng.int(4);
      const D = [2, 3, 4][rng.int(3)]!;
      const inst = smallInstance(rng, n, { costMax: 0.5 });
      const beta = spilloverBeta(inst);
      const nsr = solveCcs(inst, { algo: 'nsr', delta: 1 / D });
      // x̂(p): stand-alone best responses, computed with the same tie rule
      const noSpilloverNeeded = (p: number[], x: number[]): boolean =>
        x.every((xi, i) => xi === (isActive(p[i]!, inst.theta[i]!, inst.cost[i]!) ? 1 : 0));
      const ref = bruteForceGrid(inst, D, noSpilloverNeeded);
      if (Number.isFinite(beta)) {
        expect(nsr.welfare).toBeGreaterThanOrEqual(ref / beta - 1e-9);
        if (ref > 0) binding++;
      }
    }
    expect(binding).toBeGreaterThan(50);
  });

  it('spilloverBeta: 1 without spillovers, ∞ with a θ = 0 receiver, ignores quality-0 players', () => {
    expect(spilloverBeta(createCcsInstance({ theta: [1, 2], cost: [0, 0] }))).toBe(1);
    expect(spilloverBeta(createCcsInstance({ theta: [1, 2], cost: [0, 0], edges: [[0, 1, 1]] }))).toBe(1.5);
    expect(spilloverBeta(createCcsInstance({ theta: [1, 0], cost: [0, 0], edges: [[0, 1, 1]] }))).toBe(
      Infinity,
    );
    expect(spilloverBeta(createCcsInstance({ theta: [1, 0], cost: [0, 0], edges: [[1, 0, 3]] }))).toBe(4);
  });

  it('supports quadratic costs (general equilibrium) and refuses scaling-law quality', () => {
    const rng = Rng.seed('ccs-solvers/nsr-quad');
    const base = smallInstance(rng, 6, { rho: 0.4, costMax: 0.5 });
    const inst = createCcsInstance({ theta: base.theta, cost: base.cost, costFamily: 'quadratic' });
    const sol = solveCcs(inst, { algo: 'nsr', delta: 0.05 });
    const eq = greatestEquilibrium(inst, sol.p);
    expect(sol.welfare).toBe(eq.welfare);
    expect(sol.meta?.converged).toBe(true);
    const sl = createCcsInstance({
      theta: [0, 0],
      cost: [0.1, 0.1],
      quality: { kind: 'scaling-law', a: [1, 0.5] },
    });
    expectMechlabError(
      () => solveCcs(sl, { algo: 'nsr' }),
      'ERR_INVALID_INPUT',
      /nsr solver supports graph quality/,
    );
    const eqSol = solveCcs(sl, { algo: 'equal' });
    expect(eqSol.welfare).toBe(greatestEquilibrium(sl, eqSol.p).welfare);
  });
});

describe('solveCcs: options, families, registry', () => {
  const inst = createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5], edges: [[0, 1, 1]] });

  it('rejects a bad delta with ERR_OUT_OF_RANGE and accepts 1/D', () => {
    for (const d of [0.03, 0.3, 0.015]) {
      expectMechlabError(
        () => solveCcs(inst, { algo: 'nsr', delta: d }),
        'ERR_OUT_OF_RANGE',
        `delta must be 1/D for a positive integer D (e.g. 0.01, 0.05, 0.25), got ${d}`,
      );
    }
    for (const d of [0, -0.1, 1.5])
      expectMechlabError(
        () => solveCcs(inst, { algo: 'hop', delta: d }),
        'ERR_OUT_OF_RANGE',
        /^delta must be/,
      );
    expectMechlabError(
      () => solveCcs(inst, { algo: 'hop', delta: NaN }),
      'ERR_INVALID_TYPE',
      /^delta must be a number/,
    );
    expectMechlabError(
      () => solveCcs(inst, { algo: 'hop', delta: Infinity }),
      'ERR_OUT_OF_RANGE',
      /^delta must be a finite number, got Infinity/,
    );
    expectMechlabError(
      () => solveCcs(inst, { algo: 'nsr', delta: '0.1' as unknown as number }),
      'ERR_INVALID_TYPE',
      'delta must be a number, got "0.1"',
    );
    expect(resolveCcsOptions({ algo: 'nsr', delta: 1 / 3 })).toEqual({
      algo: 'nsr',
      delta: 1 / 3,
      units: 3,
      exactMaxN: 40,
    });
    expect(resolveCcsOptions({ algo: 'hop', delta: 0.1 }).units).toBe(10);
    expect(resolveCcsOptions({ algo: 'hop' }).units).toBe(100);
    expect(resolveCcsOptions({ algo: 'nsr', delta: 1 }).units).toBe(1);
    expect(solveCcs(inst, { algo: 'nsr', delta: 0.25 }).meta?.delta).toBe(0.25);
  });

  it('rejects unknown algorithms and backends, and options that are not an object', () => {
    expectMechlabError(() => solveCcs(inst, null as unknown as { algo: 'gcs' }), {
      code: 'ERR_INVALID_TYPE',
      field: 'options',
      message: /^options must be an object, got null/,
    });
    expectMechlabError(() => resolveCcsOptions({ algo: 'exact', exactMaxN: 0.5 }), {
      code: 'ERR_INVALID_TYPE',
      field: 'exactMaxN',
    });
    expectMechlabError(
      () => solveCcs(inst, { algo: 'greedy' as CcsAlgo }),
      'ERR_INVALID_INPUT',
      'algo must be one of "exact", "nsr", "hop", "gcs", "equal", got "greedy"',
    );
    expectMechlabError(
      () => solveCcs(inst, { algo: 'gcs', backend: 'wasm' }),
      'ERR_INVALID_TYPE',
      /backend must be "ts"/,
    );
  });

  it('exact, hop and gcs need linear cost + graph quality', () => {
    const quad = createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5], costFamily: 'quadratic' });
    for (const algo of ['exact', 'hop', 'gcs'] as const) {
      expectMechlabError(
        () => solveCcs(quad, { algo }),
        'ERR_INVALID_INPUT',
        new RegExp(`the ${algo} solver needs linear cost`),
      );
    }
    const eq = solveCcs(quad, { algo: 'equal' });
    expect(eq.welfare).toBe(greatestEquilibrium(quad, eq.p).welfare);
  });

  it('registry: one ts solver per algorithm', () => {
    for (const algo of CCS_ALGOS) {
      expect(tsCcsSolvers[algo].algo).toBe(algo);
      expect(tsCcsSolvers[algo].backend).toBe('ts');
    }
    expect(CCS_ALGOS).toEqual(['exact', 'nsr', 'hop', 'gcs', 'equal']);
  });
});

describe('edge cases (all solvers)', () => {
  const all: CcsAlgo[] = ['exact', 'nsr', 'hop', 'gcs', 'equal'];

  it('n = 1', () => {
    const inst = createCcsInstance({ theta: [0.8], cost: [0.4] });
    for (const algo of all) {
      const sol = solveCcs(inst, { algo });
      checkSolution(inst, sol);
      expect(sol.welfare).toBeCloseTo(0.8, 12);
      expect(Array.from(sol.active)).toEqual([0]);
    }
    const hopeless = createCcsInstance({ theta: [0.3], cost: [0.4] });
    for (const algo of all) expect(solveCcs(hopeless, { algo }).welfare).toBe(0);
  });

  it('all costs zero: everybody is active for free', () => {
    const base = randomForest(Rng.seed('ccs-solvers/free'), { n: 12 });
    const inst = createCcsInstance({
      theta: base.theta,
      cost: new Array(12).fill(0),
      edges: graphEdges(base.graph),
    });
    const everyone = greatestEquilibriumBinary(inst, new Float64Array(12)).welfare;
    for (const algo of all) {
      const sol = solveCcs(inst, { algo });
      checkSolution(inst, sol);
      expect(sol.active.length).toBe(12);
      expect(sol.welfare).toBeCloseTo(everyone, 12);
    }
  });

  it('zero thetas: only spillovers can sustain effort (exact finds it; NSR cannot)', () => {
    const inst = createCcsInstance({
      theta: [0, 0, 0],
      cost: [0.2, 0.2, 0.9],
      edges: [
        [0, 1, 0.5],
        [1, 0, 0.5],
        [2, 0, 1],
      ],
    });
    const ex = solveCcs(inst, { algo: 'exact' });
    checkSolution(inst, ex);
    expect(ex.welfare).toBeCloseTo(1, 12); // {0, 1}: portions 0.4 + 0.4
    expect(ex.welfare).toBeCloseTo(bruteForceExact(inst), 12);
    expect(solveCcs(inst, { algo: 'nsr' }).welfare).toBe(0);
    const g = solveCcs(inst, { algo: 'gcs' });
    checkSolution(inst, g);
    expect(g.welfare).toBeCloseTo(1, 12);
  });

  it('disconnected graphs: exact = brute force, and solving the union is consistent', () => {
    const rng = Rng.seed('ccs-solvers/disconnected');
    for (let rep = 0; rep < 30; rep++) {
      const a = smallInstance(rng, 1 + rng.int(5));
      const b = smallInstance(rng, 1 + rng.int(5));
      const shift = a.n;
      const edges: [number, number, number][] = [];
      for (const g of [a, b]) {
        const off = g === a ? 0 : shift;
        for (let i = 0; i < g.n; i++) {
          for (let k = g.graph.inStart[i]!; k < g.graph.inStart[i + 1]!; k++) {
            edges.push([g.graph.inFrom[k]! + off, i + off, g.graph.inWeight[k]!]);
          }
        }
      }
      const u = createCcsInstance({ theta: [...a.theta, ...b.theta], cost: [...a.cost, ...b.cost], edges });
      const ex = solveCcs(u, { algo: 'exact' });
      checkSolution(u, ex);
      expect(ex.welfare).toBeCloseTo(bruteForceExact(u), 9);
      for (const algo of ['nsr', 'gcs', 'equal'] as const) {
        const sol = solveCcs(u, { algo, delta: 0.1 });
        checkSolution(u, sol);
        expect(sol.welfare).toBeLessThanOrEqual(ex.welfare + 1e-9);
      }
    }
  });

  it('minGridUnits agrees exactly with the equilibrium tie rule, including grid points', () => {
    const rng = Rng.seed('ccs-solvers/grid-units');
    for (let rep = 0; rep < 2000; rep++) {
      const D = 1 + rng.int(100);
      const denom = rep % 5 === 0 ? 0 : rng.next() * 2;
      // half the costs sit exactly on grid points c = (k/D)·denom, where float noise bites
      const c = rep % 2 === 0 ? (rng.int(D + 1) / D) * denom : rng.next();
      const k = minGridUnits(c, denom, D);
      if (k > D) {
        expect(isActive(1, denom, c)).toBe(false);
      } else {
        expect(isActive(k / D, denom, c)).toBe(true);
        if (k > 0) expect(isActive((k - 1) / D, denom, c)).toBe(false);
      }
    }
    expect(Math.ceil((0.1 * 3) / 0.1)).toBe(4); // the naive ceiling is off by one: 0.1·3/0.1 = 3.0000000000000004
    expect(minGridUnits(0.1, 0.1, 3)).toBe(3);
    expect(minGridUnits(0, 0, 10)).toBe(0);
  });
});
