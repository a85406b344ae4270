/**
 * The repeated GenAI–forum collaboration game, end to end (seed 000 §2–4; MODELS.md §2), as a pipeline of
 * named stages: options (forum-options.ts) → 1. corpus (forum-data.ts) → 2. utilities
 * (forum-utilities.ts) → 3. F's classifier (forum-classifier.ts) → 4. rounds (forum-rounds.ts: per week
 * propose, publish with the pure `playRound`, observe, measure the Nash benchmark) → 5. summary
 * (forum-summary.ts: EURR, Eq. 1, Table 1 and Figure 1's data).
 */
import { resolveKernels, Rng } from '@mechlab/core';
import { trainForumClassifier } from './forum-classifier';
import { prepareCorpus } from './forum-data';
import { parseForumOptions } from './forum-options';
import { playRounds } from './forum-rounds';
import { collectTrace, scatterData, summariseRounds } from './forum-summary';
import type { ForumOptions, ForumResult } from './forum-types';
import { scoreUtilities } from './forum-utilities';
import type { GameSetup } from './round';
import { createStrategy } from './strategies';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { max, min } = Math;

/**
 * Run the GenAI–forum game and compute Table 1 and Figure 1's data.
 *
 * Per round t: Q_t = week t's questions; each strategy proposes A_t (|A_t| ≤ M) from U_G and features;
 * F publishes S_t = Top_K{q ∈ A_t : C(q) ≥ θ}; the strategy observes which of A_t were published. The
 * benchmark solves max_{|S| = min(K, |Q_t|)} U_G(S)·U_F(S) per round with every heuristic (and the
 * certified DP); Ũ_G = max_h Σ_t U_G(S_t^h), Ũ_F likewise (seed 000 Eq. 1). Since the heuristic set holds
 * top-K by U_G and top-K by U_F, Ũ_G and Ũ_F are the exact per-round maxima summed, so EURR ∈ [0, 1].
 *
 * Time: O(corpus text) for data, features and the proxy, plus per round O(|Q_t| log M) per strategy and
 * the Nash benchmark (see `solveNash`); memory O(corpus) (bodies capped by the loader).
 * @throws MechlabError (as a rejection) naming the option — `M must be an integer ≥ 1, got 0`,
 * `data[1]: cannot read …`, `provider.score returned …`.
 * @example
 * const r = await runForum({ seed: 1 });
 * console.log(formatEurrTable(r));
 */
export async function runForum(options: ForumOptions = {}): Promise<ForumResult> {
  const t0 = performance.now();
  const opts = parseForumOptions(options);
  const { M, K, theta, seed, nashMethod, epsilon, featureBits } = opts;
  const root = Rng.fromPath(['forum', seed]);
  // Resolve once (fails fast, naming `backend`, before any data is loaded); every round then runs on it.
  const backend = resolveKernels('nash', opts.backend).name;

  // 1. Corpus.
  const corpus = await prepareCorpus(opts, root);
  const { aligned, window } = corpus;
  const t1 = performance.now();

  // 2. Utilities.
  const { provider, uG, uF } = await scoreUtilities(opts, corpus);
  const t2 = performance.now();

  // 3. Player F's classifier C, offline on the training weeks.
  const C = trainForumClassifier(aligned.train, featureBits, root.split('classifier'), opts.classifier);
  const t3 = performance.now();

  // 4. Rounds.
  const setup: GameSetup = {
    pools: aligned.pools,
    offsets: corpus.offsets,
    uG,
    uF,
    featureBits,
    classifier: C.classifier,
    theta,
    M,
    K,
    nashMethod,
    epsilon,
    backend,
  };
  const dim = 2 ** featureBits;
  const players = opts.strategies.map((s, i) =>
    typeof s === 'string'
      ? createStrategy(s, { dim, rng: root.split('strategy', s) }, opts.gUtility)
      : s.create({ dim, rng: root.split('strategy', s.name, i) }),
  );
  const T = aligned.pools.length;
  const { rounds, nashMs } = playRounds(setup, players, root, {
    trace: opts.trace,
    onProgress: opts.onProgress,
  });
  opts.onProgress?.(T, T);
  const t4 = performance.now();

  // 5. Summary: EURR (Eq. 1), Table 1, Figure 1.
  const names = players.map((p) => p.name);
  const { table, benchmark, passed } = summariseRounds(setup, names, provider.name, rounds);
  const viewNorm = opts.viewNormalisation;
  const sizes = aligned.pools.map((p) => p.length);
  const result: ForumResult = {
    utilityG: { kind: provider.kind, name: provider.name },
    table,
    benchmark,
    scatter: {
      xLabel: `normalised views (÷ community ${viewNorm})`,
      yLabel:
        provider.kind === 'proxy'
          ? `U_G proxy: ${provider.name} perplexity`
          : `${provider.name} perplexity (first 64 tokens)`,
      ...scatterData(window, aligned.communities, uG, uF, opts.scatterPoints, root.split('scatter')),
    },
    skipped: corpus.skipped,
    corpus: {
      source: corpus.source,
      communities: aligned.communities,
      questions: corpus.questions,
      train: aligned.train.length,
      window: window.length,
      dropped: aligned.dropped,
      rounds: T,
      windowStart: new Date(aligned.windowStart).toISOString(),
      poolSize: { min: min(...sizes), mean: window.length / T, max: max(...sizes) },
      classifierTrainAccuracy: C.trainAccuracy,
      passRate: window.length > 0 ? passed / window.length : 0,
    },
    params: { M, K, theta, seed, viewNormalisation: viewNorm },
    timings: { dataMs: t1 - t0, scoreMs: t2 - t1, trainMs: t3 - t2, roundsMs: t4 - t3 - nashMs, nashMs },
  };
  if (corpus.loadStats !== undefined) result.loadStats = corpus.loadStats;
  if (opts.trace) result.trace = collectTrace(names, rounds);
  return result;
}
