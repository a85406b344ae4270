/**
 * Threshold data contributions with withdrawal rights — the model of MODELS.md §5, reconstructed from
 * the abstract of Feng, Zhang & Zhao (2026), "Incentivizing User Data Contributions for LLM Improvement
 * under Withdrawal Rights" (arXiv:2605.07419, seed 003). The abstract fixes only the qualitative set-up;
 * every quantitative choice below is ours, is a parameter, and is listed in the package README.
 *
 * Primitives of one instance (all drawn from the task's `Rng`, in this order):
 * - `n` users; base unit cost `c_i ~ U[costLo, costHi]` (the cost `F` of §5; reported to the provider);
 * - capacity `q_i ~ U[capLo, capHi]` (max units user i can give; `capLo = capHi = 1` is unit capacity);
 * - value of the improvement `b_i ~ U[0, valueHi]` (a lump sum, non-excludable: enjoyed by every user
 *   if the model improves, contributor or not);
 * - reconsideration shock `ε_i ≥ 0`: with probability `shockProb` the user is hit and
 *   `ε_i ~ Exp(mean shockMean)`, else `ε_i = 0` (a privacy/effort cost that materialises only once
 *   the data are actually requested, i.e. after reports and assignment). The realised unit cost at
 *   the time of provision is `c̃_i = c_i + ε_i`.
 * The model improves iff the total contribution reaches the threshold `τ`.
 */
import { z } from 'zod';
import { MechlabError, addRangeIssue, isMechlabError, parseWithSchema, type Rng } from '@mechlab/core';

/** Order in which the sequential protocol asks users (by assigned burden). */
export type SequentialOrder = 'small-first' | 'large-first';

/** Every knob of the model. See the README's "Modelling choices" table for the justification. */
export interface ContributionParams {
  /** Number of users n (integer ≥ 1). */
  readonly n: number;
  /** Improvement threshold τ in data units (> 0). */
  readonly tau: number;
  /** Base unit costs c_i ~ U[costLo, costHi] (0 ≤ costLo < costHi). */
  readonly costLo: number;
  readonly costHi: number;
  /** Capacities q_i ~ U[capLo, capHi] (0 < capLo ≤ capHi). */
  readonly capLo: number;
  readonly capHi: number;
  /** Improvement values b_i ~ U[0, valueHi] (≥ 0). */
  readonly valueHi: number;
  /** π ∈ [0, 1]: probability that a user is hit by a reconsideration shock. */
  readonly shockProb: number;
  /** Mean of the exponential shock size given a hit (≥ 0; 0 switches shocks off). */
  readonly shockMean: number;
  /** ρ ∈ [0, 1]: share of the provision cost that is sunk when a committed contribution is not used. */
  readonly irreversibility: number;
  /** ψ ≥ 0: per-unit participation premium the reporting mechanisms add to the critical price. */
  readonly premium: number;
  /** κ > 0: the posted subsidy targets an expected supply of κ·τ. */
  readonly subsidyTarget: number;
  /** Queue order of the sequential protocol (default 'small-first', the abstract's protocol). */
  readonly sequentialOrder: SequentialOrder;
}

/** The numeric parameters — the ones a sweep grid may vary. */
export type NumericParamKey = Exclude<keyof ContributionParams, 'sequentialOrder'>;

/** Canonical order of the numeric parameters (also the grid's nesting order, first = slowest). */
export const NUMERIC_PARAM_KEYS: readonly NumericParamKey[] = Object.freeze([
  'n',
  'tau',
  'costLo',
  'costHi',
  'capLo',
  'capHi',
  'valueHi',
  'shockProb',
  'shockMean',
  'irreversibility',
  'premium',
  'subsidyTarget',
]);

/**
 * Defaults: 100 users, τ = 20 units, U[0, 1] costs, capacities U[0.5, 1.5] (so burdens differ and
 * "small-first" means something), values U[0, 0.3], a 5% chance of a reconsideration shock of mean
 * 0.5, half of the cost sunk when a contribution goes unused, subsidy aimed at E[supply] = τ.
 */
export const CONTRIBUTION_DEFAULTS: Readonly<ContributionParams> = Object.freeze({
  n: 100,
  tau: 20,
  costLo: 0,
  costHi: 1,
  capLo: 0.5,
  capHi: 1.5,
  valueHi: 0.3,
  shockProb: 0.05,
  shockMean: 0.5,
  irreversibility: 0.5,
  premium: 0,
  subsidyTarget: 1,
  sequentialOrder: 'small-first',
});

