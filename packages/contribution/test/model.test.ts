import fc from 'fast-check';
import { Rng, parseWithSchema } from '@mechlab/core';
import { expectMechlabError } from '@mechlab/core/testing';
import { CONTRIBUTION_DEFAULTS, simulateContributionInstance } from '@mechlab/contribution';
import {
  contributionParamsSchema,
  drawContributionInstance,
  postedSubsidy,
  realisedCostCdf,
  validateContributionParams,
  type ContributionParams,
} from '../src/model';
import { assignBurdens, runSequential, runSimultaneous, stayCutoff } from '../src/mechanisms';

const P = CONTRIBUTION_DEFAULTS;

describe('posted subsidy', () => {
  it('without shocks is the cost quantile τ / (n·E[q])', () => {
    expect(postedSubsidy({ ...P, shockProb: 0 })).toBeCloseTo(0.2, 12);
    expect(postedSubsidy({ ...P, shockMean: 0, tau: 35 })).toBeCloseTo(0.35, 12);
    expect(postedSubsidy({ ...P, shockProb: 0, subsidyTarget: 1.5 })).toBeCloseTo(0.3, 12);
  });

  it('with shocks solves n·E[q]·F(s) = κτ, and F matches Monte Carlo', () => {
    const s = postedSubsidy(P);
    expect(realisedCostCdf(s, P)).toBeCloseTo(0.2, 10);
    expect(s).toBeGreaterThan(0.2); // shocks raise costs, so the subsidy must rise
    const rng = Rng.seed('cdf');
    let hits = 0,
      total = 0;
    for (let r = 0; r < 40; r++) {
      const inst = drawContributionInstance(rng.split(r), P);
      for (let i = 0; i < P.n; i++, total++) if (inst.cost[i]! + inst.shock[i]! <= 0.35) hits++;
    }
    const f = realisedCostCdf(0.35, P);
    expect(Math.abs(hits / total - f)).toBeLessThan(4 * Math.sqrt((f * (1 - f)) / total));
  });
});

describe('assignment', () => {
  it('covers τ exactly with the cheapest users, at the next reported cost plus the premium', () => {
    const p = { ...P, premium: 0.05 };
    const inst = drawContributionInstance(Rng.seed(3), p);
    const a = assignBurdens(inst, p)!;
    let total = 0;
    for (let j = 0; j < a.k; j++) total += a.burden[j]!;
    expect(total).toBeCloseTo(p.tau, 9);
    for (let j = 0; j < a.k - 1; j++) expect(a.burden[j]).toBe(inst.capacity[a.byCost[j]!]); // full capacity
    for (let j = 1; j < p.n; j++)
      expect(inst.cost[a.byCost[j]!]!).toBeGreaterThanOrEqual(inst.cost[a.byCost[j - 1]!]!);
    expect(a.price).toBeCloseTo(inst.cost[a.byCost[a.k]!]! + 0.05, 12);
  });

  it('returns null when total capacity is below τ — a null outcome for both protocols', () => {
    const p = { ...P, n: 5, tau: 6, subsidyTarget: 0.5 };
    validateContributionParams(p);
    const inst = drawContributionInstance(Rng.seed(1), p);
    expect(assignBurdens(inst, p)).toBeNull();
    for (const o of [runSimultaneous(inst, p), runSequential(inst, p)]) {
      expect(o).toEqual({
        crossed: 0,
        totalCost: 0,
        leakage: 0,
        participants: 0,
        supply: 0,
        wastedSupply: 0,
        sunkCost: 0,
      });
    }
  });
});

describe('contributionParamsSchema (for a sweep-engine registration)', () => {
  it('fills defaults and enforces the cross-field constraints', () => {
    expect(contributionParamsSchema.parse({})).toEqual(CONTRIBUTION_DEFAULTS);
    expect(contributionParamsSchema.parse({ tau: 10 }).n).toBe(100);
    const r = contributionParamsSchema.safeParse({ costLo: 0.5, costHi: 0.4 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['costHi'] });
    expectMechlabError(
      () => parseWithSchema(contributionParamsSchema, { costLo: 0.5, costHi: 0.4 }, 'spec.params'),
      {
        code: 'ERR_OUT_OF_RANGE',
        field: 'spec.params.costHi',
        message: 'spec.params.costHi must be > costLo = 0.5, got 0.4',
      },
    );
    expectMechlabError(() => parseWithSchema(contributionParamsSchema, { bogus: 1 }, 'spec.params'), {
      code: 'ERR_INVALID_INPUT',
      field: 'spec.params',
      message: 'spec.params has unknown key "bogus"',
    });
  });
});

