/**
 * The repeated GenAI–forum collaboration game, end to end (seed 000 §2–4; MODELS.md §2): data → utilities
 * → Player F's offline classifier → T weekly rounds of (G proposes, F publishes, G observes) for each
 * strategy → the per-round Nash-product benchmark → EURR (Eq. 1), Table 1 and Figure 1's data.
 */
import { MechlabError, Rng, rangeError, resolveKernels, spearman } from '@mechlab/core';
import { alignCorpus, WEEK_MS } from './corpus';
import { hashFeatures } from './features';
import { loadStackExchange } from './loader';
import { trainLogistic } from './logistic';
import { createStrategy, type GStrategy } from './strategies';
import type { ClosableProvider } from './lm';
import { openBuiltinLm } from './forum-lm';
import { positiveInt } from './forum-checks';
import type { EurrRow, ForumOptions, ForumResult, ScatterPoint } from './forum-types';
import { playRound, type RoundState } from './round';
import { PAPER, syntheticCorpus } from './synthetic';
import { questionText } from './tokens';
import type { LoadStats, Question } from './types';
import { normalisedViews, unigramProxy } from './utility';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { max, min } = Math;

/** Median of a numeric array (copy-sorted). O(n log n). */
function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

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
export async function runForum(opts: ForumOptions = {}): Promise<ForumResult> {
  const t0 = performance.now();
  const M = positiveInt(opts.M ?? 100, 'M');
  const K = positiveInt(opts.K ?? 50, 'K');
  const theta = opts.theta ?? 0.6;
  if (!(theta >= 0 && theta <= 1)) throw rangeError('theta', 'in [0, 1]', theta);
  const seed = opts.seed ?? 0;
  const root = Rng.fromPath(['forum', seed]);
  const nashMethod = opts.nashMethod ?? 'certified';
  if (nashMethod !== 'heuristics' && nashMethod !== 'certified') {
    throw rangeError('nashMethod', '"heuristics" or "certified"', nashMethod);
  }
  const epsilon = opts.epsilon ?? 0.01;
  if (!(epsilon > 0 && epsilon < 1)) throw rangeError('epsilon', 'in (0, 1)', epsilon);
  // Resolve once (fails fast, naming `backend`, before any data is loaded); every round then runs on it.
  const backend = resolveKernels('nash', opts.backend).name;
  const viewNorm = opts.viewNormalisation ?? 'max';
  const featureBits = opts.featureBits ?? 18;
  if (!(Number.isInteger(featureBits) && featureBits >= 8 && featureBits <= 24)) {
    throw rangeError('featureBits', 'an integer in [8, 24]', featureBits);
  }
  const strategySpecs = opts.strategies ?? (['G-Greedy', 'G-Utility', 'Random'] as const);
  if (strategySpecs.length === 0) throw rangeError('strategies', 'at least one strategy', strategySpecs);

  // 1. Data.
  const data = opts.data ?? 'synthetic';
  let questions: readonly Question[];
  let loadStats: LoadStats[] | undefined;
  let skipped = 0;
  let windowStart = opts.windowStart;
  let trainWeeks = opts.trainWeeks;
  let rounds = opts.rounds;
  const scale = opts.scale ?? 'default';
  if (scale !== 'default' && scale !== 'paper') throw rangeError('scale', '"default" or "paper"', scale);
  if (data === 'synthetic') {
    trainWeeks ??= 8;
    rounds ??= scale === 'paper' ? PAPER.rounds : 26;
    positiveInt(rounds, 'rounds');
    if (!(Number.isInteger(trainWeeks) && trainWeeks >= 1))
      throw rangeError('trainWeeks', 'an integer ≥ 1', trainWeeks);
    const ws =
      windowStart === undefined
        ? Date.UTC(2024, 6, 23)
        : typeof windowStart === 'number'
          ? windowStart
          : Date.parse(windowStart);
    if (!Number.isFinite(ws)) throw rangeError('windowStart', 'a date', windowStart);
    windowStart = ws;
    questions = syntheticCorpus(root.split('corpus'), {
      perWeek: scale === 'paper' ? PAPER.perWeek : 400,
      ...opts.synthetic,
      weeks: trainWeeks + rounds,
      start: ws - trainWeeks * WEEK_MS,
    });
  } else if (!Array.isArray(data) && typeof data === 'object' && data !== null && 'questions' in data) {
    questions = [...data.questions].sort((a, b) => a.creationDate - b.creationDate);
  } else {
    if (!Array.isArray(data))
      throw rangeError('data', '"synthetic", a list of Posts.xml paths or { questions }', data);
    const loaded = await loadStackExchange(data, opts.loader);
    if (loaded.questions.length === 0) {
      // Name the files and why their rows were dropped: "the corpus has no questions" alone leaves a
      // user with a malformed dump nothing to fix (issue 18, found by the CLI fuzz test).
      const why = loaded.stats
        .map((s) => {
          const first = s.examples[0];
          return `${s.file}: ${s.rows} rows, ${s.skipped} malformed${first ? ` (line ${first.line}: ${first.reason})` : ''}`;
        })
        .join('; ');
      throw new MechlabError('ERR_INVALID_INPUT', `data: no valid question in ${why}`, 'data');
    }
    questions = loaded.questions;
    loadStats = loaded.stats;
    skipped = loaded.skipped;
  }
  const aligned = alignCorpus(questions, { windowStart, trainWeeks, rounds });
  const { train, pools } = aligned;
  if (train.length === 0) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `data: no questions before the window start ${new Date(aligned.windowStart).toISOString()} to train the forum's classifier on`,
      'data',
    );
  }
  const window: Question[] = pools.flat();
  const offsets = new Int32Array(pools.length + 1);
  for (let t = 0; t < pools.length; t++) offsets[t + 1] = offsets[t]! + pools[t]!.length;
  const t1 = performance.now();

  // 2. Utilities.
  const utilityG =
    opts.utilityG ?? (data === 'synthetic' ? 'forum-lm' : Array.isArray(data) ? 'tiny-lm' : 'unigram');
  if (utilityG !== 'forum-lm' && utilityG !== 'tiny-lm' && utilityG !== 'unigram') {
    throw rangeError('utilityG', '"forum-lm", "tiny-lm" or "unigram"', utilityG);
  }
  // A built-in LM is opened here and closed as soon as the window is scored (U_G is all G needs of it).
  const owned: ClosableProvider | undefined =
    opts.provider !== undefined || utilityG === 'unigram'
      ? undefined
      : await openBuiltinLm(utilityG, opts, opts.synthetic?.world);
  const provider = owned ?? opts.provider ?? unigramProxy(train.map(questionText));
  const uG = new Float64Array(window.length);
  const batch = opts.scoreBatch ?? 4096;
  try {
    for (let s = 0; s < window.length; s += batch) {
      const texts = window.slice(s, s + batch).map(questionText);
      const out = await provider.score(texts);
      if (out.length !== texts.length) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `provider.score returned ${out.length} scores for ${texts.length} texts`,
          'provider',
        );
      }
      for (let i = 0; i < out.length; i++) {
        const v = out[i]!;
        if (!(v >= 0 && Number.isFinite(v)))
          throw rangeError(`provider.score(...)[${s + i}]`, 'finite and ≥ 0', v);
        uG[s + i] = v;
      }
    }
  } finally {
    await owned?.close();
  }
  const uF = normalisedViews(window, viewNorm);
  const t2 = performance.now();

  // 3. Player F's classifier C, offline on the training weeks: label = views above the community's
  //    training median.
  const trainX = hashFeatures(train, { bits: featureBits });
  const byComm = new Map<string, number[]>();
  for (const q of train) {
    const a = byComm.get(q.community) ?? [];
    a.push(q.viewCount);
    byComm.set(q.community, a);
  }
  const med = new Map<string, number>();
  for (const [c, v] of byComm) med.set(c, median(v));
  const labels = Uint8Array.from(train, (q) => (q.viewCount > med.get(q.community)! ? 1 : 0));
  const C = trainLogistic(trainX, labels, root.split('classifier'), opts.classifier);
  let correct = 0;
  for (let r = 0; r < trainX.rows; r++) if (C.predict(trainX, r) >= 0.5 === (labels[r] === 1)) correct++;
  const t3 = performance.now();

  // 4. Rounds.
  const dim = 2 ** featureBits;
  const players: GStrategy[] = strategySpecs.map((s, i) =>
    typeof s === 'string'
      ? createStrategy(s, { dim, rng: root.split('strategy', s) }, opts.gUtility)
      : s.create({ dim, rng: root.split('strategy', s.name, i) }),
  );
  const tot = players.map(() => ({ uG: 0, uF: 0, proposed: 0, published: 0 }));
  const trace = opts.trace
    ? players.map((p) => ({ strategy: p.name, rounds: [] as { proposed: string[]; published: string[] }[] }))
    : undefined;
  const state: RoundState = {
    pools,
    offsets,
    uG,
    uF,
    featureBits,
    classifier: C,
    theta,
    M,
    K,
    players,
    root,
    nashMethod,
    epsilon,
    backend,
    tot,
    trace,
    methodTot: new Map(),
    nashTot: { uG: 0, uF: 0, product: 0, upperBound: 0, maxGap: 0, uncertified: 0 },
    nashMs: 0,
    passCount: 0,
  };
  for (let t = 0; t < pools.length; t++) {
    opts.onProgress?.(t, pools.length);
    playRound(state, t);
  }
  const { methodTot, nashTot, nashMs, passCount } = state;
  opts.onProgress?.(pools.length, pools.length);
  const t4 = performance.now();

  // 5. EURR (Eq. 1).
  let uGTilde = 0,
    uFTilde = 0,
    argmaxG = '',
    argmaxF = '';
  const methods = [...methodTot].map(([name, m]) => ({ name, ...m }));
  for (const m of methods) {
    if (m.uG > uGTilde) [uGTilde, argmaxG] = [m.uG, m.name];
    if (m.uF > uFTilde) [uFTilde, argmaxF] = [m.uF, m.name];
  }
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  const table: EurrRow[] = players.map((p, i) => {
    const s = tot[i]!;
    return {
      llm: provider.name,
      strategy: p.name,
      eurrF: ratio(s.uF, uFTilde),
      eurrG: ratio(s.uG, uGTilde),
      uF: s.uF,
      uG: s.uG,
      nashRatioF: ratio(s.uF, nashTot.uF),
      nashRatioG: ratio(s.uG, nashTot.uG),
      proposed: s.proposed,
      published: s.published,
    };
  });

  // 6. Figure 1.
  const nPoints = opts.scatterPoints ?? 2000;
  const pick =
    window.length <= nPoints
      ? null
      : root.split('scatter').permutation(window.length).subarray(0, nPoints).sort();
  const points: ScatterPoint[] = [];
  const nShown = pick === null ? window.length : pick.length;
  for (let j = 0; j < nShown; j++) {
    const i = pick === null ? j : pick[j]!;
    points.push({ perplexity: uG[i]!, views: uF[i]! });
  }
  const byCommunity: Record<string, number> = {};
  for (const c of aligned.communities) {
    const idx: number[] = [];
    for (let i = 0; i < window.length; i++) if (window[i]!.community === c) idx.push(i);
    byCommunity[c] = spearman(
      idx.map((i) => uF[i]!),
      idx.map((i) => uG[i]!),
    );
  }
  const sizes = pools.map((p) => p.length);
  const result: ForumResult = {
    utilityG: { kind: provider.kind, name: provider.name },
    table,
    benchmark: {
      method: nashMethod,
      backend,
      uGTilde,
      uFTilde,
      argmaxG,
      argmaxF,
      methods,
      nash: {
        uG: nashTot.uG,
        uF: nashTot.uF,
        product: nashTot.product,
        upperBound: nashTot.upperBound,
        gap: nashTot.upperBound > 0 ? 1 - nashTot.product / nashTot.upperBound : 0,
        maxGap: nashTot.maxGap,
        uncertifiedRounds: nashTot.uncertified,
      },
    },
    scatter: {
      xLabel: `normalised views (÷ community ${viewNorm})`,
      yLabel:
        provider.kind === 'proxy'
          ? `U_G proxy: ${provider.name} perplexity`
          : `${provider.name} perplexity (first 64 tokens)`,
      points,
      spearman: spearman(uF, uG),
      n: window.length,
      byCommunity,
    },
    skipped,
    corpus: {
      source: data === 'synthetic' ? 'synthetic' : Array.isArray(data) ? 'stack-exchange' : 'in-memory',
      communities: aligned.communities,
      questions: questions.length,
      train: train.length,
      window: window.length,
      dropped: aligned.dropped,
      rounds: pools.length,
      windowStart: new Date(aligned.windowStart).toISOString(),
      poolSize: {
        min: min(...sizes),
        mean: window.length / pools.length,
        max: max(...sizes),
      },
      classifierTrainAccuracy: ratio(correct, trainX.rows),
      passRate: ratio(passCount, window.length),
    },
    params: { M, K, theta, seed, viewNormalisation: viewNorm },
    timings: { dataMs: t1 - t0, scoreMs: t2 - t1, trainMs: t3 - t2, roundsMs: t4 - t3 - nashMs, nashMs },
  };
  if (nashMethod === 'certified') result.benchmark.epsilon = epsilon;
  if (loadStats !== undefined) result.loadStats = loadStats;
  if (trace !== undefined) result.trace = trace;
  return result;
}
