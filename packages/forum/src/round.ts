/** One weekly round of the GenAI–forum game (stage 4 of `runForum`, forum.ts). */
import { MechlabError, type BackendName, type Rng } from '@mechlab/core';
import { hashFeatures, type SparseRows } from './features';
import { checkProposal } from './forum-checks';
import type { LogisticModel } from './logistic';
import { solveNashArrays } from './nash';
import type { NashMethod, NashSolution } from './nash-types';
import { forumSelect, type GStrategy } from './strategies';
import type { Question } from './types';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { max, min } = Math;

/** Everything a round reads (the game's setup) and the totals it adds to (internal to `runForum`). */
export interface RoundState {
  pools: readonly Question[][];
  /** `offsets[t]`: where week t's questions start in `uG` and `uF`. */
  offsets: Int32Array;
  uG: Float64Array;
  uF: Float64Array;
  featureBits: number;
  /** Player F's classifier C. */
  classifier: LogisticModel;
  theta: number;
  M: number;
  K: number;
  players: GStrategy[];
  root: Rng;
  nashMethod: NashMethod;
  epsilon: number;
  backend: BackendName;
  tot: { uG: number; uF: number; proposed: number; published: number }[];
  trace: { strategy: string; rounds: { proposed: string[]; published: string[] }[] }[] | undefined;
  methodTot: Map<string, { uG: number; uF: number; product: number }>;
  nashTot: {
    uG: number;
    uF: number;
    product: number;
    upperBound: number;
    maxGap: number;
    uncertified: number;
  };
  nashMs: number;
  passCount: number;
}

const key = (q: Question): string => `${q.community}:${q.id}`;

/**
 * Round t (0-based): every strategy proposes A_t from week t's pool, F publishes
 * S_t = Top_K{q ∈ A_t : C(q) ≥ θ}, the strategy observes; then the round's Nash-product benchmark.
 * Adds to `state`'s totals (and trace); an empty week changes nothing.
 * O(|Q_t| log M) per strategy plus the benchmark (see `solveNash`).
 */
export function playRound(state: RoundState, t: number): void {
  const { pools, offsets, uG, uF, featureBits, theta, M, K, players, root, nashMethod, epsilon, backend } =
    state;
  const { tot, trace, methodTot, nashTot } = state;
  const C = state.classifier;
  const pool = pools[t]!;
  if (pool.length === 0) return;
  const lo = offsets[t]!,
    hi = offsets[t + 1]!;
  const X: SparseRows = hashFeatures(pool, { bits: featureBits });
  const cScore = C.predictAll(X);
  for (let i = 0; i < cScore.length; i++) if (cScore[i]! >= theta) state.passCount++;
  const g = uG.subarray(lo, hi);
  const f = uF.subarray(lo, hi);
  for (let p = 0; p < players.length; p++) {
    const player = players[p]!;
    const view = {
      t,
      size: pool.length,
      uG: Float64Array.from(g),
      features: X,
      rng: root.split('play', player.name, p, t),
    };
    const A = player.propose(view, M);
    checkProposal(A, pool.length, M, player.name, t);
    const S = forumSelect(cScore, A, theta, K);
    const published = new Uint8Array(pool.length);
    for (let i = 0; i < S.length; i++) published[S[i]!] = 1;
    const accepted = Uint8Array.from(A, (i) => published[i]!);
    player.observe?.(view, { proposed: A, accepted });
    const acc = tot[p]!;
    for (let i = 0; i < S.length; i++) {
      acc.uG += g[S[i]!]!;
      acc.uF += f[S[i]!]!;
    }
    acc.proposed += A.length;
    acc.published += S.length;
    trace?.[p]!.rounds.push({
      proposed: Array.from(A, (i) => key(pool[i]!)),
      published: Array.from(S, (i) => key(pool[i]!)),
    });
  }
  const tn = performance.now();
  const k = min(K, pool.length);
  let sol: NashSolution;
  try {
    sol = solveNashArrays(g, f, k, { method: nashMethod, epsilon, candidates: true, backend });
  } catch (e) {
    // A degenerate round (products underflowing next to the top-k sums) cannot be certified with
    // bounded memory: keep the heuristics' answer and bound for it, and count it.
    if (!(e instanceof MechlabError && e.code === 'ERR_TOO_LARGE')) throw e;
    const h = solveNashArrays(g, f, k, { method: 'heuristics', candidates: true, backend });
    h.candidates!.push({ ...h.candidates!.find((c) => c.name === h.best)!, name: 'certified' });
    sol = h;
    nashTot.uncertified++;
  }
  state.nashMs += performance.now() - tn;
  for (const c of sol.candidates ?? []) {
    const m = methodTot.get(c.name) ?? { uG: 0, uF: 0, product: 0 };
    m.uG += c.uG;
    m.uF += c.uF;
    m.product += c.product;
    methodTot.set(c.name, m);
  }
  nashTot.uG += sol.uG;
  nashTot.uF += sol.uF;
  nashTot.product += sol.product;
  nashTot.upperBound += sol.upperBound;
  nashTot.maxGap = max(nashTot.maxGap, sol.gap);
}
