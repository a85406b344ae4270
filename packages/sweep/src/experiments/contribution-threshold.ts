/**
 * `contribution.threshold` — threshold data contributions under withdrawal rights (MODELS.md §5; seed
 * 003): per instance, the posted subsidy and cost reporting + withdrawal with the simultaneous and the
 * small-first sequential protocol, on common random numbers. The model itself lives in
 * @mechlab/contribution; this file only adapts it to the engine (metrics as a flat row).
 */
import type { Rng } from '@mechlab/core';
import {
  CONTRIBUTION_EXPERIMENT,
  MECHANISMS,
  contributionParamsSchema,
  simulateContributionInstance,
} from '@mechlab/contribution';
import type { z } from 'zod';
import type { Experiment, MetricDef } from '../registry';

/** Resolved parameters (the schema's output: a plain object type, as the registry requires). */
type ContributionParams = z.output<typeof contributionParamsSchema>;

const OUTPUTS = ['crossed', 'totalCost', 'leakage', 'participants'] as const;

const METRICS: readonly MetricDef[] = MECHANISMS.flatMap((algo) =>
  OUTPUTS.map((metric) => ({ algo, metric })),
);

export const contributionThreshold: Experiment<ContributionParams> = {
  name: CONTRIBUTION_EXPERIMENT,
  description: 'posted subsidy vs cost reporting with simultaneous / small-first withdrawal (seed 003)',
  paramsSchema: contributionParamsSchema,
  labels: {
    tau: 'threshold τ',
    n: 'users n',
    shockProb: 'shock probability',
    subsidy: 'posted subsidy',
    simultaneous: 'withdrawal, simultaneous',
    sequential: 'withdrawal, small-first sequential',
    crossed: 'probability of crossing τ',
    totalCost: 'total cost',
    leakage: 'leakage',
    participants: 'participants',
  },
  metrics: () => METRICS,
  run(rng: Rng, p: ContributionParams, out: Float64Array, offset: number): void {
    const o = simulateContributionInstance(rng, p);
    let k = offset;
    for (const m of MECHANISMS) {
      const r = o[m];
      out[k++] = r.crossed;
      out[k++] = r.totalCost;
      out[k++] = r.leakage;
      out[k++] = r.participants;
    }
  },
  // O(n log n) per instance, dominated by sorting the users.
  cost: (p) => 8 * p.n * Math.log2(p.n + 1),
};
