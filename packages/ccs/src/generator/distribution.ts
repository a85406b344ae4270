/** Distributions of θ, w and c for the random CCS generators (MODELS.md §1.4), and their validation. */
import { MechlabError, parseWithSchema, rangeError, type Rng } from '@mechlab/core';
import { z } from 'zod';
import { notBelow } from '../validate';
import type { CostFamily } from '../instance';

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { log1p } = Math;
const { isFinite: isFiniteNumber } = Number;

/** A distribution on `[0, ∞)` for θ, w or c. */
export type CcsDistribution =
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'exponential'; readonly mean: number }
  | {
      readonly kind: 'custom';
      /** Draw one value ≥ 0. */
      readonly sample: (rng: Rng) => number;
      readonly mean: number;
      /** Needed only by {@link asymptoticPrediction}'s second-order term (default 0). */
      readonly variance?: number;
      /** Needed only by {@link asymptoticPrediction} when used for costs: inverse CDF on (0, 1). */
      readonly quantile?: (u: number) => number;
    };

/** Marginals shared by the generators; explicit distributions override the `*Max` shorthands. */
export interface CcsMarginals {
  /** θ ~ U[0, thetaMax] unless `theta` is given. Default 1. */
  readonly thetaMax?: number;
  /** w ~ U[0, wMax] unless `weight` is given. Default 1. */
  readonly wMax?: number;
  /** c ~ U[0, costMax] unless `cost` is given. Default 1. */
  readonly costMax?: number;
  readonly theta?: CcsDistribution;
  readonly weight?: CcsDistribution;
  readonly cost?: CcsDistribution;
}

/** Options of {@link randomCcsInstance}. */
export interface RandomCcsOptions extends CcsMarginals {
  readonly n: number;
  /** Edge probability ρ ∈ [0, 1] for each ordered pair. */
  readonly rho: number;
  readonly costFamily?: CostFamily;
}

/** Draw one value. O(1). @throws MechlabError `ERR_OUT_OF_RANGE` if a custom sampler returns < 0 or NaN. */
export function sampleDistribution(d: CcsDistribution, rng: Rng): number {
  switch (d.kind) {
    case 'uniform':
      return d.min + (d.max - d.min) * rng.next();
    case 'constant':
      return d.value;
    case 'exponential':
      return rng.exponential(1 / d.mean);
    case 'custom': {
      const v = d.sample(rng);
      // Per draw (hot path): a hand-written check of the sampler's output, not a zod parse.
      if (!(v >= 0 && isFiniteNumber(v))) throw rangeError('custom sample', 'a finite number ≥ 0', v);
      return v;
    }
  }
}

/** Mean of a distribution. O(1). */
export function distributionMean(d: CcsDistribution): number {
  switch (d.kind) {
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'constant':
      return d.value;
    case 'exponential':
      return d.mean;
    case 'custom':
      return d.mean;
  }
}

/** Variance of a distribution (custom: its `variance`, default 0). O(1). */
export function distributionVariance(d: CcsDistribution): number {
  switch (d.kind) {
    case 'uniform':
      return ((d.max - d.min) * (d.max - d.min)) / 12;
    case 'constant':
      return 0;
    case 'exponential':
      return d.mean * d.mean;
    case 'custom':
      return d.variance ?? 0;
  }
}

/**
 * Inverse CDF `Q(u)`, `u ∈ [0, 1)`. O(1).
 * @throws MechlabError `ERR_INVALID_INPUT` for a custom distribution without `quantile`.
 */
export function distributionQuantile(d: CcsDistribution, u: number): number {
  switch (d.kind) {
    case 'uniform':
      return d.min + (d.max - d.min) * u;
    case 'constant':
      return d.value;
    case 'exponential':
      return -d.mean * log1p(-u);
    case 'custom':
      if (!d.quantile) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          'a custom cost distribution needs a quantile function for the asymptotic prediction',
          'cost.quantile',
        );
      }
      return d.quantile(u);
  }
}

const fn = (what: string) =>
  z.custom<(x: never) => number>((v) => typeof v === 'function', {
    message: `must be ${what}`,
    params: { mechlab: 'ERR_INVALID_TYPE' },
  });

/** The boundary schema of a {@link CcsDistribution} (validated once per call, not per draw). */
const distributionSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('uniform'), min: z.number().min(0), max: z.number() })
    .superRefine(notBelow('max', 'min')),
  z.object({ kind: z.literal('constant'), value: z.number().min(0) }),
  z.object({ kind: z.literal('exponential'), mean: z.number().gt(0) }),
  z.object({
    kind: z.literal('custom'),
    sample: fn('a function (rng) => number'),
    mean: z.number().min(0),
    variance: z.number().min(0).optional(),
    quantile: fn('a function (u) => number').optional(),
  }),
]);

/** The boundary schema of {@link CcsMarginals} (the `*Max` shorthands default to 1). */
const marginalsSchema = z.object({
  thetaMax: z.number().min(0).optional(),
  wMax: z.number().min(0).optional(),
  costMax: z.number().min(0).optional(),
  theta: distributionSchema.optional(),
  weight: distributionSchema.optional(),
  cost: distributionSchema.optional(),
});

/** The three marginals after defaults, validated (shared with truncated-expectation.ts). */
export function marginals(o: CcsMarginals): {
  theta: CcsDistribution;
  weight: CcsDistribution;
  cost: CcsDistribution;
} {
  // Validate, but return the caller's objects: a custom distribution keeps its functions' identity.
  parseWithSchema(marginalsSchema, o, '');
  const theta = o.theta ?? { kind: 'uniform', min: 0, max: o.thetaMax ?? 1 };
  const weight = o.weight ?? { kind: 'uniform', min: 0, max: o.wMax ?? 1 };
  const cost = o.cost ?? { kind: 'uniform', min: 0, max: o.costMax ?? 1 };
  return { theta, weight, cost };
}
