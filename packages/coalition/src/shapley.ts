/**
 * Shapley value (Shapley 1953; the paper's solution concept for CFF games, §4 and App. E):
 * `φ_i = Σ_{S ⊆ N∖{i}} |S|! (n−|S|−1)! / n! · [v(S ∪ {i}) − v(S)]`.
 *
 * Three methods: exact subset enumeration over a dense table (n ≤ 20), the exact closed form of
 * max-pooling markets (Eq. 10; a sum of "maximum games", i.e. airport games), and permutation
 * sampling with standard errors for any `n`.
 */
import { Rng, parseWithSchema } from '@mechlab/core';
import { samplerOptionsSchema } from './schema';
import type { SeedKey } from '@mechlab/core';
import { checkTable, popcount } from './games';
import type { CharacteristicGame, CoalitionOracle, MaxPoolingGame } from './games';

/** `w[s] = s! (n−s−1)! / n!` for `s = 0..n−1`, by the ratio recursion (no factorial overflow). */
export function shapleyWeights(n: number): Float64Array {
  const w = new Float64Array(n);
  w[0] = 1 / n;
  for (let s = 1; s < n; s++) w[s] = (w[s - 1]! * s) / (n - s);
  return w;
}

/**
 * Exact Shapley value by subset enumeration: one pass over the `2^n` table, adding the weighted
 * marginal contribution `w(|S|) · [v(S ∪ {i}) − v(S)]` for every `i ∉ S`. No per-subset allocation.
 *
 * Complexity: O(n · 2^n) time, O(n) extra memory (n = 20: about 10⁷ updates).
 * @throws MechlabError `ERR_TOO_LARGE` when `n > 20`; `ERR_INVALID_INPUT` when the table is not `2^n` long.
 * @example shapleyExact({ kind: 'characteristic', n: 2, values: Float64Array.of(0, 1, 2, 4) }) // Float64Array [1.5, 2.5]
 */
export function shapleyExact(game: CharacteristicGame): Float64Array {
  const { n, values } = game;
  checkTable(game);
  const size = 1 << n;
  const w = shapleyWeights(n);
  const phi = new Float64Array(n);
  const full = size - 1;
  for (let mask = 0; mask < full; mask++) {
    const ws = w[popcount(mask)]!;
    const vS = values[mask]!;
    for (let rest = full & ~mask; rest !== 0; rest &= rest - 1) {
      const bit = rest & -rest;
      const i = 31 - Math.clz32(bit);
      phi[i] = phi[i]! + ws * (values[mask | bit]! - vS);
    }
  }
  return phi;
}

/**
 * Exact Shapley value of an Eq. 10 max-pooling market `v(S) = Σ_j w_j max_{i∈S} r_ij` in closed form.
 *
 * Derivation (Littlechild & Owen 1973, "A simple expression for the Shapley value in a special case",
 * Management Science 20(3) — the airport game): for one benchmark sort the scores
 * `a_(1) ≤ … ≤ a_(n)` and set `a_(0) = 0`. For non-empty `S`,
 * `max_{i∈S} a_i = Σ_{k=1}^{n} (a_(k) − a_(k−1)) · 1[S ∩ U_k ≠ ∅]` with `U_k = {agents of rank ≥ k}`
 * (`|U_k| = n−k+1`). The game `1[S ∩ U ≠ ∅]` gives `1/|U|` to each member of `U` (symmetry, null player,
 * efficiency), so by additivity the agent of rank `r` receives
 * `φ_(r) = Σ_{k=1}^{r} (a_(k) − a_(k−1)) / (n − k + 1)`. Tied agents get equal values (the increments
 * between them are exactly 0). Benchmarks add up with weights `w_j` (additivity). Negative scores are
 * allowed (the first increment absorbs them). The per-benchmark sort is a stable LSD radix argsort on
 * the order-preserving 64-bit image of the doubles (4 passes of 16 bits), so no comparator calls and
 * no binary searches.
 *
 * Complexity: O(m · (n + 2^16)) time (≤ the O(m · n log n) of a comparison sort), O(n) extra memory.
 * @throws never (any finite scores and weights)
 * @example shapleyMaxPooling({ kind: 'maxPooling', n: 2, m: 1, scores: Float64Array.of(0.4, 1), weights: Float64Array.of(1) }) // Float64Array [0.2, 0.8]
 */
