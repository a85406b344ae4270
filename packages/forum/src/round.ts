/**
 * One weekly round of the GenAI–forum game as pure functions (stage 4 of `runForum`; seed 000 §2;
 * MODELS.md §2). `runForum` drives them (forum-rounds.ts):
 *
 *   openRound (week t's features and F's scores) → propose (Player G's strategies: their own code and
 *   learning state, outside these functions) → playRound (F publishes, G's feedback) → observe (back
 *   to G's strategies) → measureRound (the round's Nash-product benchmark).
 *
 * None of the three does I/O, reads a clock, draws a random number or writes to its arguments: same
 * arguments, same (deep-equal) result. Player G's strategies are user code with their own learning
 * state (`GStrategy.observe`), so they are called between these steps, not inside them.
 */
import { MechlabError, type BackendName } from '@mechlab/core';
import { hashFeatures, type SparseRows } from './features';
import { checkProposal } from './forum-checks';
import type { LogisticModel } from './logistic';
import { solveNashArrays } from './nash';
import type { NashCandidate, NashMethod, NashSolution } from './nash-types';
import { forumSelect } from './strategies';
import type { Question } from './types';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { min } = Math;

/** The game's fixed setup: what every round reads (never written after `runForum` builds it). */
export interface GameSetup {
  readonly pools: readonly (readonly Question[])[];
  /** `offsets[t]`: where week t's questions start in `uG` and `uF`. */
  readonly offsets: Int32Array;
  readonly uG: Float64Array;
  readonly uF: Float64Array;
  readonly featureBits: number;
  /** Player F's classifier C. */
  readonly classifier: LogisticModel;
  /** F's threshold θ, G's budget M and F's capacity K. */
  readonly theta: number;
  readonly M: number;
  readonly K: number;
  /** The Nash benchmark's method, ε and kernel backend. */
  readonly nashMethod: NashMethod;
  readonly epsilon: number;
  readonly backend: BackendName;
}

/** Week t as both players meet it: the pool, its features, F's scores C(q) and both utilities. */
export interface RoundBoard {
  readonly t: number;
  readonly pool: readonly Question[];
  readonly features: SparseRows;
  /** C(q) of each pool question. */
  readonly cScore: Float64Array;
  /** U_G and U_F of the pool (views into the setup's arrays: read only). */
  readonly uG: Float64Array;
  readonly uF: Float64Array;
  /** Pool questions with C(q) ≥ θ. */
  readonly passed: number;
}

/** G's proposals of one round, one per strategy, in strategy order. */
export interface RoundInputs {
  readonly board: RoundBoard;
  readonly proposals: readonly { readonly strategy: string; readonly proposed: Int32Array }[];
  /** Also return the proposed and published question keys (`community:id`). */
  readonly trace: boolean;
}

/** What F did with one strategy's proposal A_t. */
export interface PlayOutcome {
  readonly proposed: Int32Array;
  /** S_t = Top_K{q ∈ A_t : C(q) ≥ θ}, pool indices, best first. */
  readonly published: Int32Array;
  /** G's feedback: per proposed question, 1 if F published it. */
  readonly accepted: Uint8Array;
  readonly trace?: { readonly proposed: string[]; readonly published: string[] };
}

/** The round's result: one outcome per strategy. */
export interface RoundPlay {
  readonly t: number;
  readonly outcomes: readonly PlayOutcome[];
}

/** The round's full-information benchmark (seed 000 Eq. 1's per-round maximisers). */
export interface RoundBenchmark {
  /** The best Nash-product set's utilities, product, bound and certified gap. */
  readonly uG: number;
  readonly uF: number;
  readonly product: number;
  readonly upperBound: number;
  readonly gap: number;
  /** Every heuristic's (and the certified DP's) set, by name. */
  readonly candidates: readonly NashCandidate[];
  /** True when the certified DP could not run (ERR_TOO_LARGE) and the heuristics' answer stands in. */
  readonly uncertified: boolean;
}

