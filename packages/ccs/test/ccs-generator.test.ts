import { Rng } from '@mechlab/core';
import {
  asymptoticPrediction,
  createCcsInstance,
  graphEdges,
  randomCcsInstance,
  randomForest,
  solveCcs,
  type CcsDistribution,
  type CcsInstance,
} from '@mechlab/ccs';
import { chainInstance } from '../src/generator/forest';
import { distributionMean, distributionQuantile, distributionVariance } from '../src/generator/distribution';
import { forestStructure } from '../src/solvers/hop';
import { expectMechlabError } from '@mechlab/core/testing';

function sameInstance(a: CcsInstance, b: CcsInstance): void {
  expect(a.n).toBe(b.n);
  expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
  expect(Array.from(a.cost)).toEqual(Array.from(b.cost));
  for (const key of ['inStart', 'inFrom', 'inWeight', 'outStart', 'outTo', 'outWeight'] as const) {
    expect(Array.from(a.graph[key])).toEqual(Array.from(b.graph[key]));
  }
  expect(a.graph.edgeCount).toBe(b.graph.edgeCount);
}

describe('randomCcsInstance (Erdős–Rényi, geometric skipping)', () => {
  it('is deterministic, and θ, c do not depend on ρ (separate streams)', () => {
    const a = randomCcsInstance(Rng.seed('gen/det'), { n: 200, rho: 0.05 });
    const b = randomCcsInstance(Rng.seed('gen/det'), { n: 200, rho: 0.05 });
    sameInstance(a, b);
    const c = randomCcsInstance(Rng.seed('gen/det'), { n: 200, rho: 0.2 });
    expect(Array.from(c.theta)).toEqual(Array.from(a.theta));
    expect(Array.from(c.cost)).toEqual(Array.from(a.cost));
    expect(c.graph.edgeCount).toBeGreaterThan(a.graph.edgeCount);
    const d = randomCcsInstance(Rng.seed('gen/det2'), { n: 200, rho: 0.05 });
    expect(Array.from(d.theta)).not.toEqual(Array.from(a.theta));
  });

  it('builds exactly the CSR layout createCcsInstance builds (valid: no loops, no repeats)', () => {
    for (const [n, rho] of [
      [1, 0.5],
      [2, 1],
      [50, 1],
      [300, 0.05],
      [40, 0],
    ] as const) {
      const inst = randomCcsInstance(Rng.seed('gen/csr').split(n, rho), { n, rho });
      // createCcsInstance validates: it would throw on a self loop or a repeated pair
      const rebuilt = createCcsInstance({
        theta: inst.theta,
        cost: inst.cost,
        edges: graphEdges(inst.graph),
      });
      sameInstance(inst, rebuilt);
      if (rho === 1) expect(inst.graph.edgeCount).toBe(n * (n - 1));
      if (rho === 0) expect(inst.graph.edgeCount).toBe(0);
    }
  });

  it('edge counts, endpoints and weights have the right distribution', () => {
    const n = 1500,
      rho = 0.02;
    const inst = randomCcsInstance(Rng.seed('gen/stats'), { n, rho, wMax: 2 });
    const slots = n * (n - 1);
    const m = inst.graph.edgeCount;
    expect(Math.abs(m - rho * slots)).toBeLessThan(5 * Math.sqrt(slots * rho * (1 - rho)));
    let up = 0;
    let wSum = 0;
    const outDeg: number[] = [];
    for (let j = 0; j < n; j++) {
      outDeg.push(inst.graph.outStart[j + 1]! - inst.graph.outStart[j]!);
      for (let k = inst.graph.outStart[j]!; k < inst.graph.outStart[j + 1]!; k++) {
        if (inst.graph.outTo[k]! > j) up++;
        wSum += inst.graph.outWeight[k]!;
      }
    }
    // direction is unbiased, weights ~ U[0, 2] (sd 2/√12), out-degrees ~ Binomial(n−1, ρ)
    expect(Math.abs(up / m - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / m));
    expect(Math.abs(wSum / m - 1)).toBeLessThan((5 * (2 / Math.sqrt(12))) / Math.sqrt(m));
    const mean = outDeg.reduce((s, x) => s + x, 0) / n;
    const variance = outDeg.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
    expect(variance / ((n - 1) * rho * (1 - rho))).toBeGreaterThan(0.85);
    expect(variance / ((n - 1) * rho * (1 - rho))).toBeLessThan(1.15);
    // θ and c ~ U[0, 1]
    expect(Math.abs(inst.theta.reduce((s, x) => s + x, 0) / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(inst.cost.reduce((s, x) => s + x, 0) / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
  });

  it('scales as O(n + |E|): n = 10⁶ with a tiny ρ', () => {
    const n = 1_000_000,
      rho = 5e-8;
    const t0 = performance.now();
    const inst = randomCcsInstance(Rng.seed('gen/scale'), { n, rho });
    const ms = performance.now() - t0;
    const mean = rho * n * (n - 1);
    expect(Math.abs(inst.graph.edgeCount - mean)).toBeLessThan(5 * Math.sqrt(mean));
    expect(ms).toBeLessThan(20_000);
  });

  it('pluggable distributions and cost families', () => {
    const rng = Rng.seed('gen/dists');
    const inst = randomCcsInstance(rng, {
      n: 3000,
      rho: 0.001,
      theta: { kind: 'constant', value: 0.7 },
      cost: { kind: 'exponential', mean: 0.2 },
      weight: { kind: 'custom', mean: 3, sample: () => 3 },
      costFamily: 'quadratic',
    });
    expect(inst.costFamily).toBe('quadratic');
    expect(inst.theta.every((x) => x === 0.7)).toBe(true);
    expect(inst.graph.outWeight.every((x) => x === 3)).toBe(true);
    const cm = inst.cost.reduce((s, x) => s + x, 0) / inst.n;
    expect(Math.abs(cm - 0.2)).toBeLessThan((5 * 0.2) / Math.sqrt(inst.n));
    const u = randomCcsInstance(rng, { n: 2000, rho: 0, thetaMax: 3, costMax: 0 });
    expect(Math.max(...u.theta)).toBeLessThanOrEqual(3);
    expect(Math.max(...u.theta)).toBeGreaterThan(2.9);
    expect(u.cost.every((x) => x === 0)).toBe(true);
  });

  it('validates its options', () => {
    const rng = Rng.seed('gen/validate');
    expectMechlabError(
      () => randomCcsInstance(rng, { n: 0, rho: 0.1 }),
      'ERR_OUT_OF_RANGE',
      'n must be ≥ 1, got 0',
    );
    expectMechlabError(
      () => randomCcsInstance(rng, { n: 5, rho: 1.5 }),
      'ERR_OUT_OF_RANGE',
      'rho must be ≤ 1, got 1.5',
    );
    expectMechlabError(
      () => randomCcsInstance(rng, { n: 5, rho: 0.1, thetaMax: -1 }),
      'ERR_OUT_OF_RANGE',
      /thetaMax/,
    );
    expectMechlabError(
      () => randomCcsInstance(rng, { n: 5, rho: 0.1, cost: { kind: 'uniform', min: 2, max: 1 } }),
      'ERR_OUT_OF_RANGE',
      'cost.max must be a finite number ≥ min (2), got 1',
    );
    expectMechlabError(
      () => randomCcsInstance(rng, { n: 5, rho: 0.1, theta: { kind: 'custom', mean: 0, sample: () => -1 } }),
      'ERR_OUT_OF_RANGE',
      /custom sample must be a finite number ≥ 0, got -1/,
    );
    expectMechlabError(
      () => randomCcsInstance(rng, { n: 5, rho: 0.1, cost: { kind: 'beta' } as unknown as CcsDistribution }),
      'ERR_INVALID_INPUT',
      'cost.kind must be one of "uniform", "constant", "exponential", "custom", got "beta"',
    );
    expectMechlabError(() => randomForest(rng, { n: 5, rootProb: 2 }), 'ERR_OUT_OF_RANGE', /rootProb/);
  });
});

describe('randomForest and chainInstance', () => {
  it('random, chain and star shapes are forests with the requested structure', () => {
    for (const shape of ['random', 'chain', 'star'] as const) {
      for (const rootProb of [0, 0.3, 1]) {
        const n = 300;
        const inst = randomForest(Rng.seed('gen/forest').split(shape, rootProb), { n, shape, rootProb });
        const { parent } = forestStructure(inst); // throws unless a forest
        expect(parent[0]).toBe(-1);
        let roots = 0;
        for (let i = 0; i < n; i++) {
          if (parent[i] === -1) {
            roots++;
            continue;
          }
          expect(parent[i]!).toBeLessThan(i);
          if (shape === 'chain') expect(parent[i]).toBe(i - 1);
          if (shape === 'star') expect(parent[i]).toBe(0);
        }
        if (rootProb === 0) expect(roots).toBe(1);
        if (rootProb === 1) expect(roots).toBe(n);
        if (rootProb === 0.3)
          expect(Math.abs(roots - 1 - 0.3 * (n - 1))).toBeLessThan(5 * Math.sqrt(0.21 * n));
      }
    }
  });

  it('chainInstance is the documented path', () => {
    const inst = chainInstance(5, { theta: 0.2, weight: 0.7, cost: 0.05 });
    expect(graphEdges(inst.graph)).toEqual([
      [0, 1, 0.7],
      [1, 2, 0.7],
      [2, 3, 0.7],
      [3, 4, 0.7],
    ]);
    expect(Array.from(inst.theta)).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(chainInstance(1).graph.edgeCount).toBe(0);
    expectMechlabError(() => chainInstance(3, { cost: -1 }), 'ERR_OUT_OF_RANGE', 'cost must be ≥ 0, got -1');
  });
});

describe('asymptoticPrediction (Corollary 13)', () => {
  it('closed-form limits for uniform and constant costs', () => {
    for (const [rho, wMax, costMax] of [
      [0.1, 1, 1],
      [0.3, 1, 4],
      [0.5, 2, 0.5],
      [0.02, 1, 0.5],
    ] as const) {
      const pr = asymptoticPrediction({ n: 1000, rho, wMax, costMax });
      const alpha = Math.min(1, (rho * wMax) / costMax);
      expect(pr.limitFraction).toBeCloseTo(alpha, 12);
      expect(pr.limitWelfarePerN2).toBeCloseTo(rho * (wMax / 2) * alpha * alpha, 12);
      expect(pr.fraction).toBe(pr.players / 1000);
      expect(pr.welfare).toBeCloseTo(pr.players * (0.5 + (pr.players - 1) * rho * (wMax / 2)), 9);
      expect(pr.players).toBeLessThanOrEqual(pr.firstOrderPlayers);
    }
    // costs bounded away from zero beyond ρμ_w: nobody in the limit
    expect(
      asymptoticPrediction({ n: 100, rho: 0.1, cost: { kind: 'uniform', min: 0.2, max: 1 } }).limitFraction,
    ).toBe(0);
    expect(
      asymptoticPrediction({ n: 100, rho: 0.5, cost: { kind: 'constant', value: 0.2 } }).limitFraction,
    ).toBe(1);
    // the finite-n count converges to α∞·n
    const big = asymptoticPrediction({ n: 200_000, rho: 0.05 });
    expect(big.fraction / big.limitFraction).toBeGreaterThan(0.995);
  });

  it('exponential costs: closed form and a custom quantile agree', () => {
    const exp: CcsDistribution = { kind: 'exponential', mean: 0.3 };
    const custom: CcsDistribution = {
      kind: 'custom',
      mean: 0.3,
      variance: 0.09,
      sample: (r) => r.exponential(1 / 0.3),
      quantile: (u) => -0.3 * Math.log1p(-u),
    };
    const a = asymptoticPrediction({ n: 2000, rho: 0.2, cost: exp });
    const b = asymptoticPrediction({ n: 2000, rho: 0.2, cost: custom });
    expect(b.players).toBe(a.players);
    expect(b.limitFraction).toBeCloseTo(a.limitFraction, 4);
    // G(α)/α = ρμ_w at α∞ (mean of the quantile on [0, α∞])
    const al = a.limitFraction;
    const g = (0.3 * ((1 - al) * Math.log1p(-al) + al)) / al;
    expect(g).toBeCloseTo(0.2 * 0.5, 9);
    expect(distributionMean(exp)).toBe(0.3);
    expect(distributionVariance(exp)).toBeCloseTo(0.09, 15);
    expect(distributionQuantile(exp, 0.5)).toBeCloseTo(0.3 * Math.LN2, 15);
    expectMechlabError(
      () => asymptoticPrediction({ n: 10, rho: 0.2, cost: { kind: 'custom', mean: 1, sample: () => 1 } }),
      'ERR_INVALID_INPUT',
      /quantile/,
    );
  });

  it('matches Monte Carlo means of GCS at large n (loose tolerance)', () => {
    for (const [n, rho, costMax] of [
      [500, 0.4, 1],
      [400, 0.6, 2],
    ] as const) {
      const reps = 5;
      let k = 0;
      let sw = 0;
      for (let r = 0; r < reps; r++) {
        const inst = randomCcsInstance(Rng.seed('gen/mc').split(n, rho, costMax, r), { n, rho, costMax });
        const sol = solveCcs(inst, { algo: 'gcs' });
        k += sol.active.length / reps;
        sw += sol.welfare / reps;
      }
      const pr = asymptoticPrediction({ n, rho, costMax });
      expect(Math.abs(k / pr.players - 1)).toBeLessThan(0.06);
      expect(Math.abs(sw / pr.welfare - 1)).toBeLessThan(0.12);
      expect(Math.abs(k / (pr.limitFraction * n) - 1)).toBeLessThan(0.08);
    }
  });
});
