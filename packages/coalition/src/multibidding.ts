/**
 * Coalition formation by multibidding (seed 002, Algorithms 1–2 and Table 2; Macho-Stadler,
 * Pérez-Castrillo & Wettstein 2006, "Efficient bidding with externalities", GEB 57(2); the
 * implementation result of MPW 2007), simulated with subgame-perfect equilibrium strategies.
 *
 * Equilibrium strategies (backward induction; Pérez-Castrillo & Wettstein 2001 for the insiders' stage):
 * - With insiders `S`, a rejected proposer leaves and `S ∖ {γ}` continues; when a proposal is finally
 *   accepted the outsiders are partitioned with probability `α(S*, P)` and that partition forms, so an
 *   insider coalition is worth `v̂(S)` in expectation and insider `i` expects `Sh_i(S) = Shapley of
 *   v̂ restricted to S` (by induction on `|S|`).
 * - Proposer `γ` offers each `i ∈ S ∖ {γ}` its continuation value `x_i = Sh_i(S ∖ {γ})`; responders accept
 *   offers at least their continuation value. If accepted, `γ` keeps `v(S, P) − Σ x_i`.
 * - Bids make each bidder indifferent about who wins: `b^i_j = π_i^j − Sh_i(S)` where `π_i^j` is `i`'s
 *   (expected) payoff when `j` proposes. Then `Σ_j b^i_j = 0` and every aggregate bid `B_j = 0`: the
 *   proposer is drawn uniformly among the (numerically) tied bids, each insider receives
 *   `−b^i_γ + B_γ/|S|` (Table 2), and its total is `Sh_i(S)` whoever wins.
 * - Outsiders' stage (reached only after rejections): partition `P ∋ S*` drawn by the CRP weights; in
 *   each outsider coalition `T` (the last rejected proposer's first) a proposer `β(T)` is drawn
 *   uniformly (never the last rejected proposer when `|T| ≥ 2`); it offers each member its rejection
 *   payoff `v({i}, P')` (`P'` = `P` with `i` split off `T`), all accept and `T` forms. **[choice]** The
 *   seed paper leaves the outsiders' stage informal; this rule keeps the drawn partition, which is what
 *   makes `v̂` the insiders' expected worth.
 *
 * On the equilibrium path the grand coalition forms at the first proposal and every run pays exactly
 * the MPW value. `rejectFirst` forces the first proposals to be rejected, to exercise the off-path
 * subgames: there the insiders' expected payoffs are `Shapley(v̂|S*)`.
 */
import { Rng, parseWithSchema } from '@mechlab/core';
import { multibiddingOptionsSchema } from './schema';
import type { SeedKey } from '@mechlab/core';
import { checkPlayers, maskMembers, popcount } from './games';
import type { PartitionFunction } from './games';
import { averageGame } from './mpw';
import { MAX_PARTITION_PLAYERS, seatCrp } from './partition';

/** Options of {@link simulateMultibidding}. */
export interface MultibiddingOptions {
  /** Number of independent plays of the mechanism (integer ≥ 2). */
  runs: number;
  /** Seed of the `Rng` stream (default 0). */
  seed?: SeedKey;
  /** Force the first `k` insider-stage proposals to be rejected (off-path subgames); default 0. */
  rejectFirst?: number;
  /** Keep every run's outcome in `records` (default false). */
  record?: boolean;
}

/** One play of the mechanism. */
export interface MultibiddingRun {
  /** Final payoffs (Table 2): outcome payments plus bid transfers. */
  payoffs: number[];
  /** The insider coalition `S*` whose proposal was accepted (or the last insider). */
  insiders: number[];
  /** The final partition `P*`, blocks sorted by smallest member. */
  partition: number[][];
  /** Insider-stage proposers in order (`γ_n, γ_{n−1}, …`). */
  proposers: number[];
  /** Net bid transfers `Σ_k (−b^i_{γ_k} + B_{γ_k}/k)` of Table 2 (included in `payoffs`). */
  transfers: number[];
}

