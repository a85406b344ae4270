/**
 * Wasted provision (seed 003 abstract, "inefficient provision"; README "Outputs"): supply committed and
 * costs sunk on instances that miss τ. A brute-force differential test (exact expectation over the shocks
 * by enumerating every contributor set of small instances vs the Monte Carlo mean of `runSubsidy`), exact
 * per-instance references on random parameter sets (fast-check), and the unit cases of `wastedProvision`.
 */
import fc from 'fast-check';
import { Rng } from '@mechlab/core';
import { CONTRIBUTION_DEFAULTS, simulateContributionInstance } from '@mechlab/contribution';
import {
  drawContributionInstance,
  postedSubsidy,
  validateContributionParams,
  wastedProvision,
  type ContributionInstance,
  type ContributionParams,
} from '../src/model';
import { runSubsidy } from '../src/mechanisms';

const P = CONTRIBUTION_DEFAULTS;

describe('wastedProvision', () => {
  it('is zero on a crossing, and supply / sunk share × committed cost on a miss', () => {
    expect(wastedProvision(true, 20, 5, 1)).toEqual({ wastedSupply: 0, sunkCost: 0 });
    expect(wastedProvision(false, 12, 3, 0.5)).toEqual({ wastedSupply: 12, sunkCost: 1.5 });
    expect(wastedProvision(false, 12, 3, 0)).toEqual({ wastedSupply: 12, sunkCost: 0 });
    expect(wastedProvision(false, 0, 0, 1)).toEqual({ wastedSupply: 0, sunkCost: 0 });
  });
});

/**
 * Exact E[wastedSupply] and E[sunkCost] of the posted subsidy over the shocks, the base costs and
 * capacities fixed: contributions are independent (user i provides qᵢ iff cᵢ + εᵢ ≤ s, probability
 * pᵢ = 1 − π·e^{−(s−cᵢ)/η} for s ≥ cᵢ), so enumerate all 2ⁿ contributor sets S and sum, over the sets
 * that miss τ, P(S)·Σ_S qᵢ and Σ_{i∈S} qᵢ·E[c̃ᵢ·1{c̃ᵢ ≤ s}]·Π_{S∖i} p·Π_{∉S}(1 − p), with
 * E[c̃·1{c̃ ≤ s}] = c·p + π(η − (e + η)e^{−e/η}), e = s − c (the truncated exponential mean).
 */
function bruteForceSubsidyWaste(
  inst: ContributionInstance,
  p: ContributionParams,
  s: number,
): { wastedSupply: number; sunkCost: number } {
  const n = p.n;
  const prob = new Float64Array(n);
  const costMass = new Float64Array(n); // E[c̃ᵢ·1{c̃ᵢ ≤ s}]
  const pi = p.shockProb,
    eta = p.shockMean;
  for (let i = 0; i < n; i++) {
    const e = s - inst.cost[i]!;
    if (e < 0) continue;
    prob[i] = 1 - pi * Math.exp(-e / eta);
    costMass[i] = inst.cost[i]! * prob[i]! + pi * (eta - (e + eta) * Math.exp(-e / eta));
  }
  let wastedSupply = 0,
    sunkCost = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let supply = 0,
      pS = 1;
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        supply += inst.capacity[i]!;
        pS *= prob[i]!;
      } else pS *= 1 - prob[i]!;
    }
    if (supply >= p.tau * (1 - 1e-9)) continue; // crossed: nothing wasted
    wastedSupply += pS * supply;
    for (let i = 0; i < n; i++) {
      if (!(mask & (1 << i))) continue;
      let rest = 1;
      for (let l = 0; l < n; l++) {
        if (l === i) continue;
        rest *= mask & (1 << l) ? prob[l]! : 1 - prob[l]!;
      }
      sunkCost += inst.capacity[i]! * costMass[i]! * rest;
    }
  }
  return { wastedSupply, sunkCost };
}

