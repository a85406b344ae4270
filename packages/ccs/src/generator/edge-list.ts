import { type Rng } from '@mechlab/core';
import type { CcsInstance } from '../instance';
import { type RandomCcsOptions, marginals, sampleDistribution } from './distribution';
import { checkFamily, checkN, checkPairs, checkRho, csrFromEdges, drawAll } from './shared';

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { ceil, floor, log1p, min, sqrt } = Math;

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
  checkRho(rho);
  checkPairs(n);
  const slots = n * (n - 1);
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
