/**
 * Random CCS instances (MODELS.md §1.4; seed 004 §5.1 "Random interaction graphs", §6) and the
 * asymptotic prediction of Corollary 13 for the chosen distributions.
 *
 * Defaults **[choice — the paper's distributions were lost in extraction]**: `θ_i ~ U[0, θ_max]`,
 * `c_i ~ U[0, c_max]`, edge `j→i` present with probability ρ (Erdős–Rényi on ordered pairs, no
 * self-loops), weight `w_{ji} ~ U[0, w_max]` when present; defaults `θ_max = w_max = c_max = 1`. Every
 * marginal is pluggable ({@link CcsDistribution}: uniform, constant, exponential, or a custom sampler).
 *
 * Random streams: θ, costs and edges come from three named children of the given `Rng`
 * (`rng.split('theta' | 'cost' | 'edges')`), so e.g. changing ρ leaves θ and c unchanged (common random
 * numbers across a ρ sweep).
 *
 * Edges are drawn by geometric skipping over the `n(n−1)` ordered pairs (slot `s` ↦ from `⌊s/(n−1)⌋`,
 * the `s mod (n−1)`-th other player): `O(n + |E|)` time, never `O(n²)`. The CSR graph is built
 * directly in typed arrays with the same layout `buildGraph` produces for the edges in slot order.
 */
import { MechlabError, rangeError, typeError } from '../errors';
import { hashKeys, type Rng } from '../rng';
import type { CcsInstance, CostFamily, SpilloverGraph } from './instance';

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { ceil, floor, log1p, max, min, sqrt } = Math;
const { isFinite: isFiniteNumber, isSafeInteger } = Number;

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

/** Options of {@link randomForest}. */
export interface RandomForestOptions extends CcsMarginals {
  readonly n: number;
  /**
   * `'random'`: player i ≥ 1 picks a uniform parent among 0..i−1 (a random recursive tree);
   * `'chain'`: parent i−1; `'star'`: parent 0. Default `'random'`.
   */
  readonly shape?: 'random' | 'chain' | 'star';
  /** Probability that a player i ≥ 1 gets no parent (starts a new tree). Default 0.1. */
  readonly rootProb?: number;
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

function validateDistribution(field: string, d: CcsDistribution): void {
  if (d === null || typeof d !== 'object') throw typeError(field, 'a distribution object', d);
  switch (d.kind) {
    case 'uniform':
      if (!(isFiniteNumber(d.min) && d.min >= 0))
        throw rangeError(`${field}.min`, 'a finite number ≥ 0', d.min);
      if (!(isFiniteNumber(d.max) && d.max >= d.min)) {
        throw rangeError(`${field}.max`, `a finite number ≥ min (${d.min})`, d.max);
      }
      return;
    case 'constant':
      if (!(isFiniteNumber(d.value) && d.value >= 0)) {
        throw rangeError(`${field}.value`, 'a finite number ≥ 0', d.value);
      }
      return;
    case 'exponential':
      if (!(isFiniteNumber(d.mean) && d.mean > 0))
        throw rangeError(`${field}.mean`, 'a finite number > 0', d.mean);
      return;
    case 'custom':
      if (typeof d.sample !== 'function')
        throw typeError(`${field}.sample`, 'a function (rng) => number', d.sample);
      if (!(isFiniteNumber(d.mean) && d.mean >= 0))
        throw rangeError(`${field}.mean`, 'a finite number ≥ 0', d.mean);
      return;
    default:
      throw typeError(
        `${field}.kind`,
        '"uniform", "constant", "exponential" or "custom"',
        (d as { kind?: unknown }).kind,
      );
  }
}

function maxParam(field: string, v: number | undefined): number {
  const x = v ?? 1;
  if (!(typeof x === 'number' && isFiniteNumber(x) && x >= 0))
    throw rangeError(field, 'a finite number ≥ 0', x);
  return x;
}

/** The three marginals after defaults, validated (shared with truncated-expectation.ts). */
export function marginals(o: CcsMarginals): {
  theta: CcsDistribution;
  weight: CcsDistribution;
  cost: CcsDistribution;
} {
  const theta = o.theta ?? { kind: 'uniform', min: 0, max: maxParam('thetaMax', o.thetaMax) };
  const weight = o.weight ?? { kind: 'uniform', min: 0, max: maxParam('wMax', o.wMax) };
  const cost = o.cost ?? { kind: 'uniform', min: 0, max: maxParam('costMax', o.costMax) };
  validateDistribution('theta', theta);
  validateDistribution('weight', weight);
  validateDistribution('cost', cost);
  return { theta, weight, cost };
}

function checkN(n: number): void {
  if (!(isSafeInteger(n) && n >= 1)) throw rangeError('n', 'an integer ≥ 1', n);
}

function checkFamily(f: CostFamily | undefined): CostFamily {
  const fam = f ?? 'linear';
  if (fam !== 'linear' && fam !== 'quadratic') throw typeError('costFamily', '"linear" or "quadratic"', fam);
  return fam;
}

function drawAll(n: number, d: CcsDistribution, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = sampleDistribution(d, rng);
  return out;
}

/**
 * CSR graph from an edge list given as typed arrays, laid out exactly as `buildGraph` lays out the same
 * edges in the same order (stable counting sorts by target and by source). The caller guarantees
 * valid, distinct, loop-free edges. O(n + m).
 */
function csrFromEdges(
  n: number,
  m: number,
  from: Int32Array,
  to: Int32Array,
  w: Float64Array,
): SpilloverGraph {
  const inStart = new Int32Array(n + 1);
  const outStart = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    inStart[to[k]! + 1]!++;
    outStart[from[k]! + 1]!++;
  }
  for (let i = 0; i < n; i++) {
    inStart[i + 1]! += inStart[i]!;
    outStart[i + 1]! += outStart[i]!;
  }
  const inFrom = new Int32Array(m);
  const inWeight = new Float64Array(m);
  const outTo = new Int32Array(m);
  const outWeight = new Float64Array(m);
  const inFill = inStart.slice(0, n);
  const outFill = outStart.slice(0, n);
  for (let k = 0; k < m; k++) {
    const f = from[k]!,
      t = to[k]!,
      x = w[k]!;
    const a = inFill[t]!++;
    inFrom[a] = f;
    inWeight[a] = x;
    const b = outFill[f]!++;
    outTo[b] = t;
    outWeight[b] = x;
  }
  return { n, edgeCount: m, inStart, inFrom, inWeight, outStart, outTo, outWeight };
}

