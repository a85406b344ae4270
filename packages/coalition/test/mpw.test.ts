import fc from 'fast-check';
import {
  bellNumber,
  createMarket,
  demandShareGame,
  mpwExact,
  mpwSample,
  shapleyExact,
} from '@mechlab/coalition';
import { averageGame } from '../src/mpw';
import { forEachPartition, partitionTableGame } from '../src/partition';
import { maxPoolingTable, withoutExternalities } from '../src/games';
import type { PartitionFunction } from '../src/games';
import { seatCrp } from '../src/partition';
import { Rng, allPartitions, expectClose, randomCff, randomMaxGame, randomPff, total } from './helpers';
import { expectMechlabError } from '@mechlab/core/testing';

function grandValue(game: PartitionFunction): number {
  const out = new Float64Array(1);
  game.evaluate(new Int32Array(game.n), 1, out);
  return out[0]!;
}

describe('partition enumeration', () => {
  it('visits Bell(n) distinct restricted-growth strings', () => {
    for (let n = 1; n <= 9; n++) {
      const seen = new Set<string>();
      let bad = 0;
      forEachPartition(n, (labels, blocks) => {
        let max = 0;
        if (labels[0] !== 0) bad++;
        for (let i = 1; i < n; i++) {
          if (labels[i]! > max + 1) bad++;
          max = Math.max(max, labels[i]!);
        }
        if (blocks !== max + 1) bad++;
        seen.add(labels.join(''));
      });
      expect(bad).toBe(0);
      expect(seen.size).toBe(bellNumber(n));
    }
  });
});

