/** The market with externalities: demand shares across a partition (PFF). */
import type { PartitionGame } from './games';
import { parseWithSchema } from '@mechlab/core';
import { demandShareOptionsSchema } from './market-schema';
import type { Market, Paradigm } from './market';
import { BlockAccumulator } from './block-accumulator';

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
  const gamma = parseWithSchema(demandShareOptionsSchema, options, 'options').gamma ?? 1;
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
