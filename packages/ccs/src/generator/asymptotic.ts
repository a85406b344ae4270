import {
  type CcsDistribution,
  type CcsMarginals,
  distributionMean,
  distributionQuantile,
  distributionVariance,
  marginals,
} from './distribution';
import { checkN, checkRho } from './shared';

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { log1p, min } = Math;

/** Options of {@link asymptoticPrediction}: the generator's parameters. */
export interface AsymptoticOptions extends CcsMarginals {
  readonly n: number;
  readonly rho: number;
}

/** Corollary 13's prediction for random instances (see {@link asymptoticPrediction}). */
export interface AsymptoticPrediction {
  /** Predicted number of players tight portions can incentivise at this n (second-order). */
  readonly players: number;
  /** `players / n`. */
  readonly fraction: number;
  /** Predicted welfare `k μ_θ + k (k−1) ρ μ_w` at `k = players`. */
  readonly welfare: number;
  /** Predicted quality of each active player, `μ_θ + (k−1) ρ μ_w`. */
  readonly qualityPerPlayer: number;
  /** First-order (plain concentration, `E[1/D] ≈ 1/E[D]`) count at this n. */
  readonly firstOrderPlayers: number;
  /** `α∞ = lim k/n`: the largest α with `(1/α) ∫₀^α Q_c(u) du ≤ ρ μ_w`. */
  readonly limitFraction: number;
  /** `lim SW/n² = ρ μ_w α∞²` (Corollary 13: SW = Θ(n²) when α∞ > 0). */
  readonly limitWelfarePerN2: number;
}

/**
 * Corollary 13 (seed 004 §5, Theorem 12 proof, Lemmas 22–23) made explicit for the chosen
 * distributions: how many players tight portions can incentivise, and the welfare that implies.
 *
 * Derivation. Let `θ ~ F_θ` (mean μ_θ, variance σ_θ²), `c ~ F_c` (quantile `Q_c`), and each ordered
 * pair carry an edge with probability ρ and weight `w ~ F_w` (mean μ_w, second moment m₂), all
 * independent.
 * 1. Tight portions (Theorem 12, step 1): a design incentivising a set S of size k costs at least
 *    `Σ_{i∈S} c_i / D_i(S)`, and tight portions achieve it, so only S matters.
 * 2. Quality concentration (Lemma 22): `D_i(S) = θ_i + Σ_{j∈S∖i} B_{ji} w_{ji}` has mean
 *    `μ_D(k) = μ_θ + (k−1)ρμ_w` and variance `σ_D²(k) = σ_θ² + (k−1)(ρ m₂ − ρ²μ_w²)`, independent of
 *    the costs; its relative spread is O(1/√(ρk)), so every active player has quality ≈ μ_D(k).
 * 3. Cost concentration (Lemma 23): the cheapest way to pick k players uses the k smallest costs,
 *    whose sum is ≈ `S_k = Σ_{t=1}^{k} Q_c(t/(n+1))` (expected order statistics; exact for uniform
 *    costs) ≈ `n G(k/n)`, `G(α) = ∫₀^α Q_c`.
 * 4. Feasibility: `Σ c_(t) / D_t ≤ 1`. With costs independent of D, `E[Σ] = S_k E[1/D]`; first order
 *    `E[1/D] ≈ 1/μ_D(k)`, second order (delta method) `E[1/D] ≈ 1/μ_D + σ_D²/μ_D³`, which matters at
 *    moderate n because σ_D/μ_D decays only like 1/√(ρk). The prediction is the largest k with
 *    `S_k · E[1/D] ≤ 1` — exactly the set GCS tries (the k cheapest), scanning k downwards. The
 *    left side is convex in k and the right side constant, so the feasible k form an interval.
 * 5. Limit: with α = k/n, `n G(α) ≤ μ_θ + (αn − 1)ρμ_w` ⇔ `G(α)/α ≤ ρμ_w + O(1/n)`. `G(α)/α`, the
 *    mean of `Q_c` on [0, α], is non-decreasing, so `α∞ = sup{α ≤ 1 : G(α)/α ≤ ρμ_w}`. For
 *    `c ~ U[0, c_max]`, `G(α)/α = c_max α/2` ⇒ `α∞ = min(1, 2ρμ_w/c_max)`; with `w ~ U[0, w_max]` this
 *    is `min(1, ρ w_max / c_max)` — the default (all U[0, 1]) gives `α∞ = ρ`.
 * 6. Welfare: `SW = Σ_{i∈S} D_i(S) ≈ k μ_θ + k(k−1)ρμ_w`, so `SW/n² → ρ μ_w α∞²` (= ρ³/2 for the
 *    defaults): Corollary 13's Θ(n²) welfare with an explicit constant.
 *
 * Complexity O(n) (prefix sums of the quantiles) plus O(1)/O(4096) for the limit (closed form /
 * midpoint rule for custom costs, then bisection).
 *
 * @throws MechlabError `ERR_OUT_OF_RANGE` for bad `n`/`rho`/marginals; `ERR_INVALID_INPUT` for a custom
 *   cost distribution without a quantile.
 * @see seed 004 Corollary 13, Theorem 12 (proof steps 1–3), Lemmas 22–23.
 * @example
 * asymptoticPrediction({ n: 4000, rho: 0.05 })
 * // → { players: 196, fraction: 0.049, welfare: 1053.5, qualityPerPlayer: 5.375,
 * //     firstOrderPlayers: 216, limitFraction: 0.05, limitWelfarePerN2: 6.25e-5 }
 */