/** Per-field zod schemas (ranges of MODELS.md §5 parameters), shared by the library validator and the CLI. */
export const PARAM_FIELD_SCHEMAS = {
  n: z.number().int().min(1).max(100_000),
  tau: z.number().gt(0),
  costLo: z.number().min(0),
  costHi: z.number().gt(0),
  capLo: z.number().gt(0),
  capHi: z.number().gt(0),
  valueHi: z.number().min(0),
  shockProb: z.number().min(0).max(1),
  shockMean: z.number().min(0),
  irreversibility: z.number().min(0).max(1),
  premium: z.number().min(0),
  subsidyTarget: z.number().gt(0),
  sequentialOrder: z.enum(['small-first', 'large-first']),
} as const;

/**
 * The cross-field constraints `costLo < costHi`, `capLo ≤ capHi` and `subsidyTarget·τ < n·E[q]`
 * (otherwise no posted price can reach the subsidy's target supply), as issues core's converter turns
 * into `costHi must be > costLo = 0.5, got 0.4`.
 */
function crossField(p: ContributionParams, ctx: z.RefinementCtx): void {
  if (!(p.costHi > p.costLo)) return addRangeIssue(ctx, ['costHi'], `> costLo = ${p.costLo}`);
  if (!(p.capHi >= p.capLo)) return addRangeIssue(ctx, ['capHi'], `≥ capLo = ${p.capLo}`);
  const maxTau = (p.n * (p.capLo + p.capHi)) / 2 / p.subsidyTarget;
  if (!(p.tau < maxTau)) addRangeIssue(ctx, ['tau'], `< n·E[capacity]/subsidyTarget = ${round6(maxTau)}`);
}

/** A complete parameter set: every key required, unknown keys rejected, cross-field constraints. */
const completeParamsSchema = z.strictObject(PARAM_FIELD_SCHEMAS).superRefine(crossField);

/**
 * Validate a full parameter set: per-field ranges, then the cross-field constraints `costLo < costHi`,
 * `capLo ≤ capHi`, and `subsidyTarget·τ < n·E[q]` (otherwise no posted price can reach the subsidy's
 * target supply). `where` is appended to messages (e.g. ` (grid point 3)`).
 *
 * Complexity: O(1).
 * @throws MechlabError naming the field, e.g. `tau must be > 0, got -1`.
 */
export function validateContributionParams(p: ContributionParams, where = ''): ContributionParams {
  try {
    parseWithSchema(completeParamsSchema, p, '');
  } catch (e) {
    if (where === '' || !isMechlabError(e)) throw e;
    throw new MechlabError(e.code, e.message + where, e.field);
  }
  return p;
}

const D = CONTRIBUTION_DEFAULTS;
const F = PARAM_FIELD_SCHEMAS;

/**
 * The full parameter schema: every key optional on input and filled from CONTRIBUTION_DEFAULTS, unknown
 * keys rejected, cross-field constraints checked — the `paramsSchema` a sweep-engine registration of
 * `contribution.threshold` needs (MODELS.md §6).
 *
 * Complexity: O(1) per parse.
 * @example contributionParamsSchema.parse({ tau: 10 }).n // 100
 */
export const contributionParamsSchema = z
  .object({
    n: F.n.default(D.n),
    tau: F.tau.default(D.tau),
    costLo: F.costLo.default(D.costLo),
    costHi: F.costHi.default(D.costHi),
    capLo: F.capLo.default(D.capLo),
    capHi: F.capHi.default(D.capHi),
    valueHi: F.valueHi.default(D.valueHi),
    shockProb: F.shockProb.default(D.shockProb),
    shockMean: F.shockMean.default(D.shockMean),
    irreversibility: F.irreversibility.default(D.irreversibility),
    premium: F.premium.default(D.premium),
    subsidyTarget: F.subsidyTarget.default(D.subsidyTarget),
    sequentialOrder: F.sequentialOrder.default(D.sequentialOrder),
  })
  .strict()
  .superRefine(crossField);

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** One drawn instance: typed arrays indexed by user. */
export interface ContributionInstance {
  /** Base (reported) unit costs c_i. */
  readonly cost: Float64Array;
  /** Capacities q_i. */
  readonly capacity: Float64Array;
  /** Improvement values b_i. */
  readonly value: Float64Array;
  /** Shocks ε_i ≥ 0; the realised unit cost is cost[i] + shock[i]. */
  readonly shock: Float64Array;
}

/**
 * Draw an instance. Always consumes exactly 5n uniform-equivalent draws in the order costs,
 * capacities, values, shock hits, shock sizes, so changing one parameter's value does not shift the
 * other streams.
 *
 * Complexity: O(n).
 */
export function drawContributionInstance(rng: Rng, p: ContributionParams): ContributionInstance {
  const n = p.n;
  const cost = new Float64Array(n);
  const capacity = new Float64Array(n);
  const value = new Float64Array(n);
  const shock = new Float64Array(n);
  for (let i = 0; i < n; i++) cost[i] = p.costLo + (p.costHi - p.costLo) * rng.next();
  for (let i = 0; i < n; i++) capacity[i] = p.capLo + (p.capHi - p.capLo) * rng.next();
  for (let i = 0; i < n; i++) value[i] = p.valueHi * rng.next();
  for (let i = 0; i < n; i++) shock[i] = rng.next() < p.shockProb ? 1 : 0;
  for (let i = 0; i < n; i++) shock[i] = shock[i]! * p.shockMean * rng.exponential(1);
  return { cost, capacity, value, shock };
}

