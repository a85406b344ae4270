/**
 * Revenue of LLM providers and of their coalitions (seed 002, §2–3, Eq. 1–10, Table 1; MODELS.md §4).
 *
 * - Domain revenue (Eq. 1): `r(x) = q(x) · [α · u(x) − (1−α) · c(x)]`, utility `u = p · m` (Eq. 3) with
 *   normalised performance `p = s / max_{a∈A} s` (Eq. 2, the max over all agents of the market).
 * - Cost per unit of demand: GPU-hours × price (Eq. 4) or API tokens × token prices (Eq. 5).
 * - Totals weight domains by `w(x)` (Eq. 6 for one agent, Eq. 9 for a coalition).
 * - A coalition pools its members by a {@link Paradigm} (Eq. 10 and Table 1): max pooling / routing to
 *   the best member, averaging / API routing, or weight merging with the superlinear, interference or
 *   independent case.
 * - **[choice]** A coalition serves a domain only when its per-unit net revenue is positive (nobody
 *   serves at a loss), so `v(S) = Σ_j w_j q_j · max(0, net_S(j))`.
 * - Externalities (PFF, {@link demandShareGame}): coalition `T ∈ P` captures the demand share
 *   `perf_T(j)^γ / Σ_{U∈P serving j} perf_U(j)^γ` of domain `j`, then earns Eq. 1 on it.
 */
import { MechlabError, rangeError, typeError } from '@mechlab/core';
import { MAX_TABLE_PLAYERS, checkPlayers } from './games';
import type { CharacteristicGame, CoalitionOracle, MaxPoolingGame, PartitionGame } from './games';

/**
 * Eq. 1: domain revenue `q · [α · u − (1−α) · c]`.
 *
 * Complexity: O(1).
 * @throws never
 * @example domainRevenue(2, 0.5, 0.8, 0.2) // 0.6000000000000001
 */
export function domainRevenue(demand: number, alpha: number, utility: number, cost: number): number {
  return demand * (alpha * utility - (1 - alpha) * cost);
}

/**
 * Eq. 4: training/inference cost `t × p_GPU` (GPU-hours times the price of a GPU-hour).
 *
 * Complexity: O(1).
 * @throws never
 * @example gpuCost(0.2, 2.5) // 0.5
 */
export function gpuCost(gpuHours: number, pricePerGpuHour: number): number {
  return gpuHours * pricePerGpuHour;
}

/**
 * Eq. 5: API calling cost `input_tokens × c_input + output_tokens × c_output`.
 *
 * Complexity: O(1).
 * @throws never
 * @example apiCost(1000, 500, 1e-6, 4e-6) // 0.003
 */
export function apiCost(
  inputTokens: number,
  outputTokens: number,
  inputPrice: number,
  outputPrice: number,
): number {
  return inputTokens * inputPrice + outputTokens * outputPrice;
}

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

const MAX_POOLING = 0;
const AVERAGING = 1;
const MERGING = 2;
const SUPERLINEAR = 0;
const INTERFERENCE = 1;

/** Validated paradigm with defaults filled in. */
interface Resolved {
  kind: number;
  overhead: number;
  sharpness: number;
  effect: number;
  epsilon: number;
  mergeCost: number;
}

function finiteAtLeast(field: string, x: unknown, min: number): number {
  if (typeof x !== 'number') throw typeError(field, 'a number', x);
  if (!Number.isFinite(x) || x < min) throw rangeError(field, `a finite number ≥ ${min}`, x);
  return x;
}

function inUnit(field: string, x: unknown): number {
  if (typeof x !== 'number') throw typeError(field, 'a number', x);
  if (!(x >= 0 && x <= 1)) throw rangeError(field, 'in [0, 1]', x);
  return x;
}

function vector(field: string, x: unknown, len: number, min: number): Float64Array {
  const out = new Float64Array(len);
  if (typeof x === 'number') {
    out.fill(finiteAtLeast(field, x, min));
    return out;
  }
  if (!Array.isArray(x)) throw typeError(field, 'a number or an array', x);
  if (x.length !== len) throw rangeError(`${field}.length`, `${len}`, x.length);
  for (let k = 0; k < len; k++) out[k] = finiteAtLeast(`${field}[${k}]`, x[k], min);
  return out;
}

