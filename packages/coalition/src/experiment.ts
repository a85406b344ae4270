/**
 * `coalition.market` — the revenue-sharing market of seed 002 as a sweep experiment (MODELS.md §4): the
 * decision guide's synthetic market (`runCoalitionGuide`: n agents, m domains, agent i specialised in
 * domain i mod m, GPU cost at the swept compute price, demand-share PFF with elasticity γ) with each
 * agent's scores jittered per instance, so a point's mean and ±3σ band show how robust the guide's
 * answer is to the exact benchmark scores. Per instance: the total value of each market structure —
 * singletons (siloed competition), one merged model, the routed grand coalition — and, under the better
 * grand coalition, the MPW share's gain over standing alone (mean over agents) and the share of agents
 * it makes better off.
 *
 * **[choice]** Score jitter U[−noise, noise] (default 0.05) added to every score before clamping to
 * [0, 1]; `noise: 0` reproduces the guide's deterministic market exactly.
 */
import {
  declareParams,
  defineExperiment,
  sourceOf,
  type Experiment,
  type MetricDef,
  type Rng,
  type SweepPreset,
} from '@mechlab/core';
import { mpwExact } from './mpw';
import { createMarket, type MergeEffect, type Paradigm } from './market';
import { demandShareGame } from './demand-share';

declare const __filename: string | undefined; // CommonJS wrapper's (no Node types here); not in browsers

const paramsSchema = declareParams({
  agents: { default: 5, min: 2, max: 8, integer: true, label: 'agents n' },
  domains: { default: 4, min: 1, max: 64, integer: true, label: 'domains m' },
  dispersion: { default: 0.2, min: 0, max: 2, label: 'performance dispersion' },
  gamma: { default: 1, min: 0, max: 100, label: 'demand elasticity γ' },
  price: { default: 1, min: 0, max: 1000, label: 'compute price per GPU-hour' },
  noise: { default: 0.05, min: 0, max: 1, label: 'score jitter' },
  baseScore: { default: 0.6, min: 0, max: 1 },
  alpha: { default: 0.5, min: 0, max: 1 },
  gpuHours: { default: 0.2, min: 0, max: 1000 },
  routingOverhead: { default: 0.02, min: 0, max: 1000 },
  mergeEffect: { default: 'superlinear', values: ['superlinear', 'interference', 'independent'] },
  epsilon: { default: 0.05, min: 0, max: 1 },
  mergeGpuHours: { default: 0.05, min: 0, max: 1000 },
});

/** Resolved parameters of `coalition.market`. */
export interface CoalitionMarketParams {
  readonly [key: string]: unknown;
  readonly agents: number;
  readonly domains: number;
  readonly dispersion: number;
  readonly gamma: number;
  readonly price: number;
  readonly noise: number;
  readonly baseScore: number;
  readonly alpha: number;
  readonly gpuHours: number;
  readonly routingOverhead: number;
  readonly mergeEffect: MergeEffect;
  readonly epsilon: number;
  readonly mergeGpuHours: number;
}

const METRICS: readonly MetricDef[] = [
  { algo: 'singletons', metric: 'value' },
  { algo: 'merged', metric: 'value' },
  { algo: 'routed', metric: 'value' },
  { algo: 'mpw', metric: 'gain' },
  { algo: 'mpw', metric: 'beats' },
];

/** The experiment; worker threads import it from this module. */
export const coalitionMarket: Experiment<CoalitionMarketParams> = defineExperiment<CoalitionMarketParams>({
  name: 'coalition.market',
  description:
    'market structures of the revenue-sharing game: singletons vs merged vs routed, MPW vs stand-alone (seed 002)',
  paramsSchema,
  labels: {
    agents: 'agents n',
    dispersion: 'performance dispersion',
    gamma: 'demand elasticity γ',
    price: 'compute price per GPU-hour',
    singletons: 'Singletons (siloed)',
    merged: 'Merged model',
    routed: 'Routed coalition',
    mpw: 'MPW share (better grand coalition)',
    value: 'total value Σ v(T, P)',
    gain: 'MPW − stand-alone payoff (mean over agents)',
    beats: 'share of agents better off than alone',
  },
  metrics: () => METRICS,
  bounds: { beats: [0, 1] },
  run(rng: Rng, p: CoalitionMarketParams, out: Float64Array, offset: number): void {
    const n = p.agents;
    const m = p.domains;
    // Guide's market (guide.ts) + per-score jitter, drawn in row-major order.
    const scores = Array.from({ length: n }, (_, i) =>
      Array.from({ length: m }, (_, j) =>
        Math.min(
          1,
          Math.max(
            0,
            p.baseScore + p.dispersion * ((j === i % m ? 1 : 0) - 0.5) + p.noise * (2 * rng.next() - 1),
          ),
        ),
      ),
    );
    const market = createMarket({
      scores,
      weights: Array.from({ length: m }, () => 1 / m),
      alpha: p.alpha,
      cost: { kind: 'gpu', gpuHours: p.gpuHours, pricePerGpuHour: p.price },
    });
    const merged: Paradigm = {
      kind: 'merging',
      effect: p.mergeEffect,
      epsilon: p.epsilon,
      mergeGpuHours: p.mergeGpuHours,
    };
    const routed: Paradigm = { kind: 'maxPooling', overhead: p.routingOverhead };
    const routedGame = demandShareGame(market, routed, { gamma: p.gamma });
    const mergedGame = demandShareGame(market, merged, { gamma: p.gamma });
    const tmp = new Float64Array(n);
    routedGame.evaluate(
      Int32Array.from({ length: n }, (_, i) => i),
      n,
      tmp,
    );
    const standalone = Float64Array.from(tmp);
    let singletons = 0;
    for (let i = 0; i < n; i++) singletons += standalone[i]!;
    const grand = new Int32Array(n);
    routedGame.evaluate(grand, 1, tmp);
    const routedValue = tmp[0]!;
    mergedGame.evaluate(grand, 1, tmp);
    const mergedValue = tmp[0]!;
    // Same tie rule as the guide: the merged model only when strictly better than routing.
    const tol = 1e-12 * Math.max(1, Math.abs(singletons), Math.abs(routedValue), Math.abs(mergedValue));
    const mpw = mpwExact(mergedValue > routedValue + tol ? mergedGame : routedGame);
    let gain = 0;
    let beats = 0;
    for (let i = 0; i < n; i++) {
      gain += mpw[i]! - standalone[i]!;
      if (mpw[i]! > standalone[i]! + 1e-12) beats++;
    }
    out[offset] = singletons;
    out[offset + 1] = mergedValue;
    out[offset + 2] = routedValue;
    out[offset + 3] = gain / n;
    out[offset + 4] = beats / n;
  },
  // Exact MPW enumerates the Bell(n) partitions with n·m work each.
  cost: (p) => 50 * [1, 1, 2, 5, 15, 52, 203, 877, 4140][p.agents]! * p.agents * p.domains,
  source: sourceOf(typeof __filename === 'string' ? __filename : undefined, 'coalitionMarket'),
});

const PRESETS: SweepPreset[] = [
  {
    name: 'coalition-vary-gamma',
    experiment: 'coalition.market',
    grid: { gamma: [0, 0.5, 1, 2, 4, 8] },
    params: { dispersion: 0.2, price: 1 },
    replicates: 200,
    seed: 1,
  },
];

/** `coalition-vary-gamma`: demand elasticity γ ∈ {0, …, 8} at the guide's middle dispersion and price. */
export const coalitionPresets: readonly SweepPreset[] = Object.freeze(PRESETS);