describe('Chinese restaurant process', () => {
  it('draws each partition of a 4-set with probability Π(|T|−1)!/4!', () => {
    const rng = Rng.seed('crp');
    const order = Int32Array.of(2, 0, 3, 1);
    const table = new Int32Array(4);
    const counts = new Map<string, number>();
    const draws = 48_000;
    for (let t = 0; t < draws; t++) {
      seatCrp(order, 4, rng, table);
      const canon = new Map<number, number>();
      const key = Array.from(table, (b) => {
        if (!canon.has(b)) canon.set(b, canon.size);
        return canon.get(b)!;
      }).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const fact = [1, 1, 2, 6];
    for (const blocks of allPartitions(4)) {
      const p = blocks.reduce((a, b) => a * fact[b.length - 1]!, 1) / 24;
      const labels = new Array<number>(4);
      blocks.forEach((b, k) => b.forEach((i) => (labels[i] = k)));
      const freq = (counts.get(labels.join('')) ?? 0) / draws;
      expect(Math.abs(freq - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / draws));
    }
  });
});

describe('averageGame and the α(S, P) weights', () => {
  it('α(S, ·) is a probability distribution: a constant game averages to itself', () => {
    const n = 6;
    const ones: PartitionFunction = { n, evaluate: (_l, blocks, out) => out.fill(1, 0, blocks) };
    const vhat = averageGame(ones).values;
    expect(vhat[0]).toBe(0);
    for (let mask = 1; mask < 1 << n; mask++) expect(vhat[mask]).toBeCloseTo(1, 12);
  });

  it('matches the hand-computed CRP weights for n = 3', () => {
    const entries = allPartitions(3).map((blocks, k) => ({
      blocks,
      values: blocks.map((_, b) => 10 * k + b),
    }));
    const g = partitionTableGame(3, entries);
    const value = (blocks: number[][], S: number[]): number => {
      const key = (b: number[][]): string => JSON.stringify(b.map((x) => [...x].sort()).sort());
      const e = entries.find((x) => key(x.blocks) === key(blocks))!;
      return e.values[e.blocks.findIndex((x) => JSON.stringify(x) === JSON.stringify(S))]!;
    };
    const vhat = averageGame(g).values;
    // v̂({0}) = ½ v({0} | {1,2}) + ½ v({0} | {1} | {2})  (α = 1!/2! and 0!0!/2!)
    expect(vhat[1]).toBeCloseTo(0.5 * value([[0], [1, 2]], [0]) + 0.5 * value([[0], [1], [2]], [0]), 12);
    // v̂({0,1}) = v({0,1} | {2}); v̂(N) = v(N | ∅)
    expect(vhat[3]).toBeCloseTo(value([[0, 1], [2]], [0, 1]), 12);
    expect(vhat[7]).toBeCloseTo(value([[0, 1, 2]], [0, 1, 2]), 12);
  });
});

describe('mpwExact', () => {
  it('equals the Shapley value when the game has no externalities', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer(), fc.boolean(), (n, seed, useMax) => {
        const rng = Rng.seed(seed);
        const cff = useMax ? maxPoolingTable(randomMaxGame(rng, n, 3)) : randomCff(rng, n);
        expectClose(mpwExact(withoutExternalities(cff)), shapleyExact(cff), 1e-10);
        if (useMax) {
          const mg = randomMaxGame(Rng.seed(seed), n, 3);
          expectClose(mpwExact(withoutExternalities(mg)), shapleyExact(maxPoolingTable(mg)), 1e-10);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('is efficient: Σ MPW = v(N, {N}) (random tables and demand-share markets)', () => {
    const rng = Rng.seed('mpw-eff');
    for (let n = 1; n <= 6; n++) {
      const g = randomPff(rng, n);
      expect(Math.abs(total(mpwExact(g)) - grandValue(g))).toBeLessThan(1e-10);
    }
    const mk = createMarket({
      scores: Array.from({ length: 8 }, () => Array.from({ length: 3 }, () => rng.next())),
      weights: [0.2, 0.3, 0.5],
      cost: { kind: 'gpu', gpuHours: 0.1, pricePerGpuHour: 1 },
    });
    for (const gamma of [0, 1, 3]) {
      const g = demandShareGame(mk, { kind: 'maxPooling', overhead: 0.01 }, { gamma });
      expect(Math.abs(total(mpwExact(g)) - grandValue(g))).toBeLessThan(1e-10);
    }
  });

  it('is symmetric: identical agents get identical MPW values', () => {
    const mk = createMarket({
      scores: [
        [0.7, 0.2],
        [0.7, 0.2],
        [0.3, 0.9],
        [0.5, 0.5],
      ],
      weights: [0.5, 0.5],
    });
    const phi = mpwExact(demandShareGame(mk, { kind: 'averaging', sharpness: 1 }, { gamma: 2 }));
    expect(phi[0]).toBeCloseTo(phi[1]!, 12);
  });

  it('null player: a player whose presence never changes any value gets 0 (exact and sampled)', () => {
    // Embed a random PFF game w on n − 1 players into n players with a dummy d:
    // v(S, P) = w(S ∖ {d}, P ∖ {d}) and v({d}, P) = 0 = w(∅). The CRP weights α(S, ·) are consistent
    // under removing d, so the average game satisfies v̂(S) = ŵ(S ∖ {d}) (MPW 2007, §3): d is a null
    // player of v̂, gets 0, and the others keep their MPW values of w.
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), fc.integer(), fc.nat(), (n, seed, dRaw) => {
        const d = dRaw % n;
        const w = randomPff(Rng.seed(seed), n - 1);
        const sub = new Int32Array(n - 1);
        const remap = new Int32Array(n);
        const subOut = new Float64Array(n);
        const withDummy: PartitionFunction = {
          n,
          evaluate(labels, blocks, out) {
            // Relabel the blocks of P ∖ {d} compactly, in order of first appearance.
            remap.fill(-1);
            let k = 0;
            for (let i = 0, j = 0; i < n; i++) {
              if (i === d) continue;
              const b = labels[i]!;
              if (remap[b] === -1) remap[b] = k++;
              sub[j++] = remap[b]!;
            }
            w.evaluate(sub, k, subOut);
            for (let b = 0; b < blocks; b++) out[b] = remap[b] === -1 ? 0 : subOut[remap[b]!]!;
          },
        };
        const phi = mpwExact(withDummy);
        expect(Math.abs(phi[d]!)).toBeLessThan(1e-12);
        const others = Array.from(phi).filter((_, i) => i !== d);
        expectClose(others, mpwExact(w), 1e-10);
        const est = mpwSample(withDummy, { samples: 50, seed });
        expect(Math.abs(est.values[d]!)).toBeLessThan(1e-12);
        expect(est.stderr[d]).toBeLessThan(1e-12);
      }),
      { numRuns: 40 },
    );
  });

  it('runs n = 10 exactly and refuses n = 11', () => {
    const rng = Rng.seed('ten');
    const mk = createMarket({
      scores: Array.from({ length: 10 }, () => Array.from({ length: 2 }, () => rng.next())),
      weights: [0.5, 0.5],
    });
    const phi = mpwExact(demandShareGame(mk, { kind: 'maxPooling' }));
    expect(phi.length).toBe(10);
    const big: PartitionFunction = { n: 11, evaluate: () => undefined };
    expectMechlabError(
      () => mpwExact(big),
      'ERR_TOO_LARGE',
      'game.n must be at most 10 for this method, got 11',
    );
  });

  it('rejects non-finite partition values', () => {
    const bad: PartitionFunction = { n: 2, evaluate: (_l, blocks, out) => out.fill(NaN, 0, blocks) };
    expectMechlabError(() => mpwExact(bad), 'ERR_INVALID_INPUT', /^v\(S, P\) must be finite, got NaN/);
  });
});

describe('mpwSample', () => {
  it('is unbiased: within 4·stderr of the exact value, ~95% coverage at 1.96·stderr', () => {
    const rng = Rng.seed('mpw-sampler');
    let within = 0;
    let checks = 0;
    for (let t = 0; t < 40; t++) {
      const n = 3 + (t % 4);
      const g = randomPff(rng, n);
      const exact = mpwExact(g);
      const est = mpwSample(g, { samples: 300, seed: t });
      expect(Math.abs(total(est.values) - grandValue(g))).toBeLessThan(1e-9);
      for (let i = 0; i < n; i++) {
        const err = Math.abs(est.values[i]! - exact[i]!);
        expect(err).toBeLessThanOrEqual(4 * est.stderr[i]!);
        if (err <= 1.96 * est.stderr[i]!) within++;
        checks++;
      }
    }
    expect(within / checks).toBeGreaterThan(0.9);
    expect(within / checks).toBeLessThan(0.99);
  });

  it('scales to markets beyond exact enumeration (n = 40) and stays efficient', () => {
    const rng = Rng.seed('mpw-40');
    const mk = createMarket({
      scores: Array.from({ length: 40 }, () => Array.from({ length: 3 }, () => rng.next())),
      weights: [0.3, 0.3, 0.4],
      cost: { kind: 'gpu', gpuHours: 0.2, pricePerGpuHour: 0.5 },
    });
    const g = demandShareGame(mk, { kind: 'maxPooling' }, { gamma: 2 });
    const est = mpwSample(g, { samples: 20, seed: 1 });
    expect(Math.abs(total(est.values) - grandValue(g))).toBeLessThan(1e-9);
    expect(est.stderr.every((s) => Number.isFinite(s))).toBe(true);
  });

  it('is deterministic by seed and validates samples', () => {
    const g = randomPff(Rng.seed(3), 4);
    expect(Array.from(mpwSample(g, { samples: 10, seed: 'a' }).values)).toEqual(
      Array.from(mpwSample(g, { samples: 10, seed: 'a' }).values),
    );
    expectMechlabError(
      () => mpwSample(g, { samples: 0 }),
      'ERR_OUT_OF_RANGE',
      'options.samples must be ≥ 2, got 0',
    );
  });
});