export function asymptoticPrediction(opts: AsymptoticOptions): AsymptoticPrediction {
  const { n, rho } = opts;
  checkN(n);
  checkRho(rho);
  const dist = marginals(opts);
  const muT = distributionMean(dist.theta);
  const varT = distributionVariance(dist.theta);
  const muW = distributionMean(dist.weight);
  const m2W = distributionVariance(dist.weight) + muW * muW;

  let sk = 0;
  let k1 = 0;
  let k2 = 0;
  for (let k = 1; k <= n; k++) {
    sk += distributionQuantile(dist.cost, k / (n + 1));
    const mu = muT + (k - 1) * rho * muW;
    if (!(mu > 0)) continue;
    const v = varT + (k - 1) * (rho * m2W - rho * rho * muW * muW);
    if (sk / mu <= 1) k1 = k;
    if (sk * (1 / mu + v / (mu * mu * mu)) <= 1) k2 = k;
  }
  const quality = k2 > 0 ? muT + (k2 - 1) * rho * muW : 0;
  const target = rho * muW;
  const alpha = limitFraction(dist.cost, target);
  return {
    players: k2,
    fraction: k2 / n,
    welfare: k2 * quality,
    qualityPerPlayer: quality,
    firstOrderPlayers: k1,
    limitFraction: alpha,
    limitWelfarePerN2: target * alpha * alpha,
  };
}

/** α∞ = sup{α ∈ [0, 1] : G(α)/α ≤ target} with G(α) = ∫₀^α Q_c (see asymptoticPrediction, step 5). */
function limitFraction(cost: CcsDistribution, target: number): number {
  switch (cost.kind) {
    case 'uniform': {
      const span = cost.max - cost.min;
      if (cost.min > target) return 0;
      if (span === 0) return 1;
      return min(1, (2 * (target - cost.min)) / span);
    }
    case 'constant':
      return cost.value <= target ? 1 : 0;
    default: {
      const avg = (a: number): number => meanQuantile(cost, a);
      if (avg(1) <= target) return 1;
      if (distributionQuantile(cost, 0) > target) return 0;
      let lo = 0,
        hi = 1;
      for (let it = 0; it < 100; it++) {
        const mid = (lo + hi) / 2;
        if (avg(mid) <= target) lo = mid;
        else hi = mid;
      }
      return lo;
    }
  }
}

/** Mean of Q_c over [0, α] (closed form for exponential, midpoint rule otherwise). */
function meanQuantile(cost: CcsDistribution, a: number): number {
  if (a <= 0) return distributionQuantile(cost, 0);
  if (cost.kind === 'exponential') {
    // ∫₀^α −m ln(1−u) du = m[(1−α) ln(1−α) + α]
    const g = a >= 1 ? cost.mean : cost.mean * ((1 - a) * log1p(-a) + a);
    return g / a;
  }
  const panels = 4096;
  let s = 0;
  for (let t = 0; t < panels; t++) s += distributionQuantile(cost, ((t + 0.5) / panels) * a);
  return s / panels;
}