export function shapleyMaxPooling(game: MaxPoolingGame): Float64Array {
  const { n, m, scores, weights } = game;
  const phi = new Float64Array(n);
  const col = new Float64Array(n);
  const words = new Uint32Array(col.buffer);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  let idx = new Uint32Array(n);
  let tmp = new Uint32Array(n);
  const count = new Uint32Array(RADIX);
  for (let j = 0; j < m; j++) {
    const w = weights[j]!;
    if (w === 0) continue;
    for (let i = 0; i < n; i++) {
      col[i] = scores[i * m + j]!;
      // Order-preserving map of an IEEE-754 double to an unsigned 64-bit key (hi, lo).
      let h = words[2 * i + HI]!;
      let l = words[2 * i + LO]!;
      if (h >>> 31 === 1) {
        h = ~h >>> 0;
        l = ~l >>> 0;
      } else {
        h = (h | 0x80000000) >>> 0;
      }
      hi[i] = h;
      lo[i] = l;
      idx[i] = i;
    }
    for (let pass = 0; pass < 4; pass++) {
      const key = pass < 2 ? lo : hi;
      const shift = (pass & 1) * 16;
      count.fill(0);
      for (let i = 0; i < n; i++) {
        const d = (key[i]! >>> shift) & MASK;
        count[d] = count[d]! + 1;
      }
      if (count[(key[0]! >>> shift) & MASK] === n) continue; // one bucket: the pass is a no-op
      let acc = 0;
      for (let d = 0; d < RADIX; d++) {
        const c = count[d]!;
        count[d] = acc;
        acc += c;
      }
      for (let t = 0; t < n; t++) {
        const i = idx[t]!;
        const d = (key[i]! >>> shift) & MASK;
        const at = count[d]!;
        tmp[at] = i;
        count[d] = at + 1;
      }
      const swap = idx;
      idx = tmp;
      tmp = swap;
    }
    let acc = 0;
    let prev = 0;
    for (let k = 0; k < n; k++) {
      const i = idx[k]!;
      const a = col[i]!;
      acc += (a - prev) / (n - k);
      phi[i] = phi[i]! + w * acc;
      prev = a;
    }
  }
  return phi;
}

const RADIX = 1 << 16;
const MASK = RADIX - 1;
/** Word order of a Float64 inside a Uint32Array view on this platform. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/** Options of {@link shapleySample}. */
export interface ShapleySampleOptions {
  /** Independent sampling units: permutations (plain) or antithetic pairs; integer ≥ 2. */
  samples: number;
  /** Seed of the `Rng` stream (default 0). */
  seed?: SeedKey;
  /** Pair every permutation with its reverse (antithetic variates; default false). */
  antithetic?: boolean;
  /** Called with (units done, samples) every {@link PROGRESS_BATCH} units and at the end; no I/O here. */
  onProgress?: (done: number, total: number) => void;
}

/** Units (permutations) between two `onProgress` calls of the samplers. */
export const PROGRESS_BATCH = 64;

/** A Monte Carlo estimate with per-player standard errors. */
export interface ShapleyEstimate {
  /** Estimated values (efficient: they always sum to `v(N) − v(∅)`). */
  values: Float64Array;
  /** Standard error of each estimate: sample standard deviation of the unit means / √samples. */
  stderr: Float64Array;
  /** Number of independent units averaged. */
  samples: number;
  /** Number of permutations walked (`samples`, or `2 · samples` when antithetic). */
  permutations: number;
  /** Whether antithetic pairs were used. */
  antithetic: boolean;
}

/**
 * Shapley value by permutation sampling (Castro, Gómez & Tejada 2009): `φ_i = E_π[v(P_i^π ∪ {i}) −
 * v(P_i^π)]` where `P_i^π` are the predecessors of `i` in a uniform random permutation. Each unit is one
 * permutation (or, with `antithetic`, the average of a permutation and its reverse, which are
 * negatively correlated for monotone games). Stated error: `stderr_i = s_i / √K`, the sample standard
 * deviation of the `K = samples` independent unit values of player `i` divided by `√K`; by the CLT
 * `|estimate − φ_i| ≤ 1.96 · stderr_i` about 95% of the time. Each unit's contributions telescope to
 * `v(N) − v(∅)`, so the estimate is exactly efficient.
 *
 * Complexity: O(K · n · cost(add)) time (O(K · n · m) for markets), O(n) memory.
 * @throws MechlabError `ERR_OUT_OF_RANGE` when `samples` is not an integer ≥ 2.
 * @example shapleySample(maxPoolingOracle(game), { samples: 1000, seed: 7 }).stderr
 */
export function shapleySample(oracle: CoalitionOracle, options: ShapleySampleOptions): ShapleyEstimate {
  const { samples } = parseWithSchema(samplerOptionsSchema, options, 'options');
  const antithetic = options.antithetic ?? false;
  const rng = Rng.seed(options.seed ?? 0).split('coalition.shapleySample');
  const n = oracle.n;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const unit = new Float64Array(n);
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n);
  for (let s = 1; s <= samples; s++) {
    rng.shuffle(perm);
    let prev = oracle.reset();
    for (let k = 0; k < n; k++) {
      const i = perm[k]!;
      const cur = oracle.add(i);
      unit[i] = cur - prev;
      prev = cur;
    }
    if (antithetic) {
      prev = oracle.reset();
      for (let k = n - 1; k >= 0; k--) {
        const i = perm[k]!;
        const cur = oracle.add(i);
        unit[i] = 0.5 * (unit[i]! + cur - prev);
        prev = cur;
      }
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
  return {
    values: mean,
    stderr,
    samples,
    permutations: antithetic ? 2 * samples : samples,
    antithetic,
  };
}