/** Result of {@link simulateMultibidding}. */
export interface MultibiddingResult {
  /** Mean payoff of each player over the runs. */
  mean: Float64Array;
  /** Standard error of each mean. */
  stderr: Float64Array;
  /** The exact MPW value, for comparison. */
  mpw: Float64Array;
  /** Number of runs. */
  runs: number;
  /** Fraction of runs that ended in the grand coalition. */
  grandCoalitionRate: number;
  /** Per-run outcomes when `record` was set. */
  records?: MultibiddingRun[];
}

/**
 * Shapley value of `v̂` restricted to every coalition, by the recursion
 * `Sh_i(S) = [v̂(S) − v̂(S∖i) + Σ_{j∈S∖i} Sh_i(S∖j)] / |S|` (Hart & Mas-Colell 1989). Index `S·n + i`.
 */
function subgameShapley(n: number, vhat: Float64Array): Float64Array {
  const size = 1 << n;
  const sh = new Float64Array(size * n);
  for (let S = 1; S < size; S++) {
    const k = popcount(S);
    for (let ri = S; ri !== 0; ri &= ri - 1) {
      const i = 31 - Math.clz32(ri & -ri);
      let acc = vhat[S]! - vhat[S ^ (1 << i)]!;
      for (let rj = S; rj !== 0; rj &= rj - 1) {
        const j = 31 - Math.clz32(rj & -rj);
        if (j !== i) acc += sh[(S ^ (1 << j)) * n + i]!;
      }
      sh[S * n + i] = acc / k;
    }
  }
  return sh;
}

/**
 * Simulates the multibidding coalition-formation game (Algorithms 1–2) with equilibrium strategies and
 * reports the mean payoffs, which equal the MPW value (Table 2 accounting; MPW 2006/2007).
 *
 * Complexity: O(B(n) · cost(evaluate) + n² 2^n) to precompute `v̂` and the subgame values, then
 * O(n² + n · cost(evaluate)) per run.
 * @throws MechlabError `ERR_TOO_LARGE` when `n > 10`; `ERR_OUT_OF_RANGE` for `runs < 2` or
 *   `rejectFirst` outside `[0, n−1]`.
 * @example simulateMultibidding(game, { runs: 100, seed: 3 }).mean // equals mpwExact(game)
 */
