/**
 * Decision guide (seed 002, §1 "Decision guidelines"; MODELS.md §4): sweep performance dispersion,
 * demand elasticity γ and the compute price, and report which structure maximises total value —
 * singletons (siloed competition), one merged model, or the routed grand coalition — and whether each
 * agent's MPW share beats standing alone.
 *
 * Synthetic market **[choice]**: `n` agents, `m` domains with equal weights, agent `i` specialises in
 * domain `i mod m`: `s_ij = clamp(base + dispersion · (1[j ≡ i] − 1/2), 0, 1)`; GPU cost model with
 * the same `gpuHours` per unit of demand for everyone, priced at the swept compute price; unit value
 * and demand 1. Welfare of a structure is `Σ_{T∈P} v(T, P)` in the demand-share PFF with the swept γ.
 */
import { z } from 'zod';
import { parseWithSchema } from '@mechlab/core';
import { mpwExact } from './mpw';
import { MAX_PARTITION_PLAYERS } from './partition';
import { createMarket } from './market';
import { demandShareGame } from './demand-share';
import type { MergeEffect, Paradigm } from './market';

/** Options of {@link runCoalitionGuide} (every field has a documented default). */
export interface CoalitionGuideOptions {
  /** Number of agents, 1..10 (default 5: with 4 domains, agents 0 and 4 share a specialty). */
  agents?: number;
  /** Number of domains ≥ 1 (default 4). */
  domains?: number;
  /** Performance dispersions swept (default [0, 0.2, 0.4]). */
  dispersions?: readonly number[];
  /** Demand elasticities γ swept (default [0, 1, 4]). */
  gammas?: readonly number[];
  /** Prices of a GPU-hour swept (default [0.5, 1, 2]). */
  computePrices?: readonly number[];
  /** Mean score `base` (default 0.6). */
  baseScore?: number;
  /** Utility–cost trade-off α (default 0.5). */
  alpha?: number;
  /** GPU-hours per unit of demand, every agent and domain (default 0.2). */
  gpuHours?: number;
  /** Router overhead per unit of demand for the routed coalition (default 0.02). */
  routingOverhead?: number;
  /** Merging case and parameters (default superlinear, ε = 0.05, 0.05 merge GPU-hours per extra member). */
  merge?: { effect: MergeEffect; epsilon?: number; mergeGpuHours?: number };
}

/** A market structure compared by the guide. */
export type GuideStructure = 'singletons' | 'merged' | 'routed';

/** One point of the sweep. */
export interface CoalitionGuideRow {
  dispersion: number;
  gamma: number;
  computePrice: number;
  /** Total value `Σ_{T∈P} v(T, P)` of each structure. */
  welfare: { singletons: number; merged: number; routed: number };
  /** The welfare-maximising structure (ties favour singletons, then routed). */
  best: GuideStructure;
  /** The grand-coalition paradigm whose MPW value is reported (the better of merged and routed). */
  mpwStructure: 'merged' | 'routed';
  /** MPW value of the demand-share game under `mpwStructure` (sums to its welfare). */
  mpw: number[];
  /** Each agent's payoff standing alone among singletons, `v({i}, {{1},…,{n}})`. */
  standalone: number[];
  /** `mpw[i] > standalone[i]` (beyond 1e-12). */
  beatsStandalone: boolean[];
}

const axis = z.array(z.number().min(0)).min(1).optional();

/** The guide's options; the rest (market and paradigm numbers) are checked by createMarket and the paradigms. */
const guideOptionsSchema = z.object({
  agents: z.number().int().min(1).max(MAX_PARTITION_PLAYERS).optional(),
  domains: z.number().int().min(1).optional(),
  dispersions: axis,
  gammas: axis,
  computePrices: axis,
});

/**
 * Runs the decision-guide sweep (dispersion × γ × compute price) with exact MPW values.
 *
 * Complexity: O(|grid| · (B(n) · n · m + n · 2^n)); the default 27-point grid (n = 5) runs in
 * milliseconds.
 * @throws MechlabError `ERR_OUT_OF_RANGE` naming the bad option (e.g. `options.agents`).
 * @example runCoalitionGuide({ dispersions: [0.4], gammas: [1], computePrices: [1] })[0].best // 'merged'
 */
export function runCoalitionGuide(options: CoalitionGuideOptions = {}): CoalitionGuideRow[] {
  const o = parseWithSchema(guideOptionsSchema, options, 'options');
  const n = o.agents ?? 5;
  const m = o.domains ?? 4;
  const dispersions = o.dispersions ?? [0, 0.2, 0.4];
  const gammas = o.gammas ?? [0, 1, 4];
  const prices = o.computePrices ?? [0.5, 1, 2];
  const base = options.baseScore ?? 0.6;
  const merge = options.merge ?? { effect: 'superlinear' };
  const merged: Paradigm = {
    kind: 'merging',
    effect: merge.effect,
    epsilon: merge.epsilon ?? 0.05,
    mergeGpuHours: merge.mergeGpuHours ?? 0.05,
  };
  const routed: Paradigm = { kind: 'maxPooling', overhead: options.routingOverhead ?? 0.02 };
  const singletonLabels = Int32Array.from({ length: n }, (_, i) => i);
  const grandLabels = new Int32Array(n);
  const out = new Float64Array(n);
  const rows: CoalitionGuideRow[] = [];
  for (const dispersion of dispersions) {
    const scores = Array.from({ length: n }, (_, i) =>
      Array.from({ length: m }, (_, j) =>
        Math.min(1, Math.max(0, base + dispersion * ((j === i % m ? 1 : 0) - 0.5))),
      ),
    );
    for (const gamma of gammas) {
      for (const price of prices) {
        const market = createMarket({
          scores,
          weights: Array.from({ length: m }, () => 1 / m),
          alpha: options.alpha ?? 0.5,
          cost: { kind: 'gpu', gpuHours: options.gpuHours ?? 0.2, pricePerGpuHour: price },
        });
        const routedGame = demandShareGame(market, routed, { gamma });
        const mergedGame = demandShareGame(market, merged, { gamma });
        routedGame.evaluate(singletonLabels, n, out);
        const standalone = Array.from(out.subarray(0, n));
        const singletons = standalone.reduce((a, b) => a + b, 0);
        routedGame.evaluate(grandLabels, 1, out);
        const routedValue = out[0]!;
        mergedGame.evaluate(grandLabels, 1, out);
        const mergedValue = out[0]!;
        const tol = 1e-12 * Math.max(1, Math.abs(singletons), Math.abs(routedValue), Math.abs(mergedValue));
        let best: GuideStructure = 'singletons';
        let bestValue = singletons;
        if (routedValue > bestValue + tol) {
          best = 'routed';
          bestValue = routedValue;
        }
        if (mergedValue > bestValue + tol) best = 'merged';
        const mpwStructure = mergedValue > routedValue + tol ? 'merged' : 'routed';
        const mpw = Array.from(mpwExact(mpwStructure === 'merged' ? mergedGame : routedGame));
        rows.push({
          dispersion,
          gamma,
          computePrice: price,
          welfare: { singletons, merged: mergedValue, routed: routedValue },
          best,
          mpwStructure,
          mpw,
          standalone,
          beatsStandalone: mpw.map((x, i) => x > standalone[i]! + 1e-12),
        });
      }
    }
  }
  return rows;
}
