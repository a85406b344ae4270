/** A market of LLM providers and domains (seed 002 §2, Eq. 2–5; MODELS.md §4) and its validation. */
import { rangeError, typeError } from '@mechlab/core';
import { gpuCost, apiCost } from './revenue';
import { finiteAtLeast, inUnit, vector, matrix } from './market-validate';

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
 * @throws MechlabError `ERR_INVALID_TYPE` / `ERR_OUT_OF_RANGE` naming the field (e.g.
 *   `market.scores[1][0] must be in [0, 1], got 1.5`; weights must sum to 1).
 * @example createMarket({ scores: [[0.9, 0.2], [0.3, 0.8]], weights: [0.5, 0.5] }).perf // [1, 0.25, 0.333…, 1]
 */
export function createMarket(spec: MarketSpec): Market {
  const scores: unknown = spec.scores;
  if (!Array.isArray(scores) || scores.length === 0)
    throw typeError('market.scores', 'a non-empty array', scores);
  const n = scores.length;
  const first: unknown = scores[0];
  if (!Array.isArray(first) || first.length === 0) {
    throw typeError('market.scores[0]', 'a non-empty array', first);
  }
  const m = first.length;
  const score = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const row: unknown = scores[i];
    if (!Array.isArray(row)) throw typeError(`market.scores[${i}]`, 'an array', row);
    if (row.length !== m) throw rangeError(`market.scores[${i}].length`, `${m} (as scores[0])`, row.length);
    for (let j = 0; j < m; j++) score[i * m + j] = inUnit(`market.scores[${i}][${j}]`, row[j]);
  }
  if (!Array.isArray(spec.weights)) throw typeError('market.weights', 'an array', spec.weights);
  const weights = vector('market.weights', spec.weights, m, 0);
  let wsum = 0;
  for (let j = 0; j < m; j++) wsum += weights[j]!;
  if (Math.abs(wsum - 1) > 1e-9) throw rangeError('market.weights', 'non-negative and sum to 1', wsum);
  const alpha = inUnit('market.alpha', spec.alpha ?? 0.5);
  const unitValue = vector('market.unitValue', spec.unitValue ?? 1, m, 0);
  const demand = vector('market.demand', spec.demand ?? 1, m, 0);
  const costModel: CostModel = spec.cost ?? { kind: 'none' };
  const cost = new Float64Array(n * m);
  let gpuPrice = 0;
  switch (costModel.kind) {
    case 'none':
      break;
    case 'gpu': {
      const hours = matrix('market.cost.gpuHours', costModel.gpuHours, n, m, 0);
      gpuPrice = finiteAtLeast('market.cost.pricePerGpuHour', costModel.pricePerGpuHour, 0);
      for (let k = 0; k < n * m; k++) cost[k] = gpuCost(hours[k]!, gpuPrice);
      break;
    }
    case 'api': {
      const inTok = vector('market.cost.inputTokens', costModel.inputTokens, m, 0);
      const outTok = matrix('market.cost.outputTokens', costModel.outputTokens, n, m, 0);
      const inPrice = vector('market.cost.inputPrice', costModel.inputPrice, n, 0);
      const outPrice = vector('market.cost.outputPrice', costModel.outputPrice, n, 0);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          cost[i * m + j] = apiCost(inTok[j]!, outTok[i * m + j]!, inPrice[i]!, outPrice[i]!);
        }
      }
      break;
    }
    default:
      throw typeError('market.cost.kind', "'none', 'gpu' or 'api'", (costModel as { kind: unknown }).kind);
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