const key = (q: Question): string => `${q.community}:${q.id}`;

/**
 * Week t's board: hashed features of the pool and F's classifier scores. `null` for an empty week (it
 * changes nothing). O(nnz(Q_t)).
 */
export function openRound(setup: GameSetup, t: number): RoundBoard | null {
  const pool = setup.pools[t]!;
  if (pool.length === 0) return null;
  const lo = setup.offsets[t]!,
    hi = setup.offsets[t + 1]!;
  // hashFeatures reuses a module-level scratch buffer; its result is fresh and nothing else is kept.
  const features = hashFeatures(pool, { bits: setup.featureBits });
  const cScore = setup.classifier.predictAll(features);
  let passed = 0;
  for (let i = 0; i < cScore.length; i++) if (cScore[i]! >= setup.theta) passed++;
  return {
    t,
    pool,
    features,
    cScore,
    uG: setup.uG.subarray(lo, hi),
    uF: setup.uF.subarray(lo, hi),
    passed,
  };
}

/**
 * Round t of the game given G's proposals: each A_t is checked (≤ M distinct pool indices), F publishes
 * S_t = Top_K{q ∈ A_t : C(q) ≥ θ} ranked by C, and G's feedback is which of A_t were published. Pure.
 * O(Σ_strategies |A_t| log |A_t| + |Q_t|).
 * @throws MechlabError naming the strategy and round when a proposal is malformed.
 */
export function playRound(setup: Pick<GameSetup, 'theta' | 'M' | 'K'>, inputs: RoundInputs): RoundPlay {
  const { board, proposals } = inputs;
  const { t, pool, cScore } = board;
  const outcomes = proposals.map(({ strategy, proposed: A }): PlayOutcome => {
    checkProposal(A, pool.length, setup.M, strategy, t);
    const S = forumSelect(cScore, A, setup.theta, setup.K);
    const isPublished = new Uint8Array(pool.length);
    for (let i = 0; i < S.length; i++) isPublished[S[i]!] = 1;
    const accepted = Uint8Array.from(A, (i) => isPublished[i]!);
    const outcome = { proposed: A, published: S, accepted };
    if (!inputs.trace) return outcome;
    return {
      ...outcome,
      trace: {
        proposed: Array.from(A, (i) => key(pool[i]!)),
        published: Array.from(S, (i) => key(pool[i]!)),
      },
    };
  });
  return { t, outcomes };
}

/**
 * The round's Nash-product benchmark: max_{|S| = min(K, |Q_t|)} U_G(S)·U_F(S) with every heuristic (and
 * the certified DP), candidates kept. Pure. O(see `solveNash`).
 */
export function measureRound(
  setup: Pick<GameSetup, 'K' | 'nashMethod' | 'epsilon' | 'backend'>,
  board: RoundBoard,
): RoundBenchmark {
  const { uG: g, uF: f } = board;
  const { nashMethod, epsilon, backend } = setup;
  const k = min(setup.K, board.pool.length);
  let sol: NashSolution;
  let candidates: NashCandidate[];
  let uncertified = false;
  try {
    sol = solveNashArrays(g, f, k, { method: nashMethod, epsilon, candidates: true, backend });
    candidates = sol.candidates ?? [];
  } catch (e) {
    // A degenerate round (products underflowing next to the top-k sums) cannot be certified with
    // bounded memory: keep the heuristics' answer and bound for it, and count it.
    if (!(e instanceof MechlabError && e.code === 'ERR_TOO_LARGE')) throw e;
    sol = solveNashArrays(g, f, k, { method: 'heuristics', candidates: true, backend });
    const heuristics = sol.candidates!;
    candidates = [...heuristics, { ...heuristics.find((c) => c.name === sol.best)!, name: 'certified' }];
    uncertified = true;
  }
  return {
    uG: sol.uG,
    uF: sol.uF,
    product: sol.product,
    upperBound: sol.upperBound,
    gap: sol.gap,
    candidates,
    uncertified,
  };
}
