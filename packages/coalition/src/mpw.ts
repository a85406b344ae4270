/**
 * The MPW value (Macho-Stadler, Pérez-Castrillo & Wettstein 2007, "Sharing the surplus: an extension
 * of the Shapley value for environments with externalities", JET 135(1); the paper's App. F): the
 * Shapley value of the average game
 * `v̂(S) = Σ_{P ∋ S} α(S, P) · v(S, P)`, `α(S, P) = Π_{T ∈ P, T ≠ S} (|T| − 1)! / |N ∖ S|!`,
 * where `α(S, ·)` is the Chinese-restaurant-process distribution of the partition of `N ∖ S`
 * (Skibski, Michalak & Wooldridge 2013).
 */
import { MechlabError, Rng, parseWithSchema } from '@mechlab/core';
import { samplerOptionsSchema } from './schema';
import type { SeedKey } from '@mechlab/core';
import { checkPlayers } from './games';
import type { CharacteristicGame, PartitionFunction } from './games';
import { MAX_PARTITION_PLAYERS, forEachPartition, seatCrp } from './partition';
import { PROGRESS_BATCH, shapleyExact } from './shapley';

/** `k!` for `k = 0..n`. */
function factorials(n: number): Float64Array {
  const f = new Float64Array(n + 1);
  f[0] = 1;
  for (let k = 1; k <= n; k++) f[k] = f[k - 1]! * k;
  return f;
}

/**
 * The average game `v̂` of a PFF game, by enumerating every partition `P` of `N` once (restricted-growth
 * strings, iterative) and crediting `α(S, P) · v(S, P)` to each block `S ∈ P`, with
 * `α(S, P) = [Π_{T∈P} (|T|−1)!] / [(|S|−1)! · (n−|S|)!]`.
 *
 * Complexity: O(B(n) · (n + cost(evaluate))) time — B(10) = 115 975 partitions — and O(2^n) memory.
 * @throws MechlabError `ERR_TOO_LARGE` when `n > 10`; `ERR_INVALID_INPUT` when the game returns a
 *   non-finite value.
 * @example averageGame(withoutExternalities(cff)).values // equals cff.values
 */
export function averageGame(game: PartitionFunction): CharacteristicGame {
  const n = game.n;
  checkPlayers('game.n', n, MAX_PARTITION_PLAYERS);
  const fact = factorials(n);
  const vhat = new Float64Array(1 << n);
  const out = new Float64Array(n);
  const masks = new Int32Array(n);
  const sizes = new Int32Array(n);
  forEachPartition(n, (labels, blocks) => {
    game.evaluate(labels, blocks, out);
    masks.fill(0, 0, blocks);
    sizes.fill(0, 0, blocks);
    for (let i = 0; i < n; i++) {
      const b = labels[i]!;
      masks[b] = masks[b]! | (1 << i);
      sizes[b] = sizes[b]! + 1;
    }
    let prod = 1;
    for (let b = 0; b < blocks; b++) prod *= fact[sizes[b]! - 1]!;
    for (let b = 0; b < blocks; b++) {
      const v = out[b]!;
      // Hand-written, not a schema: a user game's output, checked per evaluation (B(n) of them).
      if (!Number.isFinite(v)) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `v(S, P) must be finite, got ${v} for block ${b} of partition ${Array.from(labels).join(',')}`,
        );
      }
      const s = sizes[b]!;
      const alpha = prod / fact[s - 1]! / fact[n - s]!;
      vhat[masks[b]!] = vhat[masks[b]!]! + alpha * v;
    }
  });
  return { kind: 'characteristic', n, values: vhat };
}

/**
 * Exact MPW value: `shapleyExact(averageGame(game))`.
 *
 * Complexity: O(B(n) · (n + cost(evaluate)) + n · 2^n); n = 10 takes milliseconds.
 * @throws MechlabError `ERR_TOO_LARGE` when `n > 10`.
 * @example mpwExact(withoutExternalities(cff)) // equals shapleyExact(cff): no externalities
 */
