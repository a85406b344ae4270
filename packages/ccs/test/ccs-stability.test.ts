/**
 * Stability on effort grids (MODELS.md §1.2; seed 004 §2.3 Proposition 4): the WTA and Tullock
 * counterexamples have no pure NE on fine grids, with verified best-response cycles; PRA always has one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@mechlab/core';
import {
  createCcsInstance,
  findPureNash,
  greatestEquilibrium,
  parseCcsInstance,
  tullockCounterexample,
  wtaCounterexample,
  type CcsInstance,
  type Edge,
  type Mechanism,
} from '@mechlab/ccs';
import { bestResponseOnGrid, effortGrid } from '../src/best-response';
import { enumeratePureNash, isPureNash, type PureNashResult } from '../src/stability';
import { utility } from '../src/mechanisms';
import { type CcsInstanceInput } from '../src/instance';
import { expectMechlabError } from '@mechlab/core/testing';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * A genuine best-response cycle: first = last, all profiles on the grid, distinct before closing, and
 * every step changes exactly one player's effort to her grid best response (largest maximiser), with a
 * strict utility gain.
 */
function expectBestResponseCycle(
  inst: CcsInstance,
  mech: Mechanism,
  cycle: Float64Array[],
  grid: Float64Array,
): void {
  expect(cycle.length).toBeGreaterThanOrEqual(3);
  const key = (x: Float64Array) => Array.from(x).join(',');
  expect(key(cycle[cycle.length - 1]!)).toBe(key(cycle[0]!));
  expect(new Set(cycle.slice(0, -1).map(key)).size).toBe(cycle.length - 1);
  const onGrid = new Set(Array.from(grid));
  for (const x of cycle) for (const v of x) expect(onGrid.has(v)).toBe(true);
  for (let t = 1; t < cycle.length; t++) {
    const prev = cycle[t - 1]!,
      next = cycle[t]!;
    const moved = Array.from(prev.keys()).filter((i) => prev[i] !== next[i]);
    expect(moved.length).toBe(1);
    const i = moved[0]!;
    expect(next[i]).toBe(bestResponseOnGrid(inst, mech, prev, i, grid));
    expect(utility(inst, mech, next, i)).toBeGreaterThan(utility(inst, mech, prev, i) + 1e-12);
  }
}

function expectNoNash(r: PureNashResult): Float64Array[] {
  expect(r.exists).toBe(false);
  if (r.exists) throw new Error('unreachable');
  return r.cycle;
}

function randomInput(rng: Rng, n: number, costFamily: 'linear' | 'quadratic' = 'linear'): CcsInstanceInput {
  const edges: Edge[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) if (i !== j && rng.next() < 0.5) edges.push([j, i, rng.next()]);
  return {
    theta: Array.from({ length: n }, () => rng.next()),
    cost: Array.from({ length: n }, () => rng.uniform(0, 0.6)),
    edges,
    costFamily,
  };
}

