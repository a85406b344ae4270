import { MechlabError, Rng } from '@mechlab/core';
import { createCcsInstance, hopPortions, randomForest, solveCcs, type CcsInstance } from '@mechlab/ccs';
import { chainInstance } from '../src/generator/forest';
import { forestStructure } from '../src/solvers/hop';
import { greatestEquilibriumBinary } from '../src/equilibrium';
import { bruteForceGrid, total } from './ccs-naive';
import { expectMechlabError } from '@mechlab/core/testing';

function notForest(inst: CcsInstance): MechlabError {
  return expectMechlabError(() => solveCcs(inst, { algo: 'hop', delta: 0.1 }), { code: 'ERR_NOT_A_FOREST' });
}

describe('HOP tree DP (Algorithms 3–5)', () => {
  it('equals the brute-force optimum over δ-grid portions on 300 random forests', () => {
    const rng = Rng.seed('ccs-hop/brute');
    const shapes = ['random', 'chain', 'star'] as const;
    for (let rep = 0; rep < 300; rep++) {
      const n = 1 + rng.int(6);
      const D = 3 + rng.int(3); // δ ∈ {1/3, 1/4, 1/5}
      const inst = randomForest(rng.split(rep), {
        n,
        shape: shapes[rep % 3],
        rootProb: [0, 0.2, 0.5][rng.int(3)],
        costMax: [0.1, 0.3, 0.6][rng.int(3)],
        theta: rng.next() < 0.2 ? { kind: 'constant', value: 0 } : undefined,
      });
      const bf = bruteForceGrid(inst, D);
      const r = hopPortions(inst, D);
      expect(r.objective).toBeCloseTo(bf, 9);
      expect(total(r.units)).toBeLessThanOrEqual(D);
      const sol = solveCcs(inst, { algo: 'hop', delta: 1 / D });
      expect(sol.welfare).toBeCloseTo(bf, 9);
      expect(sol.welfare).toBe(greatestEquilibriumBinary(inst, sol.p).welfare);
      expect(total(sol.p)).toBeLessThanOrEqual(1 + 1e-9);
      expect(sol.meta?.objective).toBe(r.objective);
    }
  });

  it('documented example: the child is cheaper once its parent is active', () => {
    const inst = createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5], edges: [[0, 1, 1]] });
    const r = hopPortions(inst, 4);
    expect(Array.from(r.p)).toEqual([0.5, 0.25]);
    expect(Array.from(r.units)).toEqual([2, 1]);
    expect(r.objective).toBe(3);
  });

  it('matches the closed form on constant chains', () => {
    for (const [th, w, c, D, n] of [
      [0.5, 0.5, 0.1, 10, 50],
      [0.3, 0.9, 0.05, 20, 7],
      [1, 0.2, 0.3, 10, 30],
      [0.2, 0.2, 0.5, 10, 30], // π0 > D: nobody can start the chain
    ] as const) {
      const inst = chainInstance(n, { theta: th, weight: w, cost: c });
      const pi0 = Math.ceil((c * D) / th - 1e-9);
      const pi1 = Math.ceil((c * D) / (th + w) - 1e-9);
      const L = pi0 > D ? 0 : Math.min(n, 1 + Math.floor((D - pi0) / pi1));
      const expected = L === 0 ? 0 : th + (L - 1) * (th + w);
      const sol = solveCcs(inst, { algo: 'hop', delta: 1 / D });
      expect(sol.welfare).toBeCloseTo(expected, 12);
      expect(sol.active.length).toBe(L);
    }
  });

  it('handles a 10⁵-node chain without recursion (δ = 0.1) in well under a few seconds', () => {
    const inst = chainInstance(100_000);
    const t0 = performance.now();
    const sol = solveCcs(inst, { algo: 'hop', delta: 0.1 });
    const ms = performance.now() - t0;
    expect(sol.welfare).toBeCloseTo(8.5, 12); // π0 = 2, π1 = 1 units: one run of 9 players
    expect(sol.meta?.objective).toBeCloseTo(8.5, 12);
    expect(sol.active.length).toBe(9);
    expect(sol.active[8]! - sol.active[0]!).toBe(8);
    expect(ms).toBeLessThan(10_000);
  });

  it('handles 10⁵-node random chains, stars and recursive trees; welfare = DP value', () => {
    for (const shape of ['chain', 'star', 'random'] as const) {
      const inst = randomForest(Rng.seed('ccs-hop/large').split(shape), {
        n: 100_000,
        shape,
        rootProb: 0.001,
        costMax: 0.05,
        // a quarter of the players are free, so the equilibrium is large and deep
        cost: { kind: 'custom', mean: 0.01, sample: (r) => (r.next() < 0.25 ? 0 : 0.05 * r.next()) },
      });
      const t0 = performance.now();
      const sol = solveCcs(inst, { algo: 'hop', delta: 0.1 });
      const ms = performance.now() - t0;
      expect(sol.welfare).toBeCloseTo(sol.meta!.objective!, 6);
      expect(sol.active.length).toBeGreaterThan(10_000);
      expect(total(sol.p)).toBeLessThanOrEqual(1 + 1e-9);
      expect(ms).toBeLessThan(10_000);
    }
  });

  it('a finer grid on a medium tree (n = 2000, δ = 0.01)', () => {
    const inst = randomForest(Rng.seed('ccs-hop/fine'), { n: 2000, costMax: 0.05 });
    const sol = solveCcs(inst, { algo: 'hop', delta: 0.01 });
    expect(sol.welfare).toBeCloseTo(sol.meta!.objective!, 9);
    // the δ = 0.01 optimum is at least the δ = 0.05 one (the coarser grid is a subset)
    expect(sol.welfare).toBeGreaterThanOrEqual(solveCcs(inst, { algo: 'hop', delta: 0.05 }).welfare - 1e-9);
  });
});