export function mpwExact(game: PartitionFunction): Float64Array {
  return shapleyExact(averageGame(game));
}

/** Options of {@link mpwSample}. */
export interface MpwSampleOptions {
  /** Number of independent (permutation, CRP partition) draws; integer ≥ 2. */
  samples: number;
  /** Seed of the `Rng` stream (default 0). */
  seed?: SeedKey;
  /** Called with (draws done, samples) every `PROGRESS_BATCH` draws and at the end; no I/O here. */
  onProgress?: (done: number, total: number) => void;
}

/** A Monte Carlo MPW estimate with per-player standard errors. */
export interface MpwEstimate {
  /** Estimated MPW values (exactly efficient: they sum to `v(N, {N})`). */
  values: Float64Array;
  /** Standard error: sample standard deviation of the per-draw contributions / √samples. */
  stderr: Float64Array;
  /** Number of draws. */
  samples: number;
}

/**
 * Unbiased MPW estimator with common random numbers. One draw: a uniform permutation `π` and one CRP
 * seating of all players in the reverse order `π_n, …, π_1`. By the CRP's exchangeability and
 * consistency, the seating restricted to the suffix `{π_k..π_n}` is an exact draw from `α(S_k, ·)` for
 * the prefix `S_k = {π_1..π_{k−1}}`, for every `k` at once. With `f_k = v(S_k, {S_k} ∪ CRP|suffix_k)`
 * (`f_1 = 0`, `f_{n+1} = v(N, {N})`), player `π_k` is credited `f_{k+1} − f_k`, an unbiased estimate of
 * `v̂(S_k ∪ {π_k}) − v̂(S_k)` whose two terms share the same partition draw. Averaging over draws
 * estimates `Shapley(v̂)`; the per-draw credits telescope, so every estimate is exactly efficient.
 * Stated error: `stderr_i = s_i / √samples` (CLT; ±1.96·stderr covers ≈ 95%).
 *
 * Complexity: O(samples · n · cost(evaluate)) time — O(samples · n² · m) for `demandShareGame` — and
 * O(n) memory; works for any `n` the game supports.
 * @throws MechlabError `ERR_OUT_OF_RANGE` when `samples` is not an integer ≥ 2.
 * @example mpwSample(game, { samples: 2000, seed: 1 }).stderr
 */
export function mpwSample(game: PartitionFunction, options: MpwSampleOptions): MpwEstimate {
  const { samples } = parseWithSchema(samplerOptionsSchema, options, 'options');
  const n = game.n;
  const rng = Rng.seed(options.seed ?? 0).split('coalition.mpwSample');
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const order = new Int32Array(n);
  const table = new Int32Array(n);
  const tablesAfter = new Int32Array(n + 1);
  const labels = new Int32Array(n);
  const out = new Float64Array(n);
  const unit = new Float64Array(n);
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n);
  for (let s = 1; s <= samples; s++) {
    rng.shuffle(perm);
    for (let t = 0; t < n; t++) order[t] = perm[n - 1 - t]!;
    seatCrp(order, n, rng, table, tablesAfter);
    for (let i = 0; i < n; i++) labels[i] = table[i]! + 1;
    let prev = 0;
    for (let k = 1; k <= n; k++) {
      const who = perm[k - 1]!;
      labels[who] = 0;
      const blocks = tablesAfter[n - k]! + 1;
      game.evaluate(labels, blocks, out);
      const f = out[0]!;
      unit[who] = f - prev;
      prev = f;
    }
    for (let i = 0; i < n; i++) {
      const x = unit[i]!;
      const d = x - mean[i]!;
      mean[i] = mean[i]! + d / s;
      m2[i] = m2[i]! + d * (x - mean[i]!);
    }
    if (s % PROGRESS_BATCH === 0 || s === samples) options.onProgress?.(s, samples);
  }
  const stderr = new Float64Array(n);
  for (let i = 0; i < n; i++) stderr[i] = Math.sqrt(m2[i]! / (samples - 1) / samples);
  return { values: mean, stderr, samples };
}
