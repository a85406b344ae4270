import fc from 'fast-check';
import {
  characteristicOracle,
  maxPoolingOracle,
  shapleyExact,
  shapleyMaxPooling,
  shapleySample,
} from '@mechlab/coalition';
import { maxPoolingTable } from '../src/games';
import type { CharacteristicGame, MaxPoolingGame } from '@mechlab/coalition';
import { Rng, expectClose, randomCff, randomMaxGame, total } from './helpers';
import { expectMechlabError } from '@mechlab/core/testing';

/** fast-check arbitrary: a CFF game with 1..6 players and integer values, v(∅) = 0. */
const cffArb = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc
    .array(fc.integer({ min: -50, max: 50 }), { minLength: 1 << n, maxLength: 1 << n })
    .map((vals): CharacteristicGame => {
      const values = Float64Array.from(vals);
      values[0] = 0;
      return { kind: 'characteristic', n, values };
    }),
);

function mapGame(g: CharacteristicGame, f: (mask: number) => number): CharacteristicGame {
  return { kind: 'characteristic', n: g.n, values: g.values.map((_, mask) => f(mask)) };
}

function swapBits(mask: number, i: number, j: number): number {
  const bi = (mask >>> i) & 1;
  const bj = (mask >>> j) & 1;
  return bi === bj ? mask : mask ^ ((1 << i) | (1 << j));
}