describe('validateContributionParams: one MechlabError naming the field', () => {
  it.each([
    [{ tau: -1 }, 'ERR_OUT_OF_RANGE', 'tau', 'tau must be > 0, got -1'],
    [{ n: 2.5 }, 'ERR_INVALID_TYPE', 'n', 'n must be an integer, got 2.5'],
    [{ n: 200_000 }, 'ERR_OUT_OF_RANGE', 'n', 'n must be ≤ 100000, got 200000'],
    [{ shockProb: 1.5 }, 'ERR_OUT_OF_RANGE', 'shockProb', 'shockProb must be ≤ 1, got 1.5'],
    [{ premium: Infinity }, 'ERR_OUT_OF_RANGE', 'premium', 'premium must be a finite number, got Infinity'],
    [{ valueHi: NaN }, 'ERR_INVALID_TYPE', 'valueHi', 'valueHi must be a number, got NaN'],
    [{ tau: undefined }, 'ERR_INVALID_TYPE', 'tau', 'tau must be a number, got nothing'],
    [
      { sequentialOrder: 'middle' },
      'ERR_INVALID_INPUT',
      'sequentialOrder',
      /^sequentialOrder must be one of "small-first", "large-first"/,
    ],
    [{ bogus: 1 }, 'ERR_INVALID_INPUT', 'input', 'input has unknown key "bogus"'],
    [{ costLo: 0.5, costHi: 0.5 }, 'ERR_OUT_OF_RANGE', 'costHi', 'costHi must be > costLo = 0.5, got 0.5'],
    [{ capLo: 2, capHi: 1 }, 'ERR_OUT_OF_RANGE', 'capHi', 'capHi must be ≥ capLo = 2, got 1'],
    [{ n: 10, tau: 10 }, 'ERR_OUT_OF_RANGE', 'tau', 'tau must be < n·E[capacity]/subsidyTarget = 10, got 10'],
  ] as const)('%j → %s at %s', (over, code, field, message) => {
    expectMechlabError(() => validateContributionParams({ ...P, ...over } as ContributionParams), {
      code,
      field,
      message,
    });
  });

  it('appends `where` and rejects a non-object', () => {
    expectMechlabError(() => validateContributionParams({ ...P, tau: 0 }, ' (grid point 3)'), {
      field: 'tau',
      message: 'tau must be > 0, got 0 (grid point 3)',
    });
    expectMechlabError(() => validateContributionParams(5 as unknown as ContributionParams), {
      code: 'ERR_INVALID_TYPE',
      field: 'input',
    });
  });
});

describe('stay cutoff', () => {
  it('is price + b/d with certainty, 0 with no hope, and increasing in Q when ρ > 0', () => {
    expect(stayCutoff(1, 0.3, 2, 0.4, 0.5)).toBeCloseTo(0.5, 12);
    expect(stayCutoff(0, 0.3, 2, 0.4, 0.5)).toBe(0);
    let prev = 0;
    for (let q = 0.05; q <= 1; q += 0.05) {
      const x = stayCutoff(q, 0.3, 2, 0.4, 0.5);
      expect(x).toBeGreaterThan(prev);
      prev = x;
    }
    expect(stayCutoff(0.1, 0.3, 2, 0.4, 0)).toBeCloseTo(0.5, 12); // fully reversible: beliefs do not matter
  });
});

const paramsArb: fc.Arbitrary<ContributionParams> = fc
  .record({
    n: fc.integer({ min: 5, max: 60 }),
    tauShare: fc.double({ min: 0.02, max: 0.9, noNaN: true }),
    capLo: fc.double({ min: 0.2, max: 1.5, noNaN: true }),
    capSpread: fc.double({ min: 0, max: 2, noNaN: true }),
    valueHi: fc.double({ min: 0, max: 1, noNaN: true }),
    shockProb: fc.double({ min: 0, max: 0.4, noNaN: true }),
    shockMean: fc.double({ min: 0, max: 1, noNaN: true }),
    irreversibility: fc.double({ min: 0, max: 1, noNaN: true }),
    premium: fc.double({ min: 0, max: 0.3, noNaN: true }),
    large: fc.boolean(),
  })
  .map((r) => {
    const capHi = r.capLo + r.capSpread;
    return {
      ...P,
      n: r.n,
      tau: r.tauShare * r.n * ((r.capLo + capHi) / 2),
      capLo: r.capLo,
      capHi,
      valueHi: r.valueHi,
      shockProb: r.shockProb,
      shockMean: r.shockMean,
      irreversibility: r.irreversibility,
      premium: r.premium,
      sequentialOrder: r.large ? 'large-first' : 'small-first',
    };
  });

describe('structural properties on every instance (fast-check)', () => {
  it('sequential dominates simultaneous: crossing ⇒ crossing at the same cost; never cheaper; no leakage', () => {
    fc.assert(
      fc.property(paramsArb, fc.integer({ min: 0, max: 1e6 }), (p, seed) => {
        validateContributionParams(p);
        const o = simulateContributionInstance(Rng.fromPath(['prop', seed]), p);
        const sim = o.simultaneous,
          seq = o.sequential;
        if (sim.crossed === 1) {
          expect(seq.crossed).toBe(1);
          expect(seq.totalCost).toBeCloseTo(sim.totalCost, 9);
          expect(seq.participants).toBe(sim.participants);
        }
        expect(sim.totalCost).toBeLessThanOrEqual(seq.totalCost + 1e-9);
        expect(sim.leakage).toBe(0);
        expect(seq.leakage).toBe(0);
        expect(o.subsidy.leakage).toBe(o.subsidy.crossed === 1 ? 0 : o.subsidy.totalCost);
        for (const m of [o.subsidy, sim, seq]) {
          expect(m.crossed === 1).toBe(m.supply >= p.tau * (1 - 1e-9));
          expect(Number.isFinite(m.totalCost) && m.totalCost >= 0).toBe(true);
        }
      }),
      { numRuns: 120, seed: 42 },
    );
  });
});
