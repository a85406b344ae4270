/**
 * Stage 5 of `runForum`: fold the rounds into Table 1 (EURR, seed 000 Eq. 1) and the benchmark totals,
 * and sample Figure 1's scatter. Pure: reads the rounds and the setup, returns fresh objects.
 */
import { spearman, type Rng } from '@mechlab/core';
import type { RoundRecord } from './forum-rounds';
import type { EurrRow, ForumResult, ScatterPoint } from './forum-types';
import type { GameSetup } from './round';
import type { Question } from './types';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { max } = Math;

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** Σ over the rounds, summed in round order and, within a round, in publication order. */
interface Totals {
  perStrategy: { uG: number; uF: number; proposed: number; published: number }[];
  methods: Map<string, { uG: number; uF: number; product: number }>;
  nash: { uG: number; uF: number; product: number; upperBound: number; maxGap: number; uncertified: number };
  passed: number;
}

function foldRounds(setup: GameSetup, strategies: number, rounds: readonly RoundRecord[]): Totals {
  const tot: Totals = {
    perStrategy: Array.from({ length: strategies }, () => ({ uG: 0, uF: 0, proposed: 0, published: 0 })),
    methods: new Map(),
    nash: { uG: 0, uF: 0, product: 0, upperBound: 0, maxGap: 0, uncertified: 0 },
    passed: 0,
  };
  for (const { play, benchmark: b, passed } of rounds) {
    const lo = setup.offsets[play.t]!;
    play.outcomes.forEach((o, p) => {
      const acc = tot.perStrategy[p]!;
      for (let i = 0; i < o.published.length; i++) {
        acc.uG += setup.uG[lo + o.published[i]!]!;
        acc.uF += setup.uF[lo + o.published[i]!]!;
      }
      acc.proposed += o.proposed.length;
      acc.published += o.published.length;
    });
    for (const c of b.candidates) {
      const m = tot.methods.get(c.name) ?? { uG: 0, uF: 0, product: 0 };
      m.uG += c.uG;
      m.uF += c.uF;
      m.product += c.product;
      tot.methods.set(c.name, m);
    }
    tot.nash.uG += b.uG;
    tot.nash.uF += b.uF;
    tot.nash.product += b.product;
    tot.nash.upperBound += b.upperBound;
    tot.nash.maxGap = max(tot.nash.maxGap, b.gap);
    if (b.uncertified) tot.nash.uncertified++;
    tot.passed += passed;
  }
  return tot;
}

/**
 * Table 1 and the benchmark block: Ũ_G = max_h Σ_t U_G(S_t^h), Ũ_F likewise (Eq. 1), each strategy's
 * EURR and its ratio to the Nash-product sets' totals; `passed`: window questions with C ≥ θ.
 * O(T · (strategies + methods)).
 */
export function summariseRounds(
  setup: GameSetup,
  strategies: readonly string[],
  llm: string,
  rounds: readonly RoundRecord[],
): { table: EurrRow[]; benchmark: ForumResult['benchmark']; passed: number } {
  const tot = foldRounds(setup, strategies.length, rounds);
  let uGTilde = 0,
    uFTilde = 0,
    argmaxG = '',
    argmaxF = '';
  const methods = [...tot.methods].map(([name, m]) => ({ name, ...m }));
  for (const m of methods) {
    if (m.uG > uGTilde) [uGTilde, argmaxG] = [m.uG, m.name];
    if (m.uF > uFTilde) [uFTilde, argmaxF] = [m.uF, m.name];
  }
  const { nash } = tot;
  const table = strategies.map((strategy, i): EurrRow => {
    const s = tot.perStrategy[i]!;
    return {
      llm,
      strategy,
      eurrF: ratio(s.uF, uFTilde),
      eurrG: ratio(s.uG, uGTilde),
      uF: s.uF,
      uG: s.uG,
      nashRatioF: ratio(s.uF, nash.uF),
      nashRatioG: ratio(s.uG, nash.uG),
      proposed: s.proposed,
      published: s.published,
    };
  });
  const benchmark: ForumResult['benchmark'] = {
    method: setup.nashMethod,
    backend: setup.backend,
    uGTilde,
    uFTilde,
    argmaxG,
    argmaxF,
    methods,
    nash: {
      uG: nash.uG,
      uF: nash.uF,
      product: nash.product,
      upperBound: nash.upperBound,
      gap: nash.upperBound > 0 ? 1 - nash.product / nash.upperBound : 0,
      maxGap: nash.maxGap,
      uncertifiedRounds: nash.uncertified,
    },
  };
  if (setup.nashMethod === 'certified') benchmark.epsilon = setup.epsilon;
  return { table, benchmark, passed: tot.passed };
}

/** Per strategy, per round: the proposed and published keys (rounds with questions only). */
export function collectTrace(
  strategies: readonly string[],
  rounds: readonly RoundRecord[],
): ForumResult['trace'] {
  return strategies.map((strategy, p) => ({
    strategy,
    rounds: rounds.map(({ play }) => {
      const tr = play.outcomes[p]!.trace!;
      return { proposed: tr.proposed, published: tr.published };
    }),
  }));
}

/**
 * Figure 1's data: a uniform subsample of `nPoints` window questions (`rng`'s permutation, kept in window
 * order) as (perplexity, normalised views), and Spearman's ρ over the whole window and per community.
 * O(window · communities + n log n).
 */
export function scatterData(
  window: readonly Question[],
  communities: readonly string[],
  uG: Float64Array,
  uF: Float64Array,
  nPoints: number,
  rng: Rng,
): Pick<ForumResult['scatter'], 'points' | 'spearman' | 'n' | 'byCommunity'> {
  const pick = window.length <= nPoints ? null : rng.permutation(window.length).subarray(0, nPoints).sort();
  const points: ScatterPoint[] = [];
  const nShown = pick === null ? window.length : pick.length;
  for (let j = 0; j < nShown; j++) {
    const i = pick === null ? j : pick[j]!;
    points.push({ perplexity: uG[i]!, views: uF[i]! });
  }
  const byCommunity = spearmanByCommunity(window, communities, uF, uG);
  return { points, spearman: spearman(uF, uG), n: window.length, byCommunity };
}

/**
 * Spearman ρ(x, y) within each of `communities`, where `x[i]` and `y[i]` belong to `questions[i]`
 * (Figure 1 per community; the calibration's per-community target). O(communities · n + n log n).
 */
export function spearmanByCommunity(
  questions: readonly Question[],
  communities: readonly string[],
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): Record<string, number> {
  const by: Record<string, number> = {};
  for (const c of communities) {
    const idx: number[] = [];
    for (let i = 0; i < questions.length; i++) if (questions[i]!.community === c) idx.push(i);
    by[c] = spearman(
      idx.map((i) => x[i]!),
      idx.map((i) => y[i]!),
    );
  }
  return by;
}
