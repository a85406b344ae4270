/**
 * The `contribution.threshold` experiment (MODELS.md §5 outputs, §6 determinism): per instance, draw
 * the users and run the posted subsidy and cost reporting + withdrawal with the simultaneous and the
 * small-first sequential protocol on common random numbers. Sweeps, seeding, aggregation and the
 * figure are the sweep engine's (`mechlab sweep contribution-vary-tau`; `mechlab contribution` is a
 * front end of the same engine), so this file only defines one instance and its metric row.
 */
import {
  defineExperiment,
  sourceOf,
  type Experiment,
  type MetricDef,
  type Rng,
  type SweepPreset,
} from '@mechlab/core';
import type { z } from 'zod';
import {
  contributionParamsSchema,
  drawContributionInstance,
  postedSubsidy,
  type ContributionParams,
} from './model';
import {
  assignBurdens,
  runSequential,
  runSimultaneous,
  runSubsidy,
  type MechanismOutcome,
} from './mechanisms';

declare const __filename: string | undefined; // CommonJS wrapper's (no Node types here); not in browsers

/** Experiment name: part of every instance's seed path (MODELS.md §6). */
export const CONTRIBUTION_EXPERIMENT = 'contribution.threshold';

/** The three mechanisms compared, in reporting order. */
export type MechanismName = 'subsidy' | 'simultaneous' | 'sequential';
/** The mechanisms in reporting order: posted subsidy, simultaneous and sequential withdrawal protocols. */
export const MECHANISMS: readonly MechanismName[] = Object.freeze(['subsidy', 'simultaneous', 'sequential']);

/** Outcomes of all mechanisms on one instance (plain object: structured-clone and JSON safe). */
export interface ContributionOutcome {
  readonly subsidy: MechanismOutcome;
  readonly simultaneous: MechanismOutcome;
  readonly sequential: MechanismOutcome;
  /** The posted per-unit subsidy s of this parameter point. */
  readonly subsidyLevel: number;
  /** Users assigned a burden by the reporting mechanisms (0 if Σ q < τ). */
  readonly assigned: number;
}

/**
 * Draw one instance and run all three mechanisms on it (common random numbers: every mechanism sees
 * the same users, costs and shocks). Parameters are assumed valid (see validateContributionParams).
 *
 * Complexity: O(n log n + m·k) with m the users asked by the sequential protocol, k its queue length.
 * @see MODELS.md §5.
 * @example
 * simulateContributionInstance(Rng.seed(1), CONTRIBUTION_DEFAULTS).subsidy.crossed // 0 or 1
 */
export function simulateContributionInstance(rng: Rng, params: ContributionParams): ContributionOutcome {
  const inst = drawContributionInstance(rng, params);
  const asg = assignBurdens(inst, params);
  const s = postedSubsidy(params);
  return {
    subsidy: runSubsidy(inst, params, s),
    simultaneous: runSimultaneous(inst, params, asg),
    sequential: runSequential(inst, params, asg),
    subsidyLevel: s,
    assigned: asg === null ? 0 : asg.k,
  };
}

/** Names of the outputs per mechanism, in column order. */
export type ContributionMetric =
  | 'crossing'
  | 'totalCost'
  | 'leakage'
  | 'participants'
  | 'supply'
  | 'costIfCrossed'
  | 'wastedSupply'
  | 'sunkCost';
/**
 * The outputs (MODELS.md §5): crossing probability (the mean of the 0/1 `crossing`), total cost, leakage,
 * participation, supply, the total cost on the instances that crossed τ only (`costIfCrossed`: empty
 * otherwise, so its mean is E[cost | crossed] and its count the number of crossings), and the wasted
 * provision of seed 003's abstract ("inefficient provision"): `wastedSupply` (units committed on an
 * instance that missed τ, 0 otherwise) and `sunkCost` (contributors' costs sunk there; see
 * `wastedProvision`), whose means are E[supply·1{miss}] and E[sunk cost·1{miss}].
 */