/** Largest table of geometric-skip thresholds (entries). */
const SKIP_TABLE_MAX = 4096;
/** Tail probability left to `log1p`: the table covers skips below `K` with `P(skip ≥ K) ≈ 1e-4`. */
const SKIP_TABLE_TAIL = 1e-4;
/** Below this ρ the thresholds crowd the buckets and `log1p` per edge is as fast: no table. */
const SKIP_TABLE_MIN_RHO = 1e-3;
/** Buckets of the table's first lookup: the top 12 of the 27 high bits of a draw. */
const BUCKET_BITS = 12;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_M53 = 1 / TWO_POW_53;

/**
 * Exact integer thresholds for the geometric skips of {@link randomCcsInstance}.
 *
 * A draw `u = U·2⁻⁵³` (U a 53-bit integer, as `Rng.next()` makes it) skips
 * `g(U) = ⌊log1p(−u) / log1p(−ρ)⌋` slots. `g` is non-decreasing in U, so `g(U) ≥ k` ⇔ `U ≥ T_k` with
 * `T_k` the least such U, found once per ρ by bisection over the same `Math.log1p` expression. A
 * draw's skip is then the number of thresholds ≤ U: the top bits of U pick a bucket whose first
 * skip is stored, and a comparison or two finish it; draws beyond `T_K` (probability ≈ 1e-4) fall
 * back to `log1p`. The result is *exactly* `g(U)`, so the random stream and every instance are
 * byte-identical to the `log1p`-per-edge generator (differential test in ccs-generator-fast.test.ts),
 * at integer-compare cost instead of ≈ 28 ns of `log1p` per edge.
 *
 * Monotonicity of the float expression on the 2⁻⁵³ grid: near `T_k` one grid step moves `log1p(−u)` by
 * `2⁻⁵³/(1−u)`, several ulps of the result for every k in the table, and `log1p` is accurate to < 1 ulp
 * (fdlibm), so a step never goes backwards; division by a constant and `⌊·⌋` keep the order.
 */
export interface SkipTable {
  readonly rho: number;
  /** `log1p(−ρ)` as the reference computes it. */
  readonly lq: number;
  /** Number of thresholds `K`; `T[k]` for `k = 1..K` (T[0] = 0). */
  readonly size: number;
  /** `T_k` as exact integers in doubles (< 2⁵³). */
  readonly thresholds: Float64Array;
  /** Skip at the first U of each of the `2^BUCKET_BITS` buckets (capped at K). */
  readonly bucketStart: Uint16Array;
}

function skipOf(u53: number, lq: number): number {
  return floor(log1p(-(u53 * TWO_POW_M53)) / lq);
}

const skipTables = new Map<number, SkipTable>();

/**
 * The threshold table of ρ (cached per ρ, a handful at a time), or `undefined` where geometric skips
 * go through `log1p` (ρ < 1e-3, or ρ ≥ 1 where every slot is an edge).
 *
 * Complexity O(K·53) `log1p` calls once per ρ (K ≤ 4096; K = 88 at ρ = 0.1: ≈ 0.1 ms).
 */