/**
 * CDF of the shock ε at e: P(ε ≤ e) = 1 − π·exp(−e/η) for e ≥ 0 (an atom of mass 1 − π at 0), and 0
 * for e < 0; a unit step at 0 when η = 0 or π = 0.
 *
 * Complexity: O(1).
 * @example shockCdf(0, 0.05, 0.5) // 0.95 (the unshocked users)
 */
export function shockCdf(e: number, shockProb: number, shockMean: number): number {
  if (e < 0) return 0;
  if (shockMean <= 0) return 1;
  return 1 - shockProb * Math.exp(-e / shockMean);
}

/**
 * CDF of the realised unit cost c̃ = c + ε with c ~ U[a, b] and ε the shock mixture, in closed form:
 * F(x) = (1 − π)·U(x) + π·[(u − a) − η(e^{−(x−u)/η} − e^{−(x−a)/η})] / (b − a), u = min(b, x), x > a.
 *
 * Complexity: O(1).
 */
export function realisedCostCdf(x: number, p: ContributionParams): number {
  const a = p.costLo,
    b = p.costHi,
    eta = p.shockMean,
    pi = p.shockProb;
  if (x <= a) return 0;
  const uniform = Math.min(1, (x - a) / (b - a));
  if (eta <= 0 || pi <= 0) return uniform;
  const u = Math.min(b, x);
  const conv = (u - a - eta * (Math.exp(-(x - u) / eta) - Math.exp(-(x - a) / eta))) / (b - a);
  return Math.min(1, Math.max(0, (1 - pi) * uniform + pi * conv));
}

/**
 * The posted per-unit subsidy s: the smallest s whose expected supply under the cost distribution
 * reaches the target, i.e. n·E[q]·P(c̃ ≤ s) = κ·τ. The provider does not see realised costs, so the
 * realised supply misses τ on a sizeable share of instances (about half when κ = 1).
 *
 * Complexity: O(1) (60 bisection steps on a closed-form CDF).
 * @see MODELS.md §5 (a); seed 003 abstract ("subsidy expenditure without model improvements").
 * @example postedSubsidy({ ...CONTRIBUTION_DEFAULTS, shockMean: 0 }) // ≈ 0.2 (= F⁻¹(20 / 100))
 * @example postedSubsidy(CONTRIBUTION_DEFAULTS) // ≈ 0.2085
 */
export function postedSubsidy(p: ContributionParams): number {
  const target = (p.subsidyTarget * p.tau) / ((p.n * (p.capLo + p.capHi)) / 2);
  let lo = p.costLo,
    hi = p.costHi + 60 * p.shockMean;
  for (let it = 0; it < 60; it++) {
    const mid = 0.5 * (lo + hi);
    if (realisedCostCdf(mid, p) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Wasted provision of one mechanism on one instance (see {@link wastedProvision}). */
export interface WastedProvision {
  /** Units committed on an instance that missed τ (0 if τ was crossed). */
  readonly wastedSupply: number;
  /** Contributors' costs sunk on an instance that missed τ (0 if τ was crossed). */
  readonly sunkCost: number;
}

/**
 * The "inefficient provision" of seed 003's abstract, per instance: supply that was committed and costs
 * that contributors sank on an instance that missed τ. `supply` = Σ dᵢ over the users who provided
 * data, `committedCost` = Σ c̃ᵢdᵢ over the same users (realised unit costs c̃ᵢ = cᵢ + εᵢ), and
 * `sunkShare` the share of that cost which stays sunk when the data go unused: 1 for the posted subsidy
 * (the floor response provides on posting and bears c̃ᵢqᵢ whatever happens, MODELS.md §5 (a)) and the
 * irreversibility ρ for the withdrawal mechanisms (no crossing ⇒ no training, data deleted; only ρ·c̃ᵢdᵢ
 * is sunk — the payoff behind the stay cutoff, MODELS.md §5 (b)). On a crossing both are 0; the mean
 * over instances is E[supply·1{miss}] resp. E[sunk cost·1{miss}].
 *
 * Complexity: O(1).
 * @example wastedProvision(false, 12, 3, 0.5) // { wastedSupply: 12, sunkCost: 1.5 }
 */
export function wastedProvision(
  crossed: boolean,
  supply: number,
  committedCost: number,
  sunkShare: number,
): WastedProvision {
  if (crossed) return { wastedSupply: 0, sunkCost: 0 };
  return { wastedSupply: supply, sunkCost: sunkShare * committedCost };
}