function matrix(field: string, x: unknown, rows: number, cols: number, min: number): Float64Array {
  const out = new Float64Array(rows * cols);
  if (typeof x === 'number') {
    out.fill(finiteAtLeast(field, x, min));
    return out;
  }
  if (!Array.isArray(x)) throw typeError(field, 'a number or an array of arrays', x);
  if (x.length !== rows) throw rangeError(`${field}.length`, `${rows}`, x.length);
  for (let i = 0; i < rows; i++) {
    const row: unknown = x[i];
    if (!Array.isArray(row)) throw typeError(`${field}[${i}]`, 'an array', row);
    if (row.length !== cols) throw rangeError(`${field}[${i}].length`, `${cols}`, row.length);
    for (let j = 0; j < cols; j++) out[i * cols + j] = finiteAtLeast(`${field}[${i}][${j}]`, row[j], min);
  }
  return out;
}

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

function resolveParadigm(market: Market, paradigm: Paradigm): Resolved {
  const r: Resolved = { kind: MAX_POOLING, overhead: 0, sharpness: 0, effect: 0, epsilon: 0, mergeCost: 0 };
  switch (paradigm.kind) {
    case 'maxPooling':
      r.overhead = finiteAtLeast('paradigm.overhead', paradigm.overhead ?? 0, 0);
      return r;
    case 'averaging':
      r.kind = AVERAGING;
      r.overhead = finiteAtLeast('paradigm.overhead', paradigm.overhead ?? 0, 0);
      r.sharpness = finiteAtLeast('paradigm.sharpness', paradigm.sharpness ?? 0, 0);
      return r;
    case 'merging': {
      r.kind = MERGING;
      if (market.costKind === 'api') {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          "paradigm.kind 'merging' needs white-box models (Table 1): the market cost model must be 'gpu' or 'none', got 'api'",
          'paradigm.kind',
        );
      }
      const effect: unknown = paradigm.effect;
      if (effect === 'superlinear') r.effect = SUPERLINEAR;
      else if (effect === 'interference') r.effect = INTERFERENCE;
      else if (effect === 'independent') r.effect = 2;
      else throw typeError('paradigm.effect', "'superlinear', 'interference' or 'independent'", effect);
      r.epsilon = inUnit('paradigm.epsilon', paradigm.epsilon ?? 0.05);
      r.mergeCost = finiteAtLeast('paradigm.mergeGpuHours', paradigm.mergeGpuHours ?? 0, 0) * market.gpuPrice;
      return r;
    }
    default:
      throw typeError(
        'paradigm.kind',
        "'maxPooling', 'averaging' or 'merging'",
        (paradigm as { kind: unknown }).kind,
      );
  }
}

/**
 * Per-block, per-domain aggregates of members (internal). Block `b`'s statistics for domain `j` sit
 * at index `b · m + j`; `finish` turns them into the coalition's performance and per-unit net revenue.
 */
export class BlockAccumulator {
  /** Performance of the last finished (block, domain). */
  perf = 0;
  /** Per-unit net revenue of the last finished (block, domain); `-Infinity` when it cannot serve. */
  net = -Infinity;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly c: Float64Array;
  private readonly count: Int32Array;
  private readonly r: Resolved;

  constructor(
    readonly market: Market,
    paradigm: Paradigm,
    maxBlocks: number,
  ) {
    this.r = resolveParadigm(market, paradigm);
    const size = maxBlocks * market.m;
    this.a = new Float64Array(size);
    this.b = new Float64Array(size);
    this.c = new Float64Array(size);
    this.count = new Int32Array(maxBlocks);
  }

  /** Empty the first `blocks` blocks. */
  reset(blocks: number): void {
    const size = blocks * this.market.m;
    this.a.fill(this.r.kind === AVERAGING ? 0 : -Infinity, 0, size);
    this.b.fill(this.r.kind === MERGING ? Infinity : 0, 0, size);
    this.c.fill(0, 0, size);
    this.count.fill(0, 0, blocks);
  }

  /** Add agent `i` to block `block`. */
  add(block: number, i: number): void {
    const { m, perf, net, cost, score } = this.market;
    const { a, b, c } = this;
    this.count[block] = this.count[block]! + 1;
    const base = block * m;
    const row = i * m;
    switch (this.r.kind) {
      case MAX_POOLING:
        for (let j = 0; j < m; j++) {
          const x = net[row + j]!;
          const p = perf[row + j]!;
          if (x > a[base + j]! || (x === a[base + j]! && p > b[base + j]!)) {
            a[base + j] = x;
            b[base + j] = p;
          }
        }
        break;
      case AVERAGING: {
        const kappa = this.r.sharpness;
        for (let j = 0; j < m; j++) {
          const p = perf[row + j]!;
          const w = kappa === 0 ? 1 : Math.pow(p, kappa);
          a[base + j] = a[base + j]! + w;
          b[base + j] = b[base + j]! + w * p;
          c[base + j] = c[base + j]! + w * cost[row + j]!;
        }
        break;
      }
      default:
        for (let j = 0; j < m; j++) {
          const s = score[row + j]!;
          if (s > a[base + j]!) a[base + j] = s;
          if (s < b[base + j]!) b[base + j] = s;
          c[base + j] = c[base + j]! + cost[row + j]!;
        }
    }
  }

