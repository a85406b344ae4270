/**
 * The two players' policies of one round (seed 000 §2–3; MODELS.md §2).
 *
 * Player G proposes A_t ⊆ Q_t, |A_t| ≤ M, seeing only `RoundView`: its own utility U_G and the
 * questions' features — never views, U_F, F's classifier, or any later round. Player F publishes
 * S_t = Top_K{q ∈ A_t : C(q) ≥ θ} ranked by C (`forumSelect`). After the round, G observes which of its
 * proposals were published (`observe`) — the only feedback it ever gets.
 */
import type { Rng } from '@mechlab/core';
import { z } from 'zod';
import { parseWithSchema } from '@mechlab/core';
import type { SparseRows } from './features';
import { LogisticModel, type LogisticOptions } from './logistic';
import { topK } from './nash';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { min } = Math;

/** What Player G sees of round t. */
export interface RoundView {
  /** Round index, 0-based. */
  readonly t: number;
  /** |Q_t|. */
  readonly size: number;
  /** U_G of each candidate (G's own, private utility). */
  readonly uG: Float64Array;
  /** Hashed text + metadata features of each candidate (features.ts). */
  readonly features: SparseRows;
  /** This strategy's random stream for this round. */
  readonly rng: Rng;
}

/** G's feedback after round t: its proposal and, per proposed question, 1 if F published it. */
export interface RoundFeedback {
  readonly proposed: Int32Array;
  readonly accepted: Uint8Array;
}

/** A strategy of Player G. */
export interface GStrategy {
  readonly name: string;
  /** Indices into the round's pool, distinct, at most `m` of them. */
  propose(view: RoundView, m: number): Int32Array;
  /** Called once per round, after F's decision, with that round's feedback. */
  observe?(view: RoundView, feedback: RoundFeedback): void;
}

/** The strategies of the paper. */
export type StrategyName = 'G-Greedy' | 'G-Utility' | 'Random';

/** A user-supplied strategy: `create` is called once per run with the feature dimension and a stream. */
export interface StrategyFactory {
  readonly name: string;
  create(ctx: { dim: number; rng: Rng }): GStrategy;
}

/** Options of the G-Utility strategy's online acceptance model π̂. */
export interface GUtilityOptions extends LogisticOptions {
  /** Passes over each round's feedback batch (default 3). */
  epochs?: number;
}

function allIndices(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Indices of the m largest scores, best first (ties: smaller index). O(n log m). */
function rankedTop(score: Float64Array, m: number): Int32Array {
  const sel = topK(score, allIndices(score.length), min(m, score.length));
  return sel.sort((a, b) => score[b]! - score[a]! || a - b);
}

/** G-Greedy: propose the top-M questions by U_G ("top perplexity"). O(n log M). */
export function gGreedy(): GStrategy {
  return { name: 'G-Greedy', propose: (v, m) => rankedTop(v.uG, m) };
}

/** Random: M questions drawn uniformly without replacement. O(n). */
export function gRandom(): GStrategy {
  return {
    name: 'Random',
    propose(v, m) {
      const p = v.rng.permutation(v.size);
      return p.slice(0, min(m, v.size));
    },
  };
}

/**
 * G-Utility: propose the top-M by U_G(q)·π̂(q), where π̂(q) ≈ Pr(q ∈ S_t | q ∈ A_t) is an online
 * logistic regression on the question's features, updated after each round with `epochs` AdaGrad passes
 * over that round's (proposed question, published?) pairs — past feedback only. Before any feedback
 * π̂ ≡ ½ (zero weights), so round 1 equals G-Greedy. Time per round O(nnz(Q_t) + n log M + epochs·nnz(A_t)).
 */
export function gUtility(
  dim: number,
  rng: Rng,
  opts: GUtilityOptions = {},
): GStrategy & { readonly model: LogisticModel } {
  const model = new LogisticModel(dim, opts);
  const epochs = opts.epochs ?? 3;
  return {
    name: 'G-Utility',
    model,
    propose(v, m) {
      const s = new Float64Array(v.size);
      for (let i = 0; i < v.size; i++) s[i] = v.uG[i]! * model.predict(v.features, i);
      return rankedTop(s, m);
    },
    observe(v, fb) {
      model.fit(v.features, fb.accepted, rng.split('update', v.t), epochs, fb.proposed);
    },
  };
}

const strategyName = z.enum(['G-Greedy', 'G-Utility', 'Random']);

/** Build a named strategy. */
export function createStrategy(
  name: StrategyName,
  ctx: { dim: number; rng: Rng },
  opts: GUtilityOptions = {},
): GStrategy {
  switch (parseWithSchema(strategyName, name, 'strategies')) {
    case 'G-Greedy':
      return gGreedy();
    case 'G-Utility':
      return gUtility(ctx.dim, ctx.rng, opts);
    case 'Random':
      return gRandom();
  }
}

/**
 * Player F's rule R(A) = Top_K{q ∈ A : C(q) ≥ θ}, ranked by C (ties: smaller index). Returns pool
 * indices, best first. O(|A| log |A|).
 */
export function forumSelect(C: Float64Array, proposed: Int32Array, theta: number, K: number): Int32Array {
  const ok: number[] = [];
  for (let t = 0; t < proposed.length; t++) if (C[proposed[t]!]! >= theta) ok.push(proposed[t]!);
  ok.sort((a, b) => C[b]! - C[a]! || a - b);
  return Int32Array.from(ok.slice(0, K));
}