export function geometricSkipTable(rho: number): SkipTable | undefined {
  if (!(rho >= SKIP_TABLE_MIN_RHO && rho < 1)) return undefined;
  const hit = skipTables.get(rho);
  if (hit) return hit;
  const lq = log1p(-rho);
  const maxSkip = skipOf(TWO_POW_53 - 1, lq);
  const K = max(0, min(SKIP_TABLE_MAX, maxSkip, ceil(log1p(-(1 - SKIP_TABLE_TAIL)) / lq)));
  const T = new Float64Array(K + 1);
  let lo = 0;
  for (let k = 1; k <= K; k++) {
    // Least U in (lo, 2⁵³) with skipOf(U) ≥ k; skipOf(2⁵³−1) ≥ K ≥ k, so it exists.
    let hi = TWO_POW_53 - 1;
    while (lo < hi) {
      const mid = lo + floor((hi - lo) / 2);
      if (skipOf(mid, lq) >= k) hi = mid;
      else lo = mid + 1;
    }
    T[k] = lo;
  }
  const buckets = 1 << BUCKET_BITS;
  const bucketStart = new Uint16Array(buckets);
  const width = TWO_POW_53 / buckets;
  let k = 0;
  for (let b = 0; b < buckets; b++) {
    const u0 = b * width;
    while (k < K && T[k + 1]! <= u0) k++;
    bucketStart[b] = k;
  }
  const table: SkipTable = { rho, lq, size: K, thresholds: T, bucketStart };
  if (skipTables.size >= 16) skipTables.clear();
  skipTables.set(rho, table);
  return table;
}

/**
 * xoshiro128** on plain fields, seeded exactly like `Rng` (its state is `hashKeys(path)`), so a fresh
 * `Xoshiro(path)` yields the same numbers as `Rng.fromPath(path)` — without `Rng`'s method dispatch
 * in the generator's hot loop.
 */