export const CONTRIBUTION_METRICS: readonly ContributionMetric[] = Object.freeze([
  'crossing',
  'totalCost',
  'leakage',
  'participants',
  'supply',
  'costIfCrossed',
  'wastedSupply',
  'sunkCost',
]);

/** Resolved parameters (the schema's output). */
type Params = z.output<typeof contributionParamsSchema>;

const METRICS: readonly MetricDef[] = MECHANISMS.flatMap((algo) =>
  CONTRIBUTION_METRICS.map((metric) => ({ algo, metric })),
);

/** The engine's `contribution.threshold`: one instance → 8 outputs × 3 mechanisms. */
export const contributionThreshold: Experiment<Params> = defineExperiment<Params>({
  name: CONTRIBUTION_EXPERIMENT,
  description: 'posted subsidy vs cost reporting with simultaneous / small-first withdrawal (seed 003)',
  paramsSchema: contributionParamsSchema,
  labels: {
    n: 'users n',
    tau: 'threshold τ',
    costLo: 'lowest unit cost',
    costHi: 'highest unit cost',
    capLo: 'lowest capacity',
    capHi: 'highest capacity',
    valueHi: 'highest improvement value',
    shockProb: 'shock probability π',
    shockMean: 'mean shock size η',
    irreversibility: 'irreversibility ρ',
    premium: 'price premium ψ',
    subsidyTarget: 'subsidy target κ',
    subsidy: 'Posted subsidy',
    simultaneous: 'Withdrawal, simultaneous',
    sequential: 'Withdrawal, sequential',
    crossing: 'probability of crossing τ',
    totalCost: 'total cost (payments per instance)',
    leakage: 'leakage (payments without improvement)',
    participants: 'participants (users providing data)',
    supply: 'data supplied',
    costIfCrossed: 'total cost given τ crossed',
    wastedSupply: 'wasted supply (data committed, τ missed)',
    sunkCost: 'sunk cost (contributors, τ missed)',
  },
  metrics: () => METRICS,
  bounds: {
    crossing: [0, 1],
    totalCost: [0, Infinity],
    leakage: [0, Infinity],
    participants: [0, Infinity],
    supply: [0, Infinity],
    costIfCrossed: [0, Infinity],
    wastedSupply: [0, Infinity],
    sunkCost: [0, Infinity],
  },
  run(rng: Rng, p: Params, out: Float64Array, offset: number): void {
    const o = simulateContributionInstance(rng, p as ContributionParams);
    let k = offset;
    for (const m of MECHANISMS) {
      const r = o[m];
      out[k++] = r.crossed;
      out[k++] = r.totalCost;
      out[k++] = r.leakage;
      out[k++] = r.participants;
      out[k++] = r.supply;
      out[k++] = r.crossed === 1 ? r.totalCost : NaN;
      out[k++] = r.wastedSupply;
      out[k++] = r.sunkCost;
    }
  },
  // O(n log n) per instance, dominated by sorting the users.
  cost: (p) => 8 * p.n * Math.log2(p.n + 1),
  source: sourceOf(typeof __filename === 'string' ? __filename : undefined, 'contributionThreshold'),
});

/** τ values of the default comparison (the threshold, as in the experiment's name). */
export const CONTRIBUTION_TAU_GRID: readonly number[] = Object.freeze([5, 10, 15, 20, 25, 30]);

const PRESETS: SweepPreset[] = [
  {
    name: 'contribution-vary-tau',
    experiment: CONTRIBUTION_EXPERIMENT,
    grid: { tau: [...CONTRIBUTION_TAU_GRID] },
    params: {},
    replicates: 500,
    seed: 1,
  },
];

/**
 * `contribution-vary-tau`: τ ∈ {5, …, 30}, every other parameter at its default, 500 instances per
 * point, seed 1 — what `mechlab contribution` runs without flags.
 */
export const contributionPresets: readonly SweepPreset[] = Object.freeze(PRESETS);