describe('Proposition 4 counterexamples (seed 004 §2.3, Appendix A)', () => {
  const cases = [
    {
      name: 'WTA',
      make: wtaCounterexample,
      mech: { kind: 'wta' } as Mechanism,
      file: 'ccs-wta-unstable.json',
    },
    {
      name: 'Tullock',
      make: tullockCounterexample,
      mech: { kind: 'tullock' } as Mechanism,
      file: 'ccs-tullock-unstable.json',
    },
  ];

  for (const c of cases) {
    describe(c.name, () => {
      const inst = createCcsInstance(c.make());

      it('is a 2-player instance with spillovers', () => {
        expect(inst.n).toBe(2);
        expect(inst.graph.edgeCount).toBeGreaterThan(0);
      });

      for (const points of [21, 101, 201]) {
        it(`has no pure NE on the ${points}-point grid (exhaustive) and a verified best-response cycle`, () => {
          const grid = effortGrid(points);
          const r = findPureNash(inst, c.mech, { grid: points });
          expect(r.method).toBe('exhaustive');
          expectBestResponseCycle(inst, c.mech, expectNoNash(r), grid);
          expect(enumeratePureNash(inst, c.mech, { grid: points })).toEqual([]);
        });
      }

      it('best-response dynamics alone (no exhaustive check) also cycle, from any start', () => {
        const grid = effortGrid(101);
        for (const start of [
          [0, 0],
          [1, 1],
          [0.37, 0.81],
        ]) {
          const r = findPureNash(inst, c.mech, { grid: 101, exhaustiveLimit: 0, start });
          expect(r.method).toBe('dynamics');
          expectBestResponseCycle(inst, c.mech, expectNoNash(r), grid);
        }
      });

      it(`ships as examples/${c.file} in the ccs-instance format`, () => {
        const json: unknown = JSON.parse(readFileSync(join(ROOT, 'examples', c.file), 'utf8'));
        const { version, ...doc } = json as { version?: number };
        expect(version).toBe(1);
        expect(doc).toEqual(c.make());
        const parsed = parseCcsInstance(json);
        expect(Array.from(parsed.theta)).toEqual(Array.from(inst.theta));
        expect(Array.from(parsed.cost)).toEqual(Array.from(inst.cost));
        expect(findPureNash(parsed, c.mech, { grid: 21 }).exists).toBe(false);
      });
    });
  }

  it('WTA: no PNE on every uniform grid with 3..60 points; on {0,1} the claim needs an interior point', () => {
    const inst = createCcsInstance(wtaCounterexample());
    for (let m = 3; m <= 60; m++) expect(findPureNash(inst, { kind: 'wta' }, { grid: m }).exists).toBe(false);
    // The proof's cases (a) and (e) need g₁ < 1 and g₁ < 2/3: on {0, 1}, (0, 0) and (0, 1) are equilibria.
    expect(enumeratePureNash(inst, { kind: 'wta' }, { grid: 2 }).map((x) => Array.from(x))).toEqual([
      [0, 0],
      [0, 1],
    ]);
  });

  it('Tullock: no PNE on every uniform grid with 2..60 points and on non-uniform grids containing 0 and 1', () => {
    const inst = createCcsInstance(tullockCounterexample());
    for (let m = 2; m <= 60; m++)
      expect(findPureNash(inst, { kind: 'tullock' }, { grid: m }).exists).toBe(false);
    const rng = Rng.seed('ccs-stability/tullock-grids');
    for (let rep = 0; rep < 20; rep++) {
      const inner = Array.from({ length: 1 + rng.int(30) }, () => rng.next()).sort((a, b) => a - b);
      const grid = Float64Array.from(new Set([0, ...inner, 1]));
      const r = findPureNash(inst, { kind: 'tullock' }, { grid });
      expectBestResponseCycle(inst, { kind: 'tullock' }, expectNoNash(r), grid);
    }
  });

  it('the Tullock cycle is the one derived in the proof: (0,0) → (g₁,0) → (g₁,1) → (0,1) → (0,0)', () => {
    const inst = createCcsInstance(tullockCounterexample());
    const r = findPureNash(inst, { kind: 'tullock' }, { grid: 21, start: [0, 0] });
    expect(expectNoNash(r).map((x) => Array.from(x))).toEqual([
      [0, 0],
      [0.05, 0],
      [0.05, 1],
      [0, 1],
      [0, 0],
    ]);
  });
});

