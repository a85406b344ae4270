/**
 * The browser twin of `@mechlab/sweep`'s `ccs.random-graph` experiment (seed 004 §6, Figures 1–3): the
 * same parameter schema, the same per-instance computation and the same Corollary 13 prediction, so a
 * point's numbers are bit-identical to the CLI's. (The sweep package itself is Node-only: piscina,
 * journal files, DuckDB.) The e2e test proves the equality against `mechlab sweep` on a spec.
 */
import {
  asymptoticPrediction,
  randomCcsInstance,
  solveCcs,
  type CcsDistribution,
  type Rng,
} from '@mechlab/core';
import { z } from 'zod';

const distKind = z.enum(['uniform', 'exponential', 'constant']);

/** Parameters of `ccs.random-graph` (keep in step with packages/sweep/src/experiments/ccs-random-graph.ts). */
export const ccsRandomGraphParams = z
  .object({
    n: z.int().min(1).max(100_000).default(100),
    rho: z.number().min(0).max(1).default(0.1),
    thetaMax: z.number().min(0).max(1e12).default(1),
    wMax: z.number().min(0).max(1e12).default(1),
    costMax: z.number().min(0).max(1e12).default(1),
    thetaDist: distKind.default('uniform'),
    weightDist: distKind.default('uniform'),
    costDist: distKind.default('uniform'),
    exactMaxN: z.int().min(0).max(30).default(0),
  })
  .strict();

export type CcsRandomGraphParams = z.output<typeof ccsRandomGraphParams>;

export const EXPERIMENT = 'ccs.random-graph';
export const DESCRIPTION = 'GCS vs Equal Allocation on random interaction graphs (seed 004 §6)';

export const LABELS: Readonly<Record<string, string>> = {
  n: 'number of players n',
  rho: 'edge probability ρ',
  costMax: 'cost scale c_max',
  thetaMax: 'stand-alone quality scale θ_max',
  wMax: 'spillover scale w_max',
  gcs: 'Greedy Cost Selection',
  equal: 'Equal Allocation',
  exact: 'Exact optimum',
  welfare: 'mean social welfare',
  active: 'mean active players',
  prediction: 'Corollary 13 prediction',
};

export interface MetricDef {
  readonly algo: string;
  readonly metric: string;
}

const BASE_METRICS: readonly MetricDef[] = [
  { algo: 'gcs', metric: 'welfare' },
  { algo: 'gcs', metric: 'active' },
  { algo: 'equal', metric: 'welfare' },
  { algo: 'equal', metric: 'active' },
];
const EXACT_METRICS: readonly MetricDef[] = [
  ...BASE_METRICS,
  { algo: 'exact', metric: 'welfare' },
  { algo: 'exact', metric: 'active' },
];

export function metrics(p: CcsRandomGraphParams): readonly MetricDef[] {
  return p.exactMaxN > 0 ? EXACT_METRICS : BASE_METRICS;
}

function dist(kind: CcsRandomGraphParams['costDist'], scale: number): CcsDistribution {
  switch (kind) {
    case 'uniform':
      return { kind: 'uniform', min: 0, max: scale };
    case 'exponential':
      // Mean scale/2 like U[0, scale]; a zero scale degenerates to the constant 0.
      return scale > 0 ? { kind: 'exponential', mean: scale / 2 } : { kind: 'constant', value: 0 };
    case 'constant':
      return { kind: 'constant', value: scale / 2 };
  }
}

function marginals(p: CcsRandomGraphParams): {
  theta: CcsDistribution;
  weight: CcsDistribution;
  cost: CcsDistribution;
} {
  return {
    theta: dist(p.thetaDist, p.thetaMax),
    weight: dist(p.weightDist, p.wMax),
    cost: dist(p.costDist, p.costMax),
  };
}

/** One instance: GCS and Equal Allocation welfare and active players (and the exact optimum for small n). */
export function runInstance(rng: Rng, p: CcsRandomGraphParams, out: Float64Array, offset: number): void {
  const inst = randomCcsInstance(rng, { n: p.n, rho: p.rho, ...marginals(p) });
  const gcs = solveCcs(inst, { algo: 'gcs' });
  const equal = solveCcs(inst, { algo: 'equal' });
  out[offset] = gcs.welfare;
  out[offset + 1] = gcs.active.length;
  out[offset + 2] = equal.welfare;
  out[offset + 3] = equal.active.length;
  if (p.exactMaxN > 0) {
    if (p.n <= p.exactMaxN) {
      const ex = solveCcs(inst, { algo: 'exact', exactMaxN: p.exactMaxN });
      out[offset + 4] = ex.welfare;
      out[offset + 5] = ex.active.length;
    } else {
      out[offset + 4] = NaN;
      out[offset + 5] = NaN;
    }
  }
}

/** Corollary 13's prediction for a point and metric (NaN when it has none). */
export function predict(p: CcsRandomGraphParams, metric: string): number {
  const pred = asymptoticPrediction({ n: p.n, rho: p.rho, ...marginals(p) });
  if (metric === 'welfare') return pred.welfare;
  if (metric === 'active') return pred.players;
  return NaN;
}

/** Cost model (inner-loop steps per instance), used only to size the browser's task blocks. */
export function cost(p: CcsRandomGraphParams): number {
  return 4 * (p.n + p.rho * p.n * (p.n - 1)) * (p.exactMaxN >= p.n ? 2 ** Math.min(p.n, 30) / 64 + 1 : 1);
}
