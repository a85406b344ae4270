/**
 * `ccs.random-graph` — the Monte Carlo experiments of seed 004 §6 (Figures 1–3; MODELS.md §1.4):
 * draw a random CCS instance (Erdős–Rényi spillovers, uniform θ/w/c by default), design portions with
 * Greedy Cost Selection and with Equal Allocation, play each design's greatest equilibrium, and record
 * social welfare and the number of active players. Optionally also the exact optimum for small n.
 *
 * The prediction line is Corollary 13 made explicit for the chosen distributions — core's
 * `asymptoticPrediction` (derivation in its JSDoc and in this package's README): the number of players
 * tight portions can incentivise, `k̂ = max{k : S_k · E[1/D_k] ≤ 1}` with `S_k` the expected sum of the k
 * smallest costs and `D_k` the quality of an active player when k are active, and the welfare
 * `k̂ (μ_θ + (k̂−1) ρ μ_w)` it implies.
 */
import { z } from 'zod';
import { defineExperiment, sourceOf, type Experiment, type MetricDef, type Rng } from '@mechlab/core';
import { asymptoticPrediction } from './generator/asymptotic';
import { randomCcsInstance } from './generator/random-instance';
import { type CcsDistribution } from './generator/distribution';
import { cachedCcsPipeline } from './pipeline';
import { solveCcs } from './solvers/index';

declare const __filename: string | undefined; // CommonJS wrapper's (no Node types here); not in browsers

const distKind = z.enum(['uniform', 'exponential', 'constant']);

/** Parameters of `ccs.random-graph`; every one may be a grid axis. */
export const ccsRandomGraphParams = z
  .object({
    /** Number of players. */
    n: z.int().min(1).max(100_000).default(100),
    /** Edge probability of each ordered pair. */
    rho: z.number().min(0).max(1).default(0.1),
    /** Scale of θ: U[0, thetaMax] (or mean thetaMax/2 for the other kinds). */
    thetaMax: z.number().min(0).max(1e12).default(1),
    /** Scale of the spillover weights w. */
    wMax: z.number().min(0).max(1e12).default(1),
    /** Scale of the costs c (the "third parameter" of Figure 3). */
    costMax: z.number().min(0).max(1e12).default(1),
    /**
     * Distribution family of each marginal **[choice: the paper's distributions were lost]**. `uniform`
     * is U[0, scale]; `exponential` and `constant` keep the same mean, scale/2, so a family swap changes
     * the shape only.
     */
    thetaDist: distKind.default('uniform'),
    weightDist: distKind.default('uniform'),
    costDist: distKind.default('uniform'),
    /** Also solve exactly (branch and bound) when n ≤ exactMaxN; 0 = never. */
    exactMaxN: z.int().min(0).max(30).default(0),
  })
  .strict();

/** Resolved parameters of `ccs.random-graph`. */
export type CcsRandomGraphParams = z.output<typeof ccsRandomGraphParams>;

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

/** The experiment object; worker threads import it from this module (`source`). */
export const ccsRandomGraph: Experiment<CcsRandomGraphParams> = defineExperiment<CcsRandomGraphParams>({
  name: 'ccs.random-graph',
  description: 'GCS vs Equal Allocation on random interaction graphs (seed 004 §6)',
  paramsSchema: ccsRandomGraphParams,
  labels: {
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
  },
  metrics: (p) => (p.exactMaxN > 0 ? EXACT_METRICS : BASE_METRICS),
  run(rng: Rng, p: CcsRandomGraphParams, out: Float64Array, offset: number): void {
    if (p.exactMaxN === 0 || p.n > p.exactMaxN) {
      // The per-instance pipeline (pipeline.ts): one per point and thread, its buffers reused by every
      // replicate, on the registry's backend for `ccsPipeline` ('wasm' once registered: generation,
      // GCS, both equilibria and the measurements in one call). Same numbers as the solveCcs path
      // below (packages/kernels/test/ccs-pipeline.test.ts).
      cachedCcsPipeline({ n: p.n, rho: p.rho, ...marginals(p) }).run(rng, out, offset);
      if (p.exactMaxN > 0) {
        // Not computed at this n: an empty CSV field, skipped by the aggregates.
        out[offset + 4] = NaN;
        out[offset + 5] = NaN;
      }
      return;
    }
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
        // Not computed at this n: an empty CSV field, skipped by the aggregates.
        out[offset + 4] = NaN;
        out[offset + 5] = NaN;
      }
    }
  },
  predict(p: CcsRandomGraphParams, metric: string): number {
    const pred = asymptoticPrediction({ n: p.n, rho: p.rho, ...marginals(p) });
    if (metric === 'welfare') return pred.welfare;
    if (metric === 'active') return pred.players;
    return NaN;
  },
  // Generation, GCS and the equilibrium cascade are each O(n + |E|), E|E| = ρ n (n−1); a small
  // constant covers GCS's sort and the two equilibrium evaluations. Exact search is exponential.
  cost: (p) =>
    4 * (p.n + p.rho * p.n * (p.n - 1)) * (p.exactMaxN >= p.n ? 2 ** Math.min(p.n, 30) / 64 + 1 : 1),
  // `__filename` is undefined in a browser bundle (apps/web runs this experiment in a Web Worker).
  source: sourceOf(typeof __filename === 'string' ? __filename : undefined, 'ccsRandomGraph'),
});
