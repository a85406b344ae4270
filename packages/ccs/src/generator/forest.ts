import { parseWithSchema, type Rng } from '@mechlab/core';
import { z } from 'zod';
import type { CcsInstance, CostFamily } from '../instance';
import { type CcsMarginals, marginals, sampleDistribution } from './distribution';
import { checkFamily, checkN, csrFromEdges, drawAll } from './shared';

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { max } = Math;

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

/** The boundary schema of {@link randomForest}'s own options (n, costFamily and marginals: shared.ts). */
const forestOptionsSchema = z.object({
  rootProb: z.number().min(0).max(1).default(0.1),
  shape: z.enum(['random', 'chain', 'star']).default('random'),
});

/** The boundary schema of {@link chainInstance}'s options. */
const chainOptionsSchema = z.object({
  theta: z.number().min(0).default(0.5),
  weight: z.number().min(0).default(0.5),
  cost: z.number().min(0).default(0.1),
});

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
  const { rootProb, shape } = parseWithSchema(forestOptionsSchema, opts, '');
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
  const { theta: th, weight: wt, cost: c } = parseWithSchema(chainOptionsSchema, opts, '');
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