  /** Compute `perf` and `net` of block `block` on domain `j`. */
  finish(block: number, j: number): void {
    const { m, alpha, unitValue, frontier } = this.market;
    const k = block * m + j;
    const cnt = this.count[block]!;
    const r = this.r;
    if (cnt === 0) {
      this.perf = 0;
      this.net = -Infinity;
      return;
    }
    switch (r.kind) {
      case MAX_POOLING:
        this.perf = this.b[k]!;
        this.net = this.a[k]! - (cnt >= 2 ? r.overhead : 0);
        return;
      case AVERAGING: {
        const w = this.a[k]!;
        if (w === 0) {
          this.perf = 0;
          this.net = -Infinity;
          return;
        }
        this.perf = this.b[k]! / w;
        this.net =
          alpha * unitValue[j]! * this.perf - (1 - alpha) * (this.c[k]! / w) - (cnt >= 2 ? r.overhead : 0);
        return;
      }
      default: {
        const grow = r.epsilon * (cnt - 1);
        const s =
          r.effect === SUPERLINEAR
            ? Math.min(1, this.a[k]! + grow)
            : r.effect === INTERFERENCE
              ? Math.max(0, this.b[k]! - grow)
              : this.a[k]!;
        const f = frontier[j]!;
        this.perf = f > 0 ? s / f : 0;
        const unitCost = this.c[k]! / cnt + (cnt - 1) * r.mergeCost;
        this.net = alpha * unitValue[j]! * this.perf - (1 - alpha) * unitCost;
      }
    }
  }
}

/**
 * Eq. 9 coalition value with full demand (no competitors): `v(S) = Σ_j w_j q_j · max(0, net_S(j))`.
 *
 * Complexity: O(|S| · m).
 * @throws MechlabError `ERR_OUT_OF_RANGE` for a member outside `[0, n)`; paradigm validation errors.
 * @example coalitionValue(market, { kind: 'maxPooling' }, [0, 1]) // Eq. 10 with costs
 */
export function coalitionValue(market: Market, paradigm: Paradigm, members: readonly number[]): number {
  const acc = new BlockAccumulator(market, paradigm, 1);
  acc.reset(1);
  members.forEach((i, k) => {
    if (!Number.isInteger(i) || i < 0 || i >= market.n) {
      throw rangeError(`members[${k}]`, `an integer in [0, ${market.n - 1}]`, i);
    }
    acc.add(0, i);
  });
  let v = 0;
  for (let j = 0; j < market.m; j++) {
    acc.finish(0, j);
    if (acc.net > 0) v += market.weights[j]! * market.demand[j]! * acc.net;
  }
  return v;
}

/**
 * Incremental CFF oracle of a market (for permutation sampling at any `n`).
 *
 * Complexity: O(m) per `add`.
 * @throws paradigm validation errors (MechlabError).
 * @example shapleySample(marketOracle(market, { kind: 'averaging' }), { samples: 500 })
 */
export function marketOracle(market: Market, paradigm: Paradigm): CoalitionOracle {
  const acc = new BlockAccumulator(market, paradigm, 1);
  const { m, weights, demand } = market;
  return {
    n: market.n,
    reset(): number {
      acc.reset(1);
      return 0;
    },
    add(player: number): number {
      acc.add(0, player);
      let v = 0;
      for (let j = 0; j < m; j++) {
        acc.finish(0, j);
        if (acc.net > 0) v += weights[j]! * demand[j]! * acc.net;
      }
      return v;
    },
  };
}

/**
 * Dense CFF table `v(S)` of a market under a paradigm (Eq. 9; no externalities: each coalition faces
 * the full demand). Each mask aggregates its members in one reused accumulator; no per-subset
 * allocation.
 *
 * Complexity: O(2^n · n · m) time, O(2^n) memory.
 * @throws MechlabError `ERR_TOO_LARGE` when `n > 20`; paradigm validation errors.
 * @example shapleyExact(marketGame(market, { kind: 'merging', effect: 'superlinear' }))
 */
