/** Coalition values of a market (Eq. 9) as characteristic games and oracles. */
import { z } from 'zod';
import { parseWithSchema } from '@mechlab/core';
import { MAX_TABLE_PLAYERS, checkPlayers } from './games';
import type { CharacteristicGame, CoalitionOracle, MaxPoolingGame } from './games';
import type { Market, Paradigm } from './market';
import { BlockAccumulator } from './block-accumulator';

/**
 * Eq. 9 coalition value with full demand (no competitors): `v(S) = Σ_j w_j q_j · max(0, net_S(j))`.
 *
 * Complexity: O(|S| · m).
 * @throws MechlabError `ERR_OUT_OF_RANGE` for a member outside `[0, n)`; paradigm validation errors.
 * @example coalitionValue(market, { kind: 'maxPooling' }, [0, 1]) // Eq. 10 with costs
 */
export function coalitionValue(market: Market, paradigm: Paradigm, members: readonly number[]): number {
  const acc = new BlockAccumulator(market, paradigm, 1);
  acc.reset(1);
  const players = z.array(
    z
      .number()
      .int()
      .min(0)
      .max(market.n - 1),
  );
  for (const i of parseWithSchema(players, members, 'members')) acc.add(0, i);
  let v = 0;
  for (let j = 0; j < market.m; j++) {
    acc.finish(0, j);
    if (acc.net > 0) v += market.weights[j]! * market.demand[j]! * acc.net;
  }
  return v;
}

/**
 * Incremental CFF oracle of a market (for permutation sampling at any `n`).
 *
 * Complexity: O(m) per `add`.
 * @throws paradigm validation errors (MechlabError).
 * @example shapleySample(marketOracle(market, { kind: 'averaging' }), { samples: 500 })
 */
export function marketOracle(market: Market, paradigm: Paradigm): CoalitionOracle {
  const acc = new BlockAccumulator(market, paradigm, 1);
  const { m, weights, demand } = market;
  return {
    n: market.n,
    reset(): number {
      acc.reset(1);
      return 0;
    },
    add(player: number): number {
      acc.add(0, player);
      let v = 0;
      for (let j = 0; j < m; j++) {
        acc.finish(0, j);
        if (acc.net > 0) v += weights[j]! * demand[j]! * acc.net;
      }
      return v;
    },
  };
}

/**
 * Dense CFF table `v(S)` of a market under a paradigm (Eq. 9; no externalities: each coalition faces
 * the full demand). Each mask aggregates its members in one reused accumulator; no per-subset
 * allocation.
 *
 * Complexity: O(2^n · n · m) time, O(2^n) memory.
 * @throws MechlabError `ERR_TOO_LARGE` when `n > 20`; paradigm validation errors.
 * @example shapleyExact(marketGame(market, { kind: 'merging', effect: 'superlinear' }))
 */
export function marketGame(market: Market, paradigm: Paradigm): CharacteristicGame {
  const n = market.n;
  checkPlayers('market.n', n, MAX_TABLE_PLAYERS);
  const size = 1 << n;
  const values = new Float64Array(size);
  const acc = new BlockAccumulator(market, paradigm, 1);
  const { m, weights, demand } = market;
  for (let mask = 1; mask < size; mask++) {
    acc.reset(1);
    for (let rest = mask; rest !== 0; rest &= rest - 1) acc.add(0, 31 - Math.clz32(rest & -rest));
    let v = 0;
    for (let j = 0; j < m; j++) {
      acc.finish(0, j);
      if (acc.net > 0) v += weights[j]! * demand[j]! * acc.net;
    }
    values[mask] = v;
  }
  return { kind: 'characteristic', n, values };
}

/**
 * The max-pooling market as an Eq. 10 maximum game over net revenue:
 * `v(S) = Σ_j (w_j q_j) · max_{i∈S} max(0, net_ij)`, which equals `marketGame(market, {kind:'maxPooling'})`
 * (zero overhead) and has the closed-form Shapley value of `shapleyMaxPooling`.
 *
 * Complexity: O(n · m).
 * @throws never
 * @example shapleyMaxPooling(marketMaxPoolingGame(market)) // O(m · n log n) for any n
 */
export function marketMaxPoolingGame(market: Market): MaxPoolingGame {
  const { n, m, net, weights, demand } = market;
  const scores = new Float64Array(n * m);
  for (let k = 0; k < n * m; k++) scores[k] = Math.max(0, net[k]!);
  const w = new Float64Array(m);
  for (let j = 0; j < m; j++) w[j] = weights[j]! * demand[j]!;
  return { kind: 'maxPooling', n, m, scores, weights: w };
}