describe('findPureNash', () => {
  it('PRA always has a PNE; with linear + graph it is the greatest equilibrium x*(p) (grid ∋ 0, 1)', () => {
    const rng = Rng.seed('ccs-stability/pra');
    for (let rep = 0; rep < 20; rep++) {
      const n = 2 + rng.int(3);
      const inst = createCcsInstance(randomInput(rng, n));
      const p = Float64Array.from({ length: n }, () => rng.next() / n);
      const mech: Mechanism = { kind: 'pra', p };
      const star = Array.from(greatestEquilibrium(inst, p).efforts);
      const r = findPureNash(inst, mech, { grid: 11 });
      expect(r.method).toBe('exhaustive');
      expect(r.exists).toBe(true);
      if (r.exists) expect(Array.from(r.profile)).toEqual(star);
      // Dynamics from the top descend to the same greatest equilibrium.
      const d = findPureNash(inst, mech, { grid: 11, exhaustiveLimit: 0 });
      expect(d.method).toBe('dynamics');
      if (!d.exists) throw new Error('PRA dynamics must stop');
      expect(Array.from(d.profile)).toEqual(star);
    }
  });

  it('beyond the exhaustive limit, dynamics find the greatest equilibrium of a larger PRA game', () => {
    const rng = Rng.seed('ccs-stability/pra-large');
    const n = 12;
    const inst = createCcsInstance(randomInput(rng, n));
    const p = Float64Array.from({ length: n }, () => rng.next() / n);
    const mech: Mechanism = { kind: 'pra', p };
    const r = findPureNash(inst, mech, { grid: 21 }); // 21^12 profiles: dynamics
    expect(r.method).toBe('dynamics');
    if (!r.exists) throw new Error('PRA dynamics must stop');
    expect(isPureNash(inst, mech, r.profile, { grid: 21 })).toBe(true);
    expect(Array.from(r.profile)).toEqual(Array.from(greatestEquilibrium(inst, p).efforts));
  });

  it('agrees with enumeratePureNash and isPureNash on random WTA / Tullock games (returns the lexicographically largest PNE)', () => {
    const rng = Rng.seed('ccs-stability/contests');
    let withNash = 0,
      without = 0;
    for (let rep = 0; rep < 30; rep++) {
      const n = 2 + rng.int(2);
      const inst = createCcsInstance(randomInput(rng, n, rep % 2 ? 'quadratic' : 'linear'));
      for (const mech of [{ kind: 'wta' }, { kind: 'tullock' }] as Mechanism[]) {
        const grid = effortGrid(7);
        const all = enumeratePureNash(inst, mech, { grid });
        for (const y of all) expect(isPureNash(inst, mech, y, { grid })).toBe(true);
        const r = findPureNash(inst, mech, { grid });
        if (r.exists) {
          withNash++;
          expect(Array.from(r.profile)).toEqual(Array.from(all[all.length - 1]!));
        } else {
          without++;
          expect(all).toEqual([]);
          expectBestResponseCycle(inst, mech, r.cycle, grid);
        }
      }
    }
    expect(withNash).toBeGreaterThan(0);
    expect(without).toBeGreaterThan(0);
  });

  it('WTA without rivalry: the only productive player wins with the smallest positive effort', () => {
    const inst = createCcsInstance({ theta: [1, 0], cost: [0.5, 0.5] });
    const r = findPureNash(inst, { kind: 'wta' }, { grid: 21 });
    expect(r.exists).toBe(true);
    if (r.exists) expect(Array.from(r.profile)).toEqual([0.05, 0]);
  });

  it('a single player always has a PNE (her grid best response)', () => {
    const inst = createCcsInstance({ theta: [0.7], cost: [0.4], costFamily: 'quadratic' });
    for (const mech of [
      { kind: 'wta' },
      { kind: 'tullock' },
      { kind: 'pra', p: Float64Array.of(1) },
    ] as Mechanism[]) {
      const r = findPureNash(inst, mech, { grid: 11 });
      expect(r.exists).toBe(true);
      if (r.exists) expect(r.profile[0]).toBe(bestResponseOnGrid(inst, mech, [0], 0, 11));
    }
  });

  it('isPureNash accepts off-grid profiles and checks them against grid deviations', () => {
    const inst = createCcsInstance({ theta: [1, 1], cost: [1, 1], costFamily: 'quadratic' });
    const mech: Mechanism = { kind: 'pra', p: Float64Array.of(0.5, 0.5) };
    // Continuous best response p θ / c = 0.5; on the grid {0, 0.25, 0.5, 0.75, 1} it is 0.5 as well.
    expect(isPureNash(inst, mech, [0.5, 0.5], { grid: 5 })).toBe(true);
    expect(isPureNash(inst, mech, [0.45, 0.5], { grid: 5 })).toBe(false);
    expect(isPureNash(createCcsInstance(wtaCounterexample()), { kind: 'wta' }, [0, 0.05])).toBe(false);
  });

  it('validates grid, start, tolerances and limits, naming the field', () => {
    const inst = createCcsInstance(wtaCounterexample());
    const wta: Mechanism = { kind: 'wta' };
    expectMechlabError(
      () => findPureNash(inst, wta, { grid: 1 }),
      'ERR_OUT_OF_RANGE',
      'opts.grid must be ≥ 2, got 1',
    );
    expectMechlabError(
      () => findPureNash(inst, wta, { grid: [0] }),
      'ERR_OUT_OF_RANGE',
      /^opts\.grid must have ≥ 2 items/,
    );
    expectMechlabError(
      () => findPureNash(inst, wta, { grid: [0, 1, 0.5] }),
      'ERR_OUT_OF_RANGE',
      /^opts\.grid\[2\]/,
    );
    expectMechlabError(() => findPureNash(inst, wta, { grid: 3.5 }), 'ERR_INVALID_TYPE', /^opts\.grid/);
    expectMechlabError(
      () => findPureNash(inst, wta, { start: [0] }),
      'ERR_OUT_OF_RANGE',
      /^opts\.start\.length/,
    );
    expectMechlabError(
      () => findPureNash(inst, wta, { start: [0, 2] }),
      'ERR_OUT_OF_RANGE',
      /^opts\.start\[1\]/,
    );
    expectMechlabError(() => findPureNash(inst, wta, { maxSteps: 0 }), 'ERR_OUT_OF_RANGE', /^opts\.maxSteps/);
    expectMechlabError(() => findPureNash(inst, wta, { tol: -1 }), 'ERR_OUT_OF_RANGE', /^opts\.tol/);
    expectMechlabError(
      () => findPureNash(inst, { kind: 'pra', p: Float64Array.of(0.5, -0.5) }),
      'ERR_OUT_OF_RANGE',
      'p[1] must be ≥ 0, got -0.5',
    );
    expectMechlabError(
      () => enumeratePureNash(inst, wta, { grid: 201, exhaustiveLimit: 1000 }),
      'ERR_TOO_LARGE',
    );
    // Dynamics that neither stop nor repeat within maxSteps report it instead of looping forever.
    expectMechlabError(
      () => findPureNash(inst, wta, { grid: 201, exhaustiveLimit: 0, maxSteps: 3 }),
      'ERR_NOT_CONVERGED',
      /maxSteps/,
    );
  });
});

describe('findPureNash progress callback (issue 18: the CLI draws a live progress line from it)', () => {
  it('reports monotone scanned profiles ending at n·|G|^n, and changes no result', () => {
    const rng = Rng.seed(18);
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + rng.int(2);
      const inst = createCcsInstance({
        theta: Array.from({ length: n }, () => 0.2 + rng.next()),
        cost: Array.from({ length: n }, () => 0.1 + rng.next()),
      });
      const mech = { kind: 'tullock' as const };
      const grid = 5 + rng.int(20);
      const calls: [number, number][] = [];
      const plain = findPureNash(inst, mech, { grid });
      const watched = findPureNash(inst, mech, { grid, onProgress: (d, t) => calls.push([d, t]) });
      expect(watched).toEqual(plain);
      const total = n * grid ** n;
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.at(-1)).toEqual([total, total]);
      for (let i = 0; i < calls.length; i++) {
        expect(calls[i]![1]).toBe(total);
        expect(calls[i]![0]).toBeLessThanOrEqual(total);
        if (i > 0) expect(calls[i]![0]).toBeGreaterThan(calls[i - 1]![0]);
      }
    }
  });
});