describe('HOP input structure', () => {
  it('rejects a player with two parents, naming it', () => {
    const e = notForest(
      createCcsInstance({
        theta: [1, 1, 1],
        cost: [0.1, 0.1, 0.1],
        edges: [
          [0, 2, 0.5],
          [1, 2, 0.5],
        ],
      }),
    );
    expect(e.message).toBe(
      'edges: player 2 has 2 incoming edges (from 0 and 1); the hop solver needs a forest (at most one parent per player, no cycles)',
    );
    expect(e.field).toBe('edges');
  });

  it('rejects cycles (with or without trees hanging off them), naming a player on the cycle', () => {
    const two = notForest(
      createCcsInstance({
        theta: [1, 1],
        cost: [0.1, 0.1],
        edges: [
          [0, 1, 1],
          [1, 0, 1],
        ],
      }),
    );
    expect(two.message).toMatch(/player [01] lies on a cycle \(([01]) → [01] → \1\)/);
    const tail = notForest(
      createCcsInstance({
        theta: [1, 1, 1, 1, 1],
        cost: [0.1, 0.1, 0.1, 0.1, 0.1],
        edges: [
          [0, 1, 1], // a proper tree 0 → 1
          [2, 3, 1], // cycle 2 → 3 → 4 → 2
          [3, 4, 1],
          [4, 2, 1],
        ],
      }),
    );
    expect(tail.message).toMatch(/player [234] lies on a cycle \([234] → [234] → [234] → [234]\)/);
  });

  it('forestStructure: parents and a post-order with every child before its parent', () => {
    const inst = randomForest(Rng.seed('ccs-hop/structure'), { n: 500, rootProb: 0.05 });
    const { parent, postOrder } = forestStructure(inst);
    const pos = new Int32Array(inst.n);
    postOrder.forEach((v, t) => (pos[v] = t));
    expect(new Set(postOrder).size).toBe(inst.n);
    for (let i = 0; i < inst.n; i++) {
      const deg = inst.graph.inStart[i + 1]! - inst.graph.inStart[i]!;
      expect(parent[i]).toBe(deg === 0 ? -1 : inst.graph.inFrom[inst.graph.inStart[i]!]);
      if (parent[i]! >= 0) expect(pos[i]!).toBeLessThan(pos[parent[i]!]!);
    }
  });

  it('refuses non-binary families', () => {
    const quad = createCcsInstance({ theta: [1], cost: [0.1], costFamily: 'quadratic' });
    expect(() => solveCcs(quad, { algo: 'hop' })).toThrow(/the hop solver needs linear cost/);
  });
});
