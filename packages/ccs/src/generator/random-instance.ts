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
import { type Rng } from '@mechlab/core';
import type { CcsInstance, CostFamily, SpilloverGraph } from '../instance';
import { type CcsDistribution, type RandomCcsOptions, marginals } from './distribution';
import { randomCcsInstanceEdgeList } from './edge-list';
import { checkFamily, checkN, checkPairs, checkRho } from './shared';
import { BUCKET_BITS, TWO_POW_M53, geometricSkipTable } from './skip-table';
import { CcsWorkspace, expectedEdgeCap } from './workspace';
import { Xoshiro, sampleFast } from './xoshiro';

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { floor, log1p } = Math;
const { isSafeInteger } = Number;

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
  checkRho(rho);
  checkPairs(n);
  return drawCcsInstanceInto(rng, opts, checkFamily(opts.costFamily), marginals(opts), ws);
}

/**
 * @internal {@link randomCcsInstanceInto} on options already checked — `n`, `rho` and the pair count
 * by `checkN`/`checkRho`/`checkPairs`, and `costFamily`/`dist` resolved by `checkFamily`/`marginals` —
 * for callers that draw many instances of one point (the TS pipeline, per replicate) and validate once.
 * Custom marginals take the reference generator (which validates again).
 */
export function drawCcsInstanceInto(
  rng: Rng,
  opts: RandomCcsOptions,
  costFamily: CostFamily,
  dist: ReturnType<typeof marginals>,
  ws: CcsWorkspace,
): CcsInstance {
  const { n, rho } = opts;
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
