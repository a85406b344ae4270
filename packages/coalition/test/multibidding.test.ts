import { createMarket, demandShareGame, mpwExact, shapleyExact } from '@mechlab/coalition';
import { averageGame } from '../src/mpw';
import { simulateMultibidding } from '../src/multibidding';
import type { PartitionFunction } from '../src/games';
import { Rng, expectClose, randomPff, restrict, total } from './helpers';
import { expectMechlabError } from '@mechlab/core/testing';

function partitionValues(game: PartitionFunction, partition: number[][]): number {
  const labels = new Int32Array(game.n);
  partition.forEach((block, b) => block.forEach((i) => (labels[i] = b)));
  const out = new Float64Array(partition.length);
  game.evaluate(labels, partition.length, out);
  return total(out);
}

function marketGameOf(seed: string, n: number, gamma: number): PartitionFunction {
  const rng = Rng.seed(seed);
  const mk = createMarket({
    scores: Array.from({ length: n }, () => Array.from({ length: 3 }, () => rng.next())),
    weights: [0.4, 0.3, 0.3],
    cost: { kind: 'gpu', gpuHours: 0.2, pricePerGpuHour: 1 },
  });
  return demandShareGame(mk, { kind: 'maxPooling' }, { gamma });
}

describe('simulateMultibidding (Algorithms 1–2, Table 2)', () => {
  it('on the equilibrium path the grand coalition forms and every run pays the MPW value', () => {
    const rng = Rng.seed('mb-eq');
    const games: PartitionFunction[] = [
      randomPff(rng, 3),
      randomPff(rng, 5),
      marketGameOf('m', 4, 1),
      marketGameOf('m', 6, 3),
    ];
    for (const g of games) {
      const res = simulateMultibidding(g, { runs: 40, seed: 1, record: true });
      const mpw = mpwExact(g);
      expectClose(res.mpw, mpw, 1e-12);
      expectClose(res.mean, mpw, 1e-9);
      expect(res.grandCoalitionRate).toBe(1);
      for (const r of res.records!) {
        expectClose(r.payoffs, mpw, 1e-9);
        expect(r.proposers.length).toBe(1);
        expect(r.partition).toEqual([Array.from({ length: g.n }, (_, i) => i)]);
      }
      // Tie-breaking among the (equal) aggregate bids is random: more than one proposer occurs.
      expect(new Set(res.records!.map((r) => r.proposers[0])).size).toBeGreaterThan(1);
    }
  });

  it('balances the budget and nets bid transfers to zero in every run (Table 2)', () => {
    const g = marketGameOf('budget', 5, 2);
    for (const rejectFirst of [1, 2, 4]) {
      const res = simulateMultibidding(g, { runs: 200, seed: rejectFirst, rejectFirst, record: true });
      expect(res.grandCoalitionRate).toBe(0);
      for (const r of res.records!) {
        expect(Math.abs(total(r.transfers))).toBeLessThan(1e-9);
        expect(Math.abs(total(r.payoffs) - partitionValues(g, r.partition))).toBeLessThan(1e-9);
        expect(r.insiders.length).toBe(5 - rejectFirst);
        expect(r.proposers.length).toBe(Math.min(rejectFirst + 1, 4));
      }
    }
  });

  it('off the path, insiders expect the Shapley value of v̂ restricted to S* (random partition draws)', () => {
    const g = randomPff(Rng.seed('subgame'), 4);
    const vhat = averageGame(g).values;
    const res = simulateMultibidding(g, { runs: 6000, seed: 9, rejectFirst: 1, record: true });
    const byInsiders = new Map<number, number[][]>();
    for (const r of res.records!) {
      const mask = r.insiders.reduce((a, i) => a | (1 << i), 0);
      const net = r.payoffs.map((x, i) => x - r.transfers[i]!);
      const list = byInsiders.get(mask) ?? [];
      list.push(net);
      byInsiders.set(mask, list);
    }
    expect(byInsiders.size).toBe(4); // each first proposer is rejected about equally often
    for (const [mask, rows] of byInsiders) {
      const sh = shapleyExact(restrict(vhat, mask));
      const members = [0, 1, 2, 3].filter((i) => (mask >>> i) & 1);
      members.forEach((player, t) => {
        const xs = rows.map((row) => row[player]!);
        const mean = total(xs) / xs.length;
        const sd = Math.sqrt(total(xs.map((x) => (x - mean) ** 2)) / (xs.length - 1));
        expect(Math.abs(mean - sh[t]!)).toBeLessThanOrEqual(4 * (sd / Math.sqrt(xs.length)) + 1e-12);
      });
    }
  });

  it('handles a single player and validates options', () => {
    const one: PartitionFunction = { n: 1, evaluate: (_l, _b, out) => void (out[0] = 3) };
    const res = simulateMultibidding(one, { runs: 2 });
    expect(Array.from(res.mean)).toEqual([3]);
    const g = randomPff(Rng.seed(1), 3);
    expectMechlabError(
      () => simulateMultibidding(g, { runs: 1 }),
      'ERR_OUT_OF_RANGE',
      'options.runs must be ≥ 2, got 1',
    );
    expectMechlabError(
      () => simulateMultibidding(g, { runs: 5, rejectFirst: 3 }),
      'ERR_OUT_OF_RANGE',
      'options.rejectFirst must be ≤ 2, got 3',
    );
    expectMechlabError(() => simulateMultibidding(g, { runs: 5, seed: NaN }), {
      code: 'ERR_INVALID_TYPE',
      field: 'options.seed',
      message: 'options.seed must be a number or a string, got NaN',
    });
  });
});