describe('shapleyExact', () => {
  it('matches a hand computation (n = 2 and n = 3)', () => {
    expectClose(
      shapleyExact({ kind: 'characteristic', n: 2, values: Float64Array.of(0, 1, 2, 4) }),
      [1.5, 2.5],
    );
    // Glove-like majority game on 3 players: v(S) = 1 iff |S| ≥ 2.
    const maj = Float64Array.of(0, 0, 0, 1, 0, 1, 1, 1);
    expectClose(shapleyExact({ kind: 'characteristic', n: 3, values: maj }), [1 / 3, 1 / 3, 1 / 3]);
    expectClose(shapleyExact({ kind: 'characteristic', n: 1, values: Float64Array.of(0, 7) }), [7]);
  });

  it('axiom: efficiency Σφ = v(N) − v(∅)', () => {
    fc.assert(
      fc.property(cffArb, (g) => {
        const phi = shapleyExact(g);
        expect(Math.abs(total(phi) - g.values[(1 << g.n) - 1]!)).toBeLessThan(1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it('axiom: symmetry — interchangeable players get equal values', () => {
    fc.assert(
      fc.property(cffArb, fc.nat(), fc.nat(), (g, a, b) => {
        const i = a % g.n;
        const j = b % g.n;
        const sym = mapGame(g, (mask) => g.values[mask]! + g.values[swapBits(mask, i, j)]!);
        const phi = shapleyExact(sym);
        expect(Math.abs(phi[i]! - phi[j]!)).toBeLessThan(1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it('axiom: null player gets exactly 0', () => {
    fc.assert(
      fc.property(cffArb, fc.nat(), (g, a) => {
        const k = a % g.n;
        const nulled = mapGame(g, (mask) => g.values[mask & ~(1 << k)]!);
        expect(shapleyExact(nulled)[k]).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('axiom: additivity φ(v + w) = φ(v) + φ(w)', () => {
    fc.assert(
      fc.property(
        cffArb.chain((g) =>
          fc.tuple(
            fc.constant(g),
            cffArb.filter((h) => h.n === g.n),
          ),
        ),
        ([v, w]) => {
          const sum = mapGame(v, (mask) => v.values[mask]! + w.values[mask]!);
          const pv = shapleyExact(v);
          const pw = shapleyExact(w);
          expectClose(
            shapleyExact(sum),
            pv.map((x, i) => x + pw[i]!),
            1e-9,
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('axiom: anonymity — relabelling players relabels the values', () => {
    const rng = Rng.seed('anonymity');
    for (let t = 0; t < 30; t++) {
      const n = 1 + rng.int(6);
      const g = randomCff(rng, n);
      const perm = rng.permutation(n);
      const relabel = (mask: number): number => {
        let out = 0;
        for (let i = 0; i < n; i++) if ((mask >>> i) & 1) out |= 1 << perm[i]!;
        return out;
      };
      const h = new Float64Array(1 << n);
      for (let mask = 0; mask < h.length; mask++) h[relabel(mask)] = g.values[mask]!;
      const pg = shapleyExact(g);
      const ph = shapleyExact({ kind: 'characteristic', n, values: h });
      expectClose(
        Array.from({ length: n }, (_, i) => ph[perm[i]!]!),
        pg,
        1e-12,
      );
    }
  });

  it('rejects n > 20 and a table of the wrong length', () => {
    expectMechlabError(
      () => shapleyExact({ kind: 'characteristic', n: 21, values: new Float64Array(0) }),
      'ERR_TOO_LARGE',
      'game.n must be at most 20 for this method, got 21',
    );
    expectMechlabError(
      () => shapleyExact({ kind: 'characteristic', n: 2, values: new Float64Array(3) }),
      'ERR_OUT_OF_RANGE',
      'game.values.length must be 2^n = 4, got 3',
    );
  });
});

describe('shapleyMaxPooling (Littlechild–Owen closed form)', () => {
  it('matches a hand computation', () => {
    const g: MaxPoolingGame = {
      kind: 'maxPooling',
      n: 3,
      m: 1,
      scores: Float64Array.of(0.2, 0.5, 0.9),
      weights: Float64Array.of(1),
    };
    // φ_(1) = 0.2/3, φ_(2) = 0.2/3 + 0.3/2, φ_(3) = φ_(2) + 0.4
    expectClose(shapleyMaxPooling(g), [0.2 / 3, 0.2 / 3 + 0.15, 0.2 / 3 + 0.15 + 0.4], 1e-15);
  });

  it('equals subset enumeration on random markets with ties and negative scores', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        fc.boolean(),
        (n, m, seed, negative) => {
          const g = randomMaxGame(Rng.seed(seed), n, m, negative ? -0.5 : 0);
          expectClose(shapleyMaxPooling(g), shapleyExact(maxPoolingTable(g)), 1e-12);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is efficient and symmetric for n = 20 000', () => {
    const rng = Rng.seed('big');
    const g = randomMaxGame(rng, 20_000, 5);
    const phi = shapleyMaxPooling(g);
    let grand = 0;
    for (let j = 0; j < g.m; j++) {
      let best = -Infinity;
      for (let i = 0; i < g.n; i++) best = Math.max(best, g.scores[i * g.m + j]!);
      grand += g.weights[j]! * best;
    }
    expect(Math.abs(total(phi) - grand)).toBeLessThan(1e-9);
    // Agents with identical score rows get identical values.
    const key = (i: number): string => Array.from(g.scores.subarray(i * g.m, (i + 1) * g.m)).join(',');
    const seen = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const k = key(i);
      const prev = seen.get(k);
      if (prev === undefined) seen.set(k, phi[i]!);
      else expect(phi[i]).toBe(prev);
    }
  });
});

describe('shapleySample', () => {
  function checkSampler(antithetic: boolean): void {
    const rng = Rng.seed('sampler-games');
    let within196 = 0;
    let checks = 0;
    for (let t = 0; t < 60; t++) {
      const n = 3 + (t % 5);
      const g = t % 2 === 0 ? randomCff(rng, n) : maxPoolingTable(randomMaxGame(rng, n, 3));
      const exact = shapleyExact(g);
      const est = shapleySample(characteristicOracle(g), { samples: 300, seed: t, antithetic });
      expect(est.permutations).toBe(antithetic ? 600 : 300);
      // Exactly efficient.
      expect(Math.abs(total(est.values) - g.values[(1 << n) - 1]!)).toBeLessThan(1e-9);
      for (let i = 0; i < n; i++) {
        const err = Math.abs(est.values[i]! - exact[i]!);
        expect(err).toBeLessThanOrEqual(4 * est.stderr[i]! + 1e-12);
        if (err <= 1.96 * est.stderr[i]! + 1e-12) within196++;
        checks++;
      }
    }
    // Nominal 95% coverage of the ±1.96·stderr interval.
    expect(within196 / checks).toBeGreaterThan(0.9);
    expect(within196 / checks).toBeLessThan(0.99);
  }

  it('plain: within 4·stderr of the exact value, ~95% coverage at 1.96·stderr', () => checkSampler(false));
  it('antithetic: within 4·stderr of the exact value, ~95% coverage at 1.96·stderr', () =>
    checkSampler(true));

  it('is deterministic by seed and works on a max-pooling oracle', () => {
    const g = randomMaxGame(Rng.seed(5), 20, 4);
    const a = shapleySample(maxPoolingOracle(g), { samples: 1000, seed: 'x' });
    const b = shapleySample(maxPoolingOracle(g), { samples: 1000, seed: 'x' });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    const exact = shapleyMaxPooling(g);
    for (let i = 0; i < g.n; i++)
      expect(Math.abs(a.values[i]! - exact[i]!)).toBeLessThanOrEqual(4 * a.stderr[i]! + 1e-12);
  });

  it('antithetic pairs reduce the error on max-pooling markets', () => {
    const g = randomMaxGame(Rng.seed(11), 12, 3);
    const plain = shapleySample(maxPoolingOracle(g), { samples: 4000, seed: 1 });
    const anti = shapleySample(maxPoolingOracle(g), { samples: 2000, seed: 1, antithetic: true });
    expect(total(anti.stderr)).toBeLessThan(total(plain.stderr));
  });

  it('rejects bad sample counts', () => {
    const g = randomMaxGame(Rng.seed(1), 3, 1);
    expectMechlabError(
      () => shapleySample(maxPoolingOracle(g), { samples: 1 }),
      'ERR_OUT_OF_RANGE',
      'options.samples must be ≥ 2, got 1',
    );
    expectMechlabError(() => shapleySample(maxPoolingOracle(g), { samples: 10, seed: Infinity }), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'options.seed',
      message: 'options.seed must be a finite number, got Infinity',
    });
  });
});