describe('differential: exact expectation by enumeration = Monte Carlo mean of runSubsidy', () => {
  const cases: Partial<ContributionParams>[] = [
    { n: 8, tau: 3, shockProb: 0.3, shockMean: 0.4 },
    { n: 8, tau: 5, shockProb: 0.5, shockMean: 0.2, subsidyTarget: 1.2 },
    { n: 10, tau: 2, shockProb: 0.2, shockMean: 1, capLo: 0.3, capHi: 0.9 },
    { n: 6, tau: 4, shockProb: 0.4, shockMean: 0.3, costLo: 0.1, costHi: 0.6 },
  ];
  it.each(cases.map((c, k) => [k, c] as const))('case %i', (k, over) => {
    const p = validateContributionParams({ ...P, ...over });
    const s = postedSubsidy(p);
    const base = drawContributionInstance(Rng.fromPath(['waste', k]), p);
    const exact = bruteForceSubsidyWaste(base, p, s);
    expect(exact.wastedSupply).toBeGreaterThan(0.05); // non-vacuous: misses with committed data are common
    const rng = Rng.fromPath(['waste-mc', k]);
    const reps = 40_000;
    const shock = new Float64Array(p.n);
    const inst: ContributionInstance = { ...base, shock };
    let sw = 0,
      sw2 = 0,
      sc = 0,
      sc2 = 0;
    for (let r = 0; r < reps; r++) {
      for (let i = 0; i < p.n; i++) {
        shock[i] = rng.next() < p.shockProb ? p.shockMean * rng.exponential(1) : 0;
      }
      const o = runSubsidy(inst, p, s);
      sw += o.wastedSupply;
      sw2 += o.wastedSupply ** 2;
      sc += o.sunkCost;
      sc2 += o.sunkCost ** 2;
    }
    const check = (sum: number, sum2: number, want: number): void => {
      const mean = sum / reps;
      const se = Math.sqrt(Math.max(0, sum2 / reps - mean * mean) / reps);
      expect(Math.abs(mean - want)).toBeLessThan(4 * se + 1e-12);
    };
    check(sw, sw2, exact.wastedSupply);
    check(sc, sc2, exact.sunkCost);
  });
});

const paramsArb: fc.Arbitrary<ContributionParams> = fc
  .record({
    n: fc.integer({ min: 5, max: 40 }),
    tauShare: fc.double({ min: 0.05, max: 0.8, noNaN: true }),
    shockProb: fc.double({ min: 0, max: 0.5, noNaN: true }),
    shockMean: fc.double({ min: 0, max: 1, noNaN: true }),
    irreversibility: fc.double({ min: 0, max: 1, noNaN: true }),
    valueHi: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((r) => ({
    ...P,
    n: r.n,
    tau: r.tauShare * r.n,
    shockProb: r.shockProb,
    shockMean: r.shockMean,
    irreversibility: r.irreversibility,
    valueHi: r.valueHi,
  }));

describe('per instance (fast-check)', () => {
  it('wasted supply is the supply of a miss; sunk costs match a brute-force recount', () => {
    let misses = 0;
    fc.assert(
      fc.property(paramsArb, fc.integer({ min: 0, max: 1e6 }), (p, seed) => {
        validateContributionParams(p);
        const rng = Rng.fromPath(['waste-prop', seed]);
        const inst = drawContributionInstance(rng.split(0), p);
        const o = simulateContributionInstance(rng.split(0), p);
        const s = postedSubsidy(p);
        let maxCost = 0,
          subsidyCost = 0;
        for (let i = 0; i < p.n; i++) {
          const c = inst.cost[i]! + inst.shock[i]!;
          maxCost = Math.max(maxCost, c);
          if (c <= s) subsidyCost += c * inst.capacity[i]!;
        }
        for (const m of [o.subsidy, o.simultaneous, o.sequential]) {
          expect(m.wastedSupply).toBe(m.crossed === 1 ? 0 : m.supply);
          if (m.crossed === 1) expect(m.sunkCost).toBe(0);
          expect(m.sunkCost).toBeGreaterThanOrEqual(0);
        }
        const sub = o.subsidy;
        if (sub.crossed === 0) {
          misses++;
          // every contributor's c̃ ≤ s, so the sunk cost never exceeds the leakage s·wastedSupply
          expect(sub.leakage).toBeCloseTo(s * sub.wastedSupply, 9);
          expect(sub.sunkCost).toBeCloseTo(subsidyCost, 9);
          expect(sub.sunkCost).toBeLessThanOrEqual(sub.leakage + 1e-12);
        }
        for (const m of [o.simultaneous, o.sequential]) {
          // only the share ρ of a stayer's realised cost is sunk
          expect(m.sunkCost).toBeLessThanOrEqual(p.irreversibility * maxCost * m.wastedSupply + 1e-9);
          if (p.irreversibility === 0) expect(m.sunkCost).toBe(0);
        }
        const fullyReversible = simulateContributionInstance(rng.split(0), { ...p, irreversibility: 0 });
        expect(fullyReversible.simultaneous.sunkCost).toBe(0);
        expect(fullyReversible.sequential.sunkCost).toBe(0);
      }),
      { numRuns: 150, seed: 16 },
    );
    expect(misses).toBeGreaterThan(20); // the subsidy branch above is exercised
  });
});
