/**
 * `coalition.market` against the decision guide it extends: with no score jitter every instance is the
 * guide's deterministic market, so its values must equal `runCoalitionGuide`'s on random grid points;
 * with jitter the values move, stay finite, and the MPW shares stay consistent.
 */
import fc from 'fast-check';
import { Rng } from '@mechlab/core';
import { coalitionMarket, coalitionPresets, runCoalitionGuide } from '../src';

function row(params: Record<string, unknown>, key = 0): Float64Array {
  const p = coalitionMarket.paramsSchema.parse(params) as Parameters<typeof coalitionMarket.run>[1];
  const out = new Float64Array(coalitionMarket.metrics(p).length);
  void coalitionMarket.run(Rng.fromPath(['coalition-test', key]), p, out, 0);
  return out;
}

describe('coalition.market', () => {
  it('noise 0 reproduces runCoalitionGuide on random markets (values, MPW gain, share better off)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(0, 0.1, 0.3, 0.6),
        fc.constantFrom(0, 0.5, 1, 4),
        fc.constantFrom(0, 0.5, 1, 2),
        (agents, domains, dispersion, gamma, price) => {
          const [g] = runCoalitionGuide({
            agents,
            domains,
            dispersions: [dispersion],
            gammas: [gamma],
            computePrices: [price],
          });
          const r = row({ agents, domains, dispersion, gamma, price, noise: 0 });
          expect(r[0]).toBeCloseTo(g!.welfare.singletons, 12);
          expect(r[1]).toBeCloseTo(g!.welfare.merged, 12);
          expect(r[2]).toBeCloseTo(g!.welfare.routed, 12);
          const gain = g!.mpw.reduce((a, x, i) => a + x - g!.standalone[i]!, 0) / agents;
          expect(r[3]).toBeCloseTo(gain, 12);
          expect(r[4]).toBe(g!.beatsStandalone.filter(Boolean).length / agents);
        },
      ),
      { numRuns: 40, seed: 5 },
    );
  });

  it('jitter changes the market per instance, deterministically per stream', () => {
    const a = row({ noise: 0.1 }, 1);
    const b = row({ noise: 0.1 }, 2);
    expect([...a]).not.toEqual([...b]);
    expect([...row({ noise: 0.1 }, 1)]).toEqual([...a]);
    for (const x of a) expect(Number.isFinite(x)).toBe(true);
    expect(a[4]).toBeGreaterThanOrEqual(0);
    expect(a[4]).toBeLessThanOrEqual(1);
  });

  it('its preset is a valid point set; bad parameters are rejected', () => {
    const [preset] = coalitionPresets;
    expect(preset!.experiment).toBe(coalitionMarket.name);
    for (const gamma of preset!.grid['gamma']!) {
      expect(() => coalitionMarket.paramsSchema.parse({ ...preset!.params, gamma })).not.toThrow();
    }
    expect(coalitionMarket.paramsSchema.safeParse({ agents: 9 }).success).toBe(false);
    expect(coalitionMarket.paramsSchema.safeParse({ mergeEffect: 'other' }).success).toBe(false);
  });
});
