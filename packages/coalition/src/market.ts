/** A market of LLM providers and domains (seed 002 §2, Eq. 2–5; MODELS.md §4) and its validation. */
import { parseWithSchema } from '@mechlab/core';
import { gpuCost, apiCost } from './revenue';
import { fillMatrix, fillVector, marketSpecSchema } from './market-schema';

/** Per-unit cost model of a market: none, GPU-hours × price (Eq. 4) or API tokens (Eq. 5). */
export type CostModel =
  | { kind: 'none' }
  | {
      kind: 'gpu';
      /** GPU-hours per unit of demand: one number for all, or `n × m` (agent × domain). */
      gpuHours: number | readonly (readonly number[])[];
      /** Price of one GPU-hour (`p_GPU`, the swept "compute price"). */
      pricePerGpuHour: number;
    }
  | {
      kind: 'api';
      /** Input (prompt) tokens per query: one number or one per domain (length `m`). */
      inputTokens: number | readonly number[];
      /** Output tokens per query: one number or `n × m` (agent × domain). */
      outputTokens: number | readonly (readonly number[])[];
      /** Price per input token: one number or one per agent (length `n`). */
      inputPrice: number | readonly number[];
      /** Price per output token: one number or one per agent (length `n`). */
      outputPrice: number | readonly number[];
    };

/** Input of {@link createMarket}. */
export interface MarketSpec {
  /** `scores[i][j] = s_ij ∈ [0, 1]`: agent `i` on benchmark/domain `j` (`n ≥ 1` rows of `m ≥ 1`). */
  scores: readonly (readonly number[])[];
  /** Domain weights `w_j ≥ 0`, `Σ w_j = 1` (Eq. 6). */
  weights: readonly number[];
  /** Utility–cost trade-off `α ∈ [0, 1]` (Eq. 1); default 0.5. */
  alpha?: number;
  /** Monetary value per unit performance `m(x) ≥ 0` (Eq. 3): one number or per domain; default 1. */
  unitValue?: number | readonly number[];
  /** Total demand `q(x) ≥ 0` of each domain (Eq. 1): one number or per domain; default 1. */
  demand?: number | readonly number[];
  /** Cost model; default `{ kind: 'none' }`. */
  cost?: CostModel;
}

/** A validated market with every per-agent quantity precomputed (row-major `n × m` arrays). */
export interface Market {
  readonly n: number;
  readonly m: number;
  readonly alpha: number;
  /** Raw scores `s_ij`. */
  readonly score: Float64Array;
  /** Normalised performance `p_ij = s_ij / max_k s_kj` (Eq. 2; 0 when the column is all 0). */
  readonly perf: Float64Array;
  /** Per-unit cost `c_ij` (Eq. 4 or 5). */
  readonly cost: Float64Array;
  /** Per-unit net revenue `α · m_j · p_ij − (1−α) · c_ij` (Eq. 1 divided by the demand). */
  readonly net: Float64Array;
  /** `max_k s_kj` (the Eq. 2 normaliser). */
  readonly frontier: Float64Array;
  readonly weights: Float64Array;
  readonly demand: Float64Array;
  readonly unitValue: Float64Array;
  readonly costKind: CostModel['kind'];
  /** `p_GPU` for the GPU model, else 0 (prices merge overhead). */
  readonly gpuPrice: number;
}

/** Table 1 cases for model merging. */
export type MergeEffect = 'superlinear' | 'interference' | 'independent';

/**
 * How a coalition pools its members (Eq. 10 and Table 1).
 * - `maxPooling`: per domain, route to the member with the highest per-unit net revenue (Eq. 10 with
 *   costs; "routing to the best"), minus a per-unit router `overhead` (default 0) when `|S| ≥ 2`.
 * - `averaging`: API routing with weights `π_k ∝ p_k^sharpness` (default 0: the plain average,
 *   Table 1 "P_routing = Σ_k w_k p_k"); cost `Σ_k π_k c_k`; same `overhead`.
 * - `merging`: one merged model with raw score `min(1, max s + ε(|S|−1))` (superlinear),
 *   `max(0, min s − ε(|S|−1))` (interference) or `max s` (independent), `ε` default 0.05; inference cost
 *   = mean member cost ("comparable to a single model") plus `mergeGpuHours · (|S|−1) · p_GPU` of
 *   merging (training) work per unit of demand. White-box only: not with the API cost model.
 */
export type Paradigm =
  | { kind: 'maxPooling'; overhead?: number }
  | { kind: 'averaging'; sharpness?: number; overhead?: number }
  | { kind: 'merging'; effect: MergeEffect; epsilon?: number; mergeGpuHours?: number };

/**
 * Validates a market and precomputes normalised performance (Eq. 2), per-unit costs (Eq. 4/5) and
 * per-unit net revenue (Eq. 1).
 *
 * Complexity: O(n · m).
 * @throws MechlabError `ERR_INVALID_TYPE` / `ERR_OUT_OF_RANGE` / `ERR_INVALID_INPUT` naming the field
 *   (e.g. `market.scores[1][0] must be ≤ 1, got 1.5`; `market.weights must sum to 1, got 0.9`).
 * @example createMarket({ scores: [[0.9, 0.2], [0.3, 0.8]], weights: [0.5, 0.5] }).perf // [1, 0.25, 0.333…, 1]
 */
export function createMarket(spec: MarketSpec): Market {
  const s = parseWithSchema(marketSpecSchema, spec, 'market');
  const n = s.scores.length;
  const m = s.scores[0]!.length;
  const score = fillMatrix(s.scores, n, m);
  const weights = Float64Array.from(s.weights);
  const alpha = s.alpha ?? 0.5;
  const unitValue = fillVector(s.unitValue, 1, m);
  const demand = fillVector(s.demand, 1, m);
  const costModel = s.cost ?? { kind: 'none' };
  const cost = new Float64Array(n * m);
  let gpuPrice = 0;
  if (costModel.kind === 'gpu') {
    const hours = fillMatrix(costModel.gpuHours, n, m);
    gpuPrice = costModel.pricePerGpuHour;
    for (let k = 0; k < n * m; k++) cost[k] = gpuCost(hours[k]!, gpuPrice);
  } else if (costModel.kind === 'api') {
    const inTok = fillVector(costModel.inputTokens, 0, m);
    const outTok = fillMatrix(costModel.outputTokens, n, m);
    const inPrice = fillVector(costModel.inputPrice, 0, n);
    const outPrice = fillVector(costModel.outputPrice, 0, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        cost[i * m + j] = apiCost(inTok[j]!, outTok[i * m + j]!, inPrice[i]!, outPrice[i]!);
      }
    }
  }
  const frontier = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) frontier[j] = Math.max(frontier[j]!, score[i * m + j]!);
  }
  const perf = new Float64Array(n * m);
  const net = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      const f = frontier[j]!;
      perf[k] = f > 0 ? score[k]! / f : 0;
      net[k] = alpha * unitValue[j]! * perf[k]! - (1 - alpha) * cost[k]!;
    }
  }
  return {
    n,
    m,
    alpha,
    score,
    perf,
    cost,
    net,
    frontier,
    weights,
    demand,
    unitValue,
    costKind: costModel.kind,
    gpuPrice,
  };
}