class Xoshiro {
  s0: number;
  s1: number;
  s2: number;
  s3: number;
  constructor(path: readonly (string | number)[]) {
    const s = hashKeys(path);
    this.s0 = s[0]!;
    this.s1 = s[1]!;
    this.s2 = s[2]!;
    this.s3 = s[3]!;
  }
  u32(): number {
    const s0 = this.s0,
      s1 = this.s1;
    const r = imul(rotl32(imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = rotl32(s3, 11);
    return r;
  }
  next(): number {
    const hi = this.u32() >>> 5;
    const lo = this.u32() >>> 6;
    return (hi * 67108864 + lo) * TWO_POW_M53;
  }
}

const imul = Math.imul;
function rotl32(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** `sampleDistribution` for the built-in kinds, on a {@link Xoshiro} (same expression, same draws). */
function sampleFast(d: CcsDistribution, x: Xoshiro): number {
  switch (d.kind) {
    case 'uniform':
      return d.min + (d.max - d.min) * x.next();
    case 'constant':
      return d.value;
    case 'exponential':
      return -log1p(-x.next()) / (1 / d.mean);
    case 'custom':
      throw new MechlabError('ERR_INVALID_INPUT', 'custom distributions take the reference path', 'kind');
  }
}

/**
 * Buffers of {@link randomCcsInstanceInto}, sized once per sweep point and reused by its replicates.
 * The instance it returns views these buffers: it is valid until the next call with the same
 * workspace. Grows (never shrinks) when an instance needs more.
 */
export class CcsWorkspace {
  n = 0;
  edgeCap = 0;
  theta: Float64Array = new Float64Array(0);
  cost: Float64Array = new Float64Array(0);
  inStart: Int32Array = new Int32Array(1);
  outStart: Int32Array = new Int32Array(1);
  fill: Int32Array = new Int32Array(0);
  inFrom: Int32Array = new Int32Array(0);
  inWeight: Float64Array = new Float64Array(0);
  outTo: Int32Array = new Int32Array(0);
  outWeight: Float64Array = new Float64Array(0);

  /** Buffers for n players and the edge count of ρ plus six standard deviations. */
  constructor(n = 0, rho = 0) {
    this.reserve(n, expectedEdgeCap(n, rho));
  }

  /** Make room for `n` players and `edges` edges (amortised doubling). O(n + edges) when it grows. */
  reserve(n: number, edges: number): void {
    if (n > this.n) {
      this.n = n;
      this.theta = new Float64Array(n);
      this.cost = new Float64Array(n);
      this.inStart = new Int32Array(n + 1);
      this.outStart = new Int32Array(n + 1);
      this.fill = new Int32Array(n);
    }
    if (edges > this.edgeCap) {
      const cap = max(edges, this.edgeCap * 2);
      const grow32 = (a: Int32Array): Int32Array => {
        const b = new Int32Array(cap);
        b.set(a);
        return b;
      };
      const grow64 = (a: Float64Array): Float64Array => {
        const b = new Float64Array(cap);
        b.set(a);
        return b;
      };
      this.inFrom = grow32(this.inFrom);
      this.outTo = grow32(this.outTo);
      this.inWeight = grow64(this.inWeight);
      this.outWeight = grow64(this.outWeight);
      this.edgeCap = cap;
    }
  }
}

function expectedEdgeCap(n: number, rho: number): number {
  const slots = n * max(0, n - 1);
  const r = rho >= 0 && rho <= 1 ? rho : 0;
  return min(slots, ceil(r * slots + 6 * sqrt(r * slots) + 16));
}

/**
 * Random CCS instance with Erdős–Rényi spillovers (MODELS.md §1.4; seed 004 Definition 6).
 *
 * Complexity O(n + |E|) expected time and memory (geometric skipping; E|E| = ρ n (n−1)).
 * Same stream and same arrays as the previous edge-list generator ({@link randomCcsInstanceEdgeList}),
 * drawn straight into CSR (see {@link randomCcsInstanceInto}).
 *
 * @throws MechlabError `ERR_OUT_OF_RANGE` for `n` not an integer ≥ 1 (or n(n−1) ≥ 2⁵³), ρ ∉ [0, 1],
 *   negative `*Max`, or invalid distributions; `ERR_INVALID_TYPE` for an unknown `costFamily`.
 * @see seed 004 §5.1 (random graphs), §6 (experiments).
 * @example
 * const inst = randomCcsInstance(Rng.seed(1), { n: 1000, rho: 0.01 });
 * inst.graph.edgeCount // → 9925 (mean ρ n (n−1) = 9990)
 */
export function randomCcsInstance(rng: Rng, opts: RandomCcsOptions): CcsInstance {
  const n = opts.n;
  return randomCcsInstanceInto(
    rng,
    opts,
    new CcsWorkspace(typeof n === 'number' && isSafeInteger(n) && n >= 1 ? n : 0, opts.rho),
  );
}

/**
 * {@link randomCcsInstance} into reusable buffers: θ and c into `ws.theta`/`ws.cost`; edges straight
 * into the final CSR arrays — by source in slot order (the order they are drawn: slot `s` ↦ source
 * `⌊s/(n−1)⌋`), in-degrees counted on the way, then one counting-sort pass by target — with no edge
 * list. Geometric skips use the exact threshold table of {@link geometricSkipTable}. The returned
 * instance views `ws` (valid until the next call with `ws`); its arrays equal, element for element,
 * those of the reference generator for the same `rng` and options.
 *
 * Complexity O(n + |E|) time, no allocation once `ws` is large enough (bar the instance's views).
 * @throws as {@link randomCcsInstance}.
 * @example
 * const ws = new CcsWorkspace(1000, 0.1);
 * for (let r = 0; r < 1000; r++) use(randomCcsInstanceInto(root.split(r), { n: 1000, rho: 0.1 }, ws));
 */
export function randomCcsInstanceInto(rng: Rng, opts: RandomCcsOptions, ws: CcsWorkspace): CcsInstance {
  const { n, rho } = opts;
  checkN(n);
  if (!(typeof rho === 'number' && rho >= 0 && rho <= 1)) throw rangeError('rho', 'a number in [0, 1]', rho);
  const slots = n * (n - 1);
  if (!isSafeInteger(slots)) throw rangeError('n', 'small enough that n(n−1) < 2^53', n);
  const costFamily = checkFamily(opts.costFamily);
  const dist = marginals(opts);
  if (dist.theta.kind === 'custom' || dist.cost.kind === 'custom' || dist.weight.kind === 'custom') {
    return randomCcsInstanceEdgeList(rng, opts);
  }
  ws.reserve(n, expectedEdgeCap(n, rho));
  const theta = ws.theta;
  const cost = ws.cost;
  const path = rng.path;
  const tx = new Xoshiro([...path, 'theta']);
  for (let i = 0; i < n; i++) theta[i] = sampleFast(dist.theta, tx);
  const cx = new Xoshiro([...path, 'cost']);
  for (let i = 0; i < n; i++) cost[i] = sampleFast(dist.cost, cx);
  const m = drawEdgesCsr(new Xoshiro([...path, 'edges']), n, rho, dist.weight, ws);
  const graph: SpilloverGraph = {
    n,
    edgeCount: m,
    inStart: ws.inStart.subarray(0, n + 1),
    inFrom: ws.inFrom.subarray(0, m),
    inWeight: ws.inWeight.subarray(0, m),
    outStart: ws.outStart.subarray(0, n + 1),
    outTo: ws.outTo.subarray(0, m),
    outWeight: ws.outWeight.subarray(0, m),
  };
  return {
    n,
    theta: theta.length === n ? theta : theta.subarray(0, n),
    cost: cost.length === n ? cost : cost.subarray(0, n),
    costFamily,
    graph,
    quality: { kind: 'graph' },
  };
}

/** The edge loop of {@link randomCcsInstanceInto}; returns |E|. */
function drawEdgesCsr(er: Xoshiro, n: number, rho: number, wd: CcsDistribution, ws: CcsWorkspace): number {
  const slots = n * (n - 1);
  const nm1 = n - 1;
  const inStart = ws.inStart;
  const outStart = ws.outStart;
  inStart.fill(0, 0, n + 1);
  outStart[0] = 0;
  let outTo = ws.outTo;
  let outWeight = ws.outWeight;
  let cap = ws.edgeCap;
  const table = geometricSkipTable(rho);
  const lq = rho < 1 ? log1p(-rho) : 0;
  const T = table ? table.thresholds : undefined;
  const bucketStart = table ? table.bucketStart : undefined;
  const K = table ? table.size : 0;
  const uniformW = wd.kind === 'uniform';
  const wMin = wd.kind === 'uniform' ? wd.min : 0;
  const wSpan = wd.kind === 'uniform' ? wd.max - wd.min : 0;
  let m = 0;
  let f = 0; // source of the current row
  let rowStart = 0; // first slot of row f
  let rowEnd = nm1;
  let s = -1;
  if (rho > 0 && slots > 0) {
    for (;;) {
      // Next slot = previous + 1 + Geometric(ρ) failures (the reference's 1 + ⌊log1p(−u)/log1p(−ρ)⌋).
      if (rho < 1) {
        const hi = er.u32() >>> 5;
        const lo = er.u32() >>> 6;
        const U = hi * 67108864 + lo;
        let g: number;
        if (T !== undefined) {
          g = bucketStart![hi >>> (27 - BUCKET_BITS)]!;
          while (g < K && U >= T[g + 1]!) g++;
          if (g === K) g = floor(log1p(-(U * TWO_POW_M53)) / lq);
        } else {
          g = floor(log1p(-(U * TWO_POW_M53)) / lq);
        }
        s += 1 + g;
      } else {
        s += 1;
      }
      if (!(s < slots)) break;
      // Next source row(s): a step per row passed (each writes that row's start anyway), no division.
      while (s >= rowEnd) {
        outStart[++f] = m;
        rowStart = rowEnd;
        rowEnd += nm1;
      }
      if (m === cap) {
        ws.reserve(n, cap * 2);
        outTo = ws.outTo;
        outWeight = ws.outWeight;
        cap = ws.edgeCap;
      }
      const r = s - rowStart;
      const t = r < f ? r : r + 1;
      outTo[m] = t;
      outWeight[m] = uniformW ? wMin + wSpan * er.next() : sampleFast(wd, er);
      inStart[t + 1]!++;
      m++;
    }
  }
  for (let j = f + 1; j <= n; j++) outStart[j] = m;
  for (let i = 0; i < n; i++) inStart[i + 1]! += inStart[i]!;
  // Counting sort by target, stable in slot order: the layout `buildGraph` gives the edge list.
  const fill = ws.fill;
  fill.set(inStart.subarray(0, n));
  const inFrom = ws.inFrom;
  const inWeight = ws.inWeight;
  for (let j = 0; j < n; j++) {
    const end = outStart[j + 1]!;
    for (let e = outStart[j]!; e < end; e++) {
      const a = fill[outTo[e]!]!++;
      inFrom[a] = j;
      inWeight[a] = outWeight[e]!;
    }
  }
  return m;
}

/**
 * The previous generator of {@link randomCcsInstance} (edge list, one `log1p` per edge, then a CSR
 * scatter), kept as the reference the fast generator is tested against (byte-identical arrays) and
 * benchmarked against (benchmarks/sweep), and used for `custom` distributions.
 *
 * Complexity O(n + |E|) expected time and memory (geometric skipping; E|E| = ρ n (n−1)).
 *
 * @throws MechlabError `ERR_OUT_OF_RANGE` for `n` not an integer ≥ 1 (or n(n−1) ≥ 2⁵³), ρ ∉ [0, 1],
 *   negative `*Max`, or invalid distributions; `ERR_INVALID_TYPE` for an unknown `costFamily`.
 * @see seed 004 §5.1 (random graphs), §6 (experiments).
 * @example randomCcsInstanceEdgeList(Rng.seed(1), { n: 1000, rho: 0.01 }).graph.edgeCount // → 9925
 */
export function randomCcsInstanceEdgeList(rng: Rng, opts: RandomCcsOptions): CcsInstance {
  const { n, rho } = opts;
  checkN(n);
  if (!(typeof rho === 'number' && rho >= 0 && rho <= 1)) throw rangeError('rho', 'a number in [0, 1]', rho);
  const slots = n * (n - 1);
  if (!isSafeInteger(slots)) throw rangeError('n', 'small enough that n(n−1) < 2^53', n);
  const costFamily = checkFamily(opts.costFamily);
  const dist = marginals(opts);
  const theta = drawAll(n, dist.theta, rng.split('theta'));
  const cost = drawAll(n, dist.cost, rng.split('cost'));

  const er = rng.split('edges');
  let cap = min(slots, ceil(rho * slots + 6 * sqrt(rho * slots) + 16));
  let from: Int32Array = new Int32Array(cap);
  let to: Int32Array = new Int32Array(cap);
  let w: Float64Array = new Float64Array(cap);
  let m = 0;
  if (rho > 0 && slots > 0) {
    // Next slot = previous + 1 + Geometric(ρ) failures; log1p keeps small ρ accurate.
    const lq = rho < 1 ? log1p(-rho) : 0;
    let s = -1;
    for (;;) {
      s += rho < 1 ? 1 + floor(log1p(-er.next()) / lq) : 1;
      if (!(s < slots)) break;
      if (m === cap) {
        cap *= 2;
        from = grow32(from, cap);
        to = grow32(to, cap);
        const w2 = new Float64Array(cap);
        w2.set(w);
        w = w2;
      }
      const f = floor(s / (n - 1));
      const r = s - f * (n - 1);
      from[m] = f;
      to[m] = r < f ? r : r + 1;
      w[m] = sampleDistribution(dist.weight, er);
      m++;
    }
  }
  const graph = csrFromEdges(n, m, from, to, w);
  return { n, theta, cost, costFamily, graph, quality: { kind: 'graph' } };
}

function grow32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

/**
 * Random forest instance for the tree solver (HOP): player `i ≥ 1` gets no parent with probability
 * `rootProb`, otherwise a parent by `shape` (uniform among `0..i−1`, `i−1`, or `0`); player 0 is a root.
 * Edge `parent → i` carries `w_i ~ weight`; θ and c as in {@link randomCcsInstance}.
 *
 * Complexity O(n) time and memory.
 * @throws MechlabError `ERR_OUT_OF_RANGE` for bad `n`, `rootProb ∉ [0, 1]` or invalid marginals.
 * @see seed 004 §4.2, Appendix D (tree-structured spillovers).
 * @example randomForest(Rng.seed(3), { n: 18 }).graph.edgeCount // → 17 (mean 0.9 · 17)
 */
export function randomForest(rng: Rng, opts: RandomForestOptions): CcsInstance {
  const { n } = opts;
  checkN(n);
  const rootProb = opts.rootProb ?? 0.1;
  if (!(typeof rootProb === 'number' && rootProb >= 0 && rootProb <= 1)) {
    throw rangeError('rootProb', 'a number in [0, 1]', rootProb);
  }
  const shape = opts.shape ?? 'random';
  if (shape !== 'random' && shape !== 'chain' && shape !== 'star') {
    throw typeError('shape', '"random", "chain" or "star"', shape);
  }
  const costFamily = checkFamily(opts.costFamily);
  const dist = marginals(opts);
  const theta = drawAll(n, dist.theta, rng.split('theta'));
  const cost = drawAll(n, dist.cost, rng.split('cost'));
  const pr = rng.split('parents');
  const wr = rng.split('weights');
  const from = new Int32Array(max(0, n - 1));
  const to = new Int32Array(max(0, n - 1));
  const w = new Float64Array(max(0, n - 1));
  let m = 0;
  for (let i = 1; i < n; i++) {
    if (rootProb > 0 && pr.next() < rootProb) continue;
    from[m] = shape === 'chain' ? i - 1 : shape === 'star' ? 0 : pr.int(i);
    to[m] = i;
    w[m] = sampleDistribution(dist.weight, wr);
    m++;
  }
  const graph = csrFromEdges(n, m, from, to, w);
  return { n, theta, cost, costFamily, graph, quality: { kind: 'graph' } };
}

/** Parameters of {@link chainInstance}. */
export interface ChainOptions {
  /** θ of every player. Default 0.5. */
  readonly theta?: number;
  /** Spillover of every edge `i−1 → i`. Default 0.5. */
  readonly weight?: number;
  /** Linear cost of every player. Default 0.1. */
  readonly cost?: number;
}

/**
 * Deterministic path `0 → 1 → … → n−1` with constant θ, w and c (linear cost, graph quality), for
 * deep-recursion tests of the tree solver. With budget D grid units, `π0 = ⌈cD/θ⌉`, `π1 = ⌈cD/(θ+w)⌉`,
 * the optimum is one run of `L = min(n, 1 + ⌊(D − π0)/π1⌋)` consecutive players (if `π0 ≤ D`) and
 * welfare `θ + (L − 1)(θ + w)`.
 *
 * Complexity O(n).
 * @throws MechlabError `ERR_OUT_OF_RANGE` for bad `n` or negative/non-finite parameters.
 * @example chainInstance(100000) // default θ = w = 0.5, c = 0.1: with δ = 0.1 the optimum is 8.5
 */
export function chainInstance(n: number, opts: ChainOptions = {}): CcsInstance {
  checkN(n);
  const th = opts.theta ?? 0.5;
  const wt = opts.weight ?? 0.5;
  const c = opts.cost ?? 0.1;
  for (const [field, v] of [
    ['theta', th],
    ['weight', wt],
    ['cost', c],
  ] as const) {
    if (!(isFiniteNumber(v) && v >= 0)) throw rangeError(field, 'a finite number ≥ 0', v);
  }
  const m = n - 1;
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const w = new Float64Array(m).fill(wt);
  for (let i = 0; i < m; i++) {
    from[i] = i;
    to[i] = i + 1;
  }
  return {
    n,
    theta: new Float64Array(n).fill(th),
    cost: new Float64Array(n).fill(c),
    costFamily: 'linear',
    graph: csrFromEdges(n, m, from, to, w),
    quality: { kind: 'graph' },
  };
}

/** Options of {@link asymptoticPrediction}: the generator's parameters. */
export interface AsymptoticOptions extends CcsMarginals {
  readonly n: number;
  readonly rho: number;
}

/** Corollary 13's prediction for random instances (see {@link asymptoticPrediction}). */
export interface AsymptoticPrediction {
  /** Predicted number of players tight portions can incentivise at this n (second-order). */
  readonly players: number;
  /** `players / n`. */
  readonly fraction: number;
  /** Predicted welfare `k μ_θ + k (k−1) ρ μ_w` at `k = players`. */
  readonly welfare: number;
  /** Predicted quality of each active player, `μ_θ + (k−1) ρ μ_w`. */
  readonly qualityPerPlayer: number;
  /** First-order (plain concentration, `E[1/D] ≈ 1/E[D]`) count at this n. */
  readonly firstOrderPlayers: number;
  /** `α∞ = lim k/n`: the largest α with `(1/α) ∫₀^α Q_c(u) du ≤ ρ μ_w`. */
  readonly limitFraction: number;
  /** `lim SW/n² = ρ μ_w α∞²` (Corollary 13: SW = Θ(n²) when α∞ > 0). */
  readonly limitWelfarePerN2: number;
}

/**
 * Corollary 13 (seed 004 §5, Theorem 12 proof, Lemmas 22–23) made explicit for the chosen
 * distributions: how many players tight portions can incentivise, and the welfare that implies.
 *
 * Derivation. Let `θ ~ F_θ` (mean μ_θ, variance σ_θ²), `c ~ F_c` (quantile `Q_c`), and each ordered
 * pair carry an edge with probability ρ and weight `w ~ F_w` (mean μ_w, second moment m₂), all
 * independent.
 * 1. Tight portions (Theorem 12, step 1): a design incentivising a set S of size k costs at least
 *    `Σ_{i∈S} c_i / D_i(S)`, and tight portions achieve it, so only S matters.
 * 2. Quality concentration (Lemma 22): `D_i(S) = θ_i + Σ_{j∈S∖i} B_{ji} w_{ji}` has mean
 *    `μ_D(k) = μ_θ + (k−1)ρμ_w` and variance `σ_D²(k) = σ_θ² + (k−1)(ρ m₂ − ρ²μ_w²)`, independent of
 *    the costs; its relative spread is O(1/√(ρk)), so every active player has quality ≈ μ_D(k).
 * 3. Cost concentration (Lemma 23): the cheapest way to pick k players uses the k smallest costs,
 *    whose sum is ≈ `S_k = Σ_{t=1}^{k} Q_c(t/(n+1))` (expected order statistics; exact for uniform
 *    costs) ≈ `n G(k/n)`, `G(α) = ∫₀^α Q_c`.
 * 4. Feasibility: `Σ c_(t) / D_t ≤ 1`. With costs independent of D, `E[Σ] = S_k E[1/D]`; first order
 *    `E[1/D] ≈ 1/μ_D(k)`, second order (delta method) `E[1/D] ≈ 1/μ_D + σ_D²/μ_D³`, which matters at
 *    moderate n because σ_D/μ_D decays only like 1/√(ρk). The prediction is the largest k with
 *    `S_k · E[1/D] ≤ 1` — exactly the set GCS tries (the k cheapest), scanning k downwards. The
 *    left side is convex in k and the right side constant, so the feasible k form an interval.
 * 5. Limit: with α = k/n, `n G(α) ≤ μ_θ + (αn − 1)ρμ_w` ⇔ `G(α)/α ≤ ρμ_w + O(1/n)`. `G(α)/α`, the
 *    mean of `Q_c` on [0, α], is non-decreasing, so `α∞ = sup{α ≤ 1 : G(α)/α ≤ ρμ_w}`. For
 *    `c ~ U[0, c_max]`, `G(α)/α = c_max α/2` ⇒ `α∞ = min(1, 2ρμ_w/c_max)`; with `w ~ U[0, w_max]` this
 *    is `min(1, ρ w_max / c_max)` — the default (all U[0, 1]) gives `α∞ = ρ`.
 * 6. Welfare: `SW = Σ_{i∈S} D_i(S) ≈ k μ_θ + k(k−1)ρμ_w`, so `SW/n² → ρ μ_w α∞²` (= ρ³/2 for the
 *    defaults): Corollary 13's Θ(n²) welfare with an explicit constant.
 *
 * Complexity O(n) (prefix sums of the quantiles) plus O(1)/O(4096) for the limit (closed form /
 * midpoint rule for custom costs, then bisection).
 *
 * @throws MechlabError `ERR_OUT_OF_RANGE` for bad `n`/`rho`/marginals; `ERR_INVALID_INPUT` for a custom
 *   cost distribution without a quantile.
 * @see seed 004 Corollary 13, Theorem 12 (proof steps 1–3), Lemmas 22–23.
 * @example
 * asymptoticPrediction({ n: 4000, rho: 0.05 })
 * // → { players: 196, fraction: 0.049, welfare: 1053.5, qualityPerPlayer: 5.375,
 * //     firstOrderPlayers: 216, limitFraction: 0.05, limitWelfarePerN2: 6.25e-5 }
 */
export function asymptoticPrediction(opts: AsymptoticOptions): AsymptoticPrediction {
  const { n, rho } = opts;
  checkN(n);
  if (!(typeof rho === 'number' && rho >= 0 && rho <= 1)) throw rangeError('rho', 'a number in [0, 1]', rho);
  const dist = marginals(opts);
  const muT = distributionMean(dist.theta);
  const varT = distributionVariance(dist.theta);
  const muW = distributionMean(dist.weight);
  const m2W = distributionVariance(dist.weight) + muW * muW;

  let sk = 0;
  let k1 = 0;
  let k2 = 0;
  for (let k = 1; k <= n; k++) {
    sk += distributionQuantile(dist.cost, k / (n + 1));
    const mu = muT + (k - 1) * rho * muW;
    if (!(mu > 0)) continue;
    const v = varT + (k - 1) * (rho * m2W - rho * rho * muW * muW);
    if (sk / mu <= 1) k1 = k;
    if (sk * (1 / mu + v / (mu * mu * mu)) <= 1) k2 = k;
  }
  const quality = k2 > 0 ? muT + (k2 - 1) * rho * muW : 0;
  const target = rho * muW;
  const alpha = limitFraction(dist.cost, target);
  return {
    players: k2,
    fraction: k2 / n,
    welfare: k2 * quality,
    qualityPerPlayer: quality,
    firstOrderPlayers: k1,
    limitFraction: alpha,
    limitWelfarePerN2: target * alpha * alpha,
  };
}

/** α∞ = sup{α ∈ [0, 1] : G(α)/α ≤ target} with G(α) = ∫₀^α Q_c (see asymptoticPrediction, step 5). */
function limitFraction(cost: CcsDistribution, target: number): number {
  switch (cost.kind) {
    case 'uniform': {
      const span = cost.max - cost.min;
      if (cost.min > target) return 0;
      if (span === 0) return 1;
      return min(1, (2 * (target - cost.min)) / span);
    }
    case 'constant':
      return cost.value <= target ? 1 : 0;
    default: {
      const avg = (a: number): number => meanQuantile(cost, a);
      if (avg(1) <= target) return 1;
      if (distributionQuantile(cost, 0) > target) return 0;
      let lo = 0,
        hi = 1;
      for (let it = 0; it < 100; it++) {
        const mid = (lo + hi) / 2;
        if (avg(mid) <= target) lo = mid;
        else hi = mid;
      }
      return lo;
    }
  }
}

/** Mean of Q_c over [0, α] (closed form for exponential, midpoint rule otherwise). */
function meanQuantile(cost: CcsDistribution, a: number): number {
  if (a <= 0) return distributionQuantile(cost, 0);
  if (cost.kind === 'exponential') {
    // ∫₀^α −m ln(1−u) du = m[(1−α) ln(1−α) + α]
    const g = a >= 1 ? cost.mean : cost.mean * ((1 - a) * log1p(-a) + a);
    return g / a;
  }
  const panels = 4096;
  let s = 0;
  for (let t = 0; t < panels; t++) s += distributionQuantile(cost, ((t + 0.5) / panels) * a);
  return s / panels;
}
