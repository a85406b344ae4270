/**
 * Game representations shared by every solver in this package (MODELS.md §4, FORMATS.md
 * `coalition-game`).
 *
 * - {@link CharacteristicGame}: a characteristic-function-form (CFF) game stored as a dense table of
 *   `2^n` values indexed by bitmask (bit `i` set ⇔ player `i` in the coalition); `n ≤ 20`.
 * - {@link MaxPoolingGame}: the benchmark "max pooling" market of Eq. 10,
 *   `v(S) = Σ_j w_j max_{i∈S} r_ij`, stored densely (any `n`).
 * - {@link PartitionGame}: a partition-function-form (PFF) game `v(S, P)`, evaluated on demand.
 * - {@link CoalitionOracle}: an incremental evaluator (`reset`, then `add` one player at a time) used
 *   by permutation sampling, so a sampled permutation costs `n` incremental updates rather than `n`
 *   full evaluations.
 */
import { z } from 'zod';
import { MechlabError, addRangeIssue, parseWithSchema, typedArray } from '@mechlab/core';

/** Largest `n` for which a dense `2^n` table is built (8 MiB of `Float64Array`). */
export const MAX_TABLE_PLAYERS = 20;

/** A CFF game as a dense table: `values[mask] = v(S)` with bit `i` of `mask` ⇔ player `i ∈ S`. */
export interface CharacteristicGame {
  readonly kind: 'characteristic';
  /** Number of players, `1 ≤ n ≤ 20`. */
  readonly n: number;
  /** `2^n` values; `values[0] = v(∅)` (0 by convention). */
  readonly values: Float64Array;
}

/** Eq. 10 max-pooling market: `v(S) = Σ_j weights[j] · max_{i∈S} scores[i·m + j]`, `v(∅) = 0`. */
export interface MaxPoolingGame {
  readonly kind: 'maxPooling';
  /** Number of agents. */
  readonly n: number;
  /** Number of benchmarks. */
  readonly m: number;
  /** Row-major `n × m` scores: `scores[i * m + j] = r_ij`. */
  readonly scores: Float64Array;
  /** Benchmark weights `w_j` (length `m`). */
  readonly weights: Float64Array;
}

/**
 * A partition function `v(S, P)`. A partition `P` of `{0..n−1}` is passed as block labels:
 * `labels[i] ∈ [0, blocks)` is the block of player `i`, every label in `[0, blocks)` is used.
 */
export interface PartitionFunction {
  /** Number of players. */
  readonly n: number;
  /** Write `v(B_b, P)` into `out[b]` for every block `b` of the partition `P` given by `labels`. */
  evaluate(labels: Int32Array, blocks: number, out: Float64Array): void;
}

/** A PFF game (tagged so it can sit in the {@link CoalitionGame} union). */
export interface PartitionGame extends PartitionFunction {
  readonly kind: 'partition';
}

/** The three `coalition-game` forms of FORMATS.md, as parsed by `parseCoalitionGame`. */
export type CoalitionGame = CharacteristicGame | MaxPoolingGame | PartitionGame;

/** Incremental coalition evaluator for permutation sampling. */
export interface CoalitionOracle {
  /** Number of players. */
  readonly n: number;
  /** Make the current coalition empty and return `v(∅)`. */
  reset(): number;
  /** Add `player` (not yet in the coalition) and return the value of the enlarged coalition. */
  add(player: number): number;
}

/** Population count of a 32-bit integer. */
export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Players of a bitmask, ascending. */
export function maskMembers(mask: number): number[] {
  const out: number[] = [];
  for (let rest = mask; rest !== 0; rest &= rest - 1) out.push(31 - Math.clz32(rest & -rest));
  return out;
}

const playerCount = z.number().int().min(1);
const tableOf = (size: number) =>
  typedArray(Float64Array).superRefine((v, ctx) => {
    if (v.length !== size) addRangeIssue(ctx, ['length'], `2^n = ${size}`);
  });

/** Throws unless `1 ≤ n ≤ max` is an integer. */
export function checkPlayers(field: string, n: number, max: number): void {
  parseWithSchema(playerCount, n, field);
  if (n > max) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `${field} must be at most ${max} for this method, got ${n}`,
      field,
    );
  }
}

/** Throws unless `game` has `1 ≤ n ≤ 20` players and a `2^n`-entry `Float64Array` table. */
export function checkTable(game: CharacteristicGame): void {
  checkPlayers('game.n', game.n, MAX_TABLE_PLAYERS);
  parseWithSchema(tableOf(1 << game.n), game.values, 'game.values');
}