export function simulateMultibidding(
  game: PartitionFunction,
  options: MultibiddingOptions,
): MultibiddingResult {
  const n = game.n;
  checkPlayers('game.n', n, MAX_PARTITION_PLAYERS);
  const o = parseWithSchema(multibiddingOptionsSchema(n), options, 'options');
  const runs = o.runs;
  const rejectFirst = o.rejectFirst ?? 0;
  const rng = Rng.seed(options.seed ?? 0).split('coalition.multibidding');
  const vhat = averageGame(game).values;
  const sh = subgameShapley(n, vhat);
  const full = (1 << n) - 1;
  const mpw = sh.slice(full * n, full * n + n);

  const transfers = new Float64Array(n);
  const offers = new Float64Array(n);
  const payoff = new Float64Array(n);
  const bidOnWinner = new Float64Array(n);
  const aggregate = new Float64Array(n);
  const labels = new Int32Array(n);
  const splitLabels = new Int32Array(n);
  const out = new Float64Array(n);
  const splitOut = new Float64Array(n);
  const outsiders = new Int32Array(n);
  const table = new Int32Array(n);
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n);
  const records: MultibiddingRun[] = [];
  let grand = 0;

  for (let run = 1; run <= runs; run++) {
    transfers.fill(0);
    offers.fill(0);
    payoff.fill(0);
    let S = full;
    let proposer = -1;
    let lastRejected = -1;
    const proposers: number[] = [];
    // Insiders' stage (Algorithm 2, lines 2–17).
    for (let round = 0; popcount(S) > 1; round++) {
      const members = maskMembers(S);
      const k = members.length;
      // π_i^j: i's payoff if j proposes; b^i_j = π_i^j − Sh_i(S); B_j = Σ_i b^i_j.
      let best = -Infinity;
      for (const j of members) {
        const rest = S ^ (1 << j);
        let B = 0;
        for (const i of members) {
          const pi = i === j ? vhat[S]! - vhat[rest]! : sh[rest * n + i]!;
          B += pi - sh[S * n + i]!;
        }
        aggregate[j] = B;
        if (B > best) best = B;
      }
      const tol = 1e-9 * (1 + Math.abs(vhat[S]!));
      const tied = members.filter((j) => aggregate[j]! >= best - tol);
      const gamma = tied[tied.length === 1 ? 0 : rng.int(tied.length)]!;
      proposers.push(gamma);
      const rest = S ^ (1 << gamma);
      for (const i of members) {
        const pi = i === gamma ? vhat[S]! - vhat[rest]! : sh[rest * n + i]!;
        bidOnWinner[i] = pi - sh[S * n + i]!;
        transfers[i] = transfers[i]! - bidOnWinner[i]! + aggregate[gamma]! / k;
      }
      // Proposal: continuation values; responders accept iff the offer covers their continuation.
      let accepted = round >= rejectFirst;
      for (const i of members) {
        if (i === gamma) continue;
        offers[i] = sh[rest * n + i]!;
        if (offers[i]! < sh[rest * n + i]! - tol) accepted = false;
      }
      if (accepted) {
        proposer = gamma;
        break;
      }
      lastRejected = gamma;
      S = rest;
    }
    // Final partition: S plus, after a rejection, the CRP partition of the outsiders (Algorithm 2 l. 18–36).
    labels.fill(0);
    let blocks = 1;
    let nOut = 0;
    if (S !== full) {
      for (let i = 0; i < n; i++) if (((S >>> i) & 1) === 0) outsiders[nOut++] = i;
      blocks = 1 + seatCrp(outsiders, nOut, rng, table);
      for (let t = 0; t < nOut; t++) labels[outsiders[t]!] = 1 + table[outsiders[t]!]!;
    }
    game.evaluate(labels, blocks, out);
    // Insiders: proposer keeps the residual; a lone insider keeps its worth.
    if (proposer >= 0) {
      let paid = 0;
      for (let i = 0; i < n; i++) {
        if (((S >>> i) & 1) === 1 && i !== proposer) {
          payoff[i] = offers[i]!;
          paid += offers[i]!;
        }
      }
      payoff[proposer] = out[0]! - paid;
    } else {
      payoff[31 - Math.clz32(S)] = out[0]!;
    }
    // Outsiders: games G(T), the last rejected proposer's coalition first (order does not change payoffs
    // here because every drawn coalition forms).
    for (let b = 1; b < blocks; b++) {
      const T: number[] = [];
      for (let i = 0; i < n; i++) if (labels[i] === b) T.push(i);
      if (T.length === 1) {
        payoff[T[0]!] = out[b]!;
        continue;
      }
      const eligible = T.filter((i) => i !== lastRejected);
      const beta = eligible[eligible.length === 1 ? 0 : rng.int(eligible.length)]!;
      let paid = 0;
      for (const i of T) {
        if (i === beta) continue;
        splitLabels.set(labels);
        splitLabels[i] = blocks;
        game.evaluate(splitLabels, blocks + 1, splitOut);
        payoff[i] = splitOut[blocks]!;
        paid += payoff[i]!;
      }
      payoff[beta] = out[b]! - paid;
    }
    if (S === full) grand++;
    for (let i = 0; i < n; i++) {
      const x = payoff[i]! + transfers[i]!;
      const d = x - mean[i]!;
      mean[i] = mean[i]! + d / run;
      m2[i] = m2[i]! + d * (x - mean[i]!);
      payoff[i] = x;
    }
    if (options.record === true) {
      const partition: number[][] = [];
      for (let b = 0; b < blocks; b++) {
        const block: number[] = [];
        for (let i = 0; i < n; i++) if (labels[i] === b) block.push(i);
        partition.push(block);
      }
      partition.sort((x, y) => x[0]! - y[0]!);
      records.push({
        payoffs: Array.from(payoff),
        insiders: maskMembers(S),
        partition,
        proposers,
        transfers: Array.from(transfers),
      });
    }
  }
  const stderr = new Float64Array(n);
  for (let i = 0; i < n; i++) stderr[i] = Math.sqrt(m2[i]! / (runs - 1) / runs);
  const result: MultibiddingResult = { mean, stderr, mpw, runs, grandCoalitionRate: grand / runs };
  if (options.record === true) result.records = records;
  return result;
}
