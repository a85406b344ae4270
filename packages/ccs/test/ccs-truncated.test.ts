import { MechlabError, Rng } from '@mechlab/core';
import {
  asymptoticPrediction,
  gcsPortions,
  randomCcsInstance,
  truncatedActivePrediction,
} from '@mechlab/ccs';

/** GCS's mean active count over `reps` seeded random instances (MODELS.md §1.4 defaults). */
function gcsMean(n: number, rho: number, reps: number): number {
  const root = Rng.fromPath(['truncated-test', n, rho]);
  let s = 0;
  for (let r = 0; r < reps; r++) s += gcsPortions(randomCcsInstance(root.split(r), { n, rho })).k;
  return s / reps;
}

describe('truncatedActivePrediction (Corollary 13 at finite n)', () => {
  it('tracks GCS where the delta surrogate over-predicts (sparse graphs)', () => {
    // n = 500, ρ = 0.05: GCS ≈ 23 players; the surrogate says 29 (+25%).
    const observed = gcsMean(500, 0.05, 60);
    const pred = truncatedActivePrediction({ n: 500, rho: 0.05 });
    expect(pred.method).toBe('truncated');
    expect(pred.surrogatePlayers).toBe(asymptoticPrediction({ n: 500, rho: 0.05 }).players);
    expect(Math.abs(pred.players - observed) / observed).toBeLessThan(0.1);
    expect(Math.abs(pred.surrogatePlayers - observed) / observed).toBeGreaterThan(0.15);
    expect(pred.typicalSum).toBeLessThanOrEqual(1);
    expect(pred.welfare).toBeCloseTo(pred.players * 0.5 + pred.players * (pred.players - 1) * 0.05 * 0.5, 9);
  });

  it('agrees with GCS within 6% on denser small instances', () => {
    for (const [n, rho] of [
      [100, 0.2],
      [200, 0.2],
      [300, 0.5],
    ] as const) {
      const observed = gcsMean(n, rho, 40);
      const pred = truncatedActivePrediction({ n, rho }).players;
      expect(Math.abs(pred - observed) / observed).toBeLessThan(0.06);
    }
  });

  it('more exceedances (a lower truncation level) never predict fewer players', () => {
    const ks = [0.25, 0.5, Math.LN2, 1, 2].map(
      (e) => truncatedActivePrediction({ n: 400, rho: 0.05, exceedances: e }).players,
    );
    for (let i = 1; i < ks.length; i++) expect(ks[i]!).toBeGreaterThanOrEqual(ks[i - 1]!);
  });

  it('handles constant and exponential marginals, and falls back to the surrogate for custom ones', () => {
    const c = truncatedActivePrediction({
      n: 200,
      rho: 0.1,
      theta: { kind: 'constant', value: 0.5 },
      weight: { kind: 'exponential', mean: 0.5 },
    });
    expect(c.method).toBe('truncated');
    expect(c.players).toBeGreaterThan(0);
    const custom = truncatedActivePrediction({
      n: 200,
      rho: 0.1,
      theta: { kind: 'custom', sample: (r) => r.next(), mean: 0.5, variance: 1 / 12 },
    });
    expect(custom.method).toBe('delta');
    expect(custom.players).toBe(custom.surrogatePlayers);
  });

  it('rejects bad options naming the field', () => {
    expect(() => truncatedActivePrediction({ n: 0, rho: 0.1 })).toThrow(MechlabError);
    expect(() => truncatedActivePrediction({ n: 10, rho: 0.1, exceedances: 0 })).toThrow(/exceedances/);
    expect(() => truncatedActivePrediction({ n: 10, rho: 0.1, grid: 10 })).toThrow(/grid/);
    expect(() => truncatedActivePrediction({ n: 10, rho: 0.1, exactDegrees: -1 })).toThrow(/exactDegrees/);
  });
});