export function marketGame(market: Market, paradigm: Paradigm): CharacteristicGame {
  const n = market.n;
  checkPlayers('market.n', n, MAX_TABLE_PLAYERS);
  const size = 1 << n;
  const values = new Float64Array(size);
  const acc = new BlockAccumulator(market, paradigm, 1);
  const { m, weights, demand } = market;
  for (let mask = 1; mask < size; mask++) {
    acc.reset(1);
    for (let rest = mask; rest !== 0; rest &= rest - 1) acc.add(0, 31 - Math.clz32(rest & -rest));
    let v = 0;
    for (let j = 0; j < m; j++) {
      acc.finish(0, j);
      if (acc.net > 0) v += weights[j]! * demand[j]! * acc.net;
    }
    values[mask] = v;
  }
  return { kind: 'characteristic', n, values };
}

/**
 * The max-pooling market as an Eq. 10 maximum game over net revenue:
 * `v(S) = Σ_j (w_j q_j) · max_{i∈S} max(0, net_ij)`, which equals `marketGame(market, {kind:'maxPooling'})`
 * (zero overhead) and has the closed-form Shapley value of `shapleyMaxPooling`.
 *
 * Complexity: O(n · m).
 * @throws never
 * @example shapleyMaxPooling(marketMaxPoolingGame(market)) // O(m · n log n) for any n
 */
export function marketMaxPoolingGame(market: Market): MaxPoolingGame {
  const { n, m, net, weights, demand } = market;
  const scores = new Float64Array(n * m);
  for (let k = 0; k < n * m; k++) scores[k] = Math.max(0, net[k]!);
  const w = new Float64Array(m);
  for (let j = 0; j < m; j++) w[j] = weights[j]! * demand[j]!;
  return { kind: 'maxPooling', n, m, scores, weights: w };
}

/** Options of {@link demandShareGame}. */
export interface DemandShareOptions {
  /** Demand elasticity `γ ≥ 0` (default 1): 0 = equal split, ∞ = winner takes all. */
  gamma?: number;
}

/**
 * Partition-function game with the default demand-share externality (MODELS.md §4 [choice]): in
 * partition `P`, on domain `j`, every coalition `T` that serves `j` (per-unit net revenue > 0) captures
 * demand `q_j · perf_T(j)^γ / Σ_{U∈P serving j} perf_U(j)^γ` and earns Eq. 1 on it:
 * `v(T, P) = Σ_j w_j q_j · share_T(j) · net_T(j)`. Alone in the market (`P = {N}`) the grand coalition
 * gets the whole demand, so `v(N, {N}) = marketGame(...)(N)`. Shares are computed from
 * `(perf / max perf)^γ` so large `γ` cannot underflow.
 *
 * Complexity: O(n · m + blocks · m) per evaluation.
 * @throws MechlabError `ERR_OUT_OF_RANGE` when `gamma` is not a finite number ≥ 0; paradigm errors.
 * @example mpwExact(demandShareGame(market, { kind: 'maxPooling' }, { gamma: 2 }))
 */
export function demandShareGame(
  market: Market,
  paradigm: Paradigm,
  options: DemandShareOptions = {},
): PartitionGame {
  const gamma = finiteAtLeast('options.gamma', options.gamma ?? 1, 0);
  const { n, m, weights, demand } = market;
  const acc = new BlockAccumulator(market, paradigm, n);
  const perf = new Float64Array(n);
  const net = new Float64Array(n);
  return {
    kind: 'partition',
    n,
    evaluate(labels, blocks, out) {
      acc.reset(blocks);
      for (let i = 0; i < n; i++) acc.add(labels[i]!, i);
      out.fill(0, 0, blocks);
      for (let j = 0; j < m; j++) {
        let top = 0;
        let serving = 0;
        for (let b = 0; b < blocks; b++) {
          acc.finish(b, j);
          perf[b] = acc.perf;
          net[b] = acc.net;
          if (acc.net > 0) {
            serving++;
            if (acc.perf > top) top = acc.perf;
          }
        }
        if (serving === 0) continue;
        let denom = 0;
        for (let b = 0; b < blocks; b++) {
          if (net[b]! > 0) {
            perf[b] = top > 0 ? Math.pow(perf[b]! / top, gamma) : 1;
            denom += perf[b]!;
          }
        }
        const scale = weights[j]! * demand[j]!;
        for (let b = 0; b < blocks; b++) {
          if (net[b]! > 0) out[b] = out[b]! + (scale * perf[b]! * net[b]!) / denom;
        }
      }
    },
  };
}