/**
 * Oracle over a dense CFF table, for permutation sampling (Castro, Gómez & Tejada 2009).
 *
 * Complexity: O(1) per `add`.
 * @throws never
 * @example characteristicOracle(game).reset() // v(∅)
 */
export function characteristicOracle(game: CharacteristicGame): CoalitionOracle {
  const values = game.values;
  let mask = 0;
  return {
    n: game.n,
    reset(): number {
      mask = 0;
      return values[0]!;
    },
    add(player: number): number {
      mask |= 1 << player;
      return values[mask]!;
    },
  };
}

/**
 * Oracle over an Eq. 10 max-pooling market: keeps the running per-benchmark maximum, so adding an
 * agent costs O(m) (paper Eq. 10; each benchmark is a "maximum game").
 *
 * Complexity: O(m) per `add`, O(m) memory.
 * @throws never
 * @example maxPoolingOracle(game).add(0) // Σ_j w_j r_0j
 */
export function maxPoolingOracle(game: MaxPoolingGame): CoalitionOracle {
  const { n, m, scores, weights } = game;
  const best = new Float64Array(m);
  let size = 0;
  let value = 0;
  return {
    n,
    reset(): number {
      size = 0;
      value = 0;
      return 0;
    },
    add(player: number): number {
      const row = player * m;
      if (size === 0) {
        value = 0;
        for (let j = 0; j < m; j++) {
          const r = scores[row + j]!;
          best[j] = r;
          value += weights[j]! * r;
        }
      } else {
        for (let j = 0; j < m; j++) {
          const r = scores[row + j]!;
          if (r > best[j]!) {
            value += weights[j]! * (r - best[j]!);
            best[j] = r;
          }
        }
      }
      size++;
      return value;
    },
  };
}

/**
 * Dense CFF table of an Eq. 10 max-pooling market, by the lowest-bit recursion
 * `max(S) = max(max(S ∖ {i}), r_i)`.
 *
 * Complexity: O(m · 2^n) time, O(2^n) memory.
 * @throws MechlabError `ERR_TOO_LARGE` when `n > 20`.
 * @example maxPoolingTable(game).values[0b11] // v({0, 1})
 */
export function maxPoolingTable(game: MaxPoolingGame): CharacteristicGame {
  const { n, m, scores, weights } = game;
  checkPlayers('game.n', n, MAX_TABLE_PLAYERS);
  const size = 1 << n;
  const values = new Float64Array(size);
  const best = new Float64Array(size);
  for (let j = 0; j < m; j++) {
    const w = weights[j]!;
    for (let mask = 1; mask < size; mask++) {
      const low = mask & -mask;
      const i = 31 - Math.clz32(low);
      const r = scores[i * m + j]!;
      const rest = mask ^ low;
      const b = rest === 0 ? r : Math.max(best[rest]!, r);
      best[mask] = b;
      values[mask] = values[mask]! + w * b;
    }
  }
  return { kind: 'characteristic', n, values };
}

/**
 * The PFF game `v(S, P) = v(S)` of a game without externalities (its MPW value is its Shapley value,
 * Macho-Stadler, Pérez-Castrillo & Wettstein 2007, §3).
 *
 * Complexity: O(n + blocks) per evaluation for a table, O(n · m) for a max-pooling market.
 * @throws never
 * @example mpwExact(withoutExternalities(cff)) // equals shapleyExact(cff)
 */
export function withoutExternalities(game: CharacteristicGame | MaxPoolingGame): PartitionGame {
  const n = game.n;
  if (game.kind === 'characteristic') {
    const values = game.values;
    const masks = new Int32Array(n);
    return {
      kind: 'partition',
      n,
      evaluate(labels, blocks, out) {
        masks.fill(0, 0, blocks);
        for (let i = 0; i < n; i++) masks[labels[i]!] = masks[labels[i]!]! | (1 << i);
        for (let b = 0; b < blocks; b++) out[b] = values[masks[b]!]!;
      },
    };
  }
  const { m, scores, weights } = game;
  const best = new Float64Array(n * m);
  return {
    kind: 'partition',
    n,
    evaluate(labels, blocks, out) {
      best.fill(-Infinity, 0, blocks * m);
      for (let i = 0; i < n; i++) {
        const base = labels[i]! * m;
        for (let j = 0; j < m; j++) {
          const r = scores[i * m + j]!;
          if (r > best[base + j]!) best[base + j] = r;
        }
      }
      for (let b = 0; b < blocks; b++) {
        let v = 0;
        for (let j = 0; j < m; j++) v += weights[j]! * best[b * m + j]!;
        out[b] = v;
      }
    },
  };
}
