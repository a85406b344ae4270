/** Options and result of `runForum` (the GenAI–forum game, forum.ts). */
import type { BackendName, SeedKey } from '@mechlab/core';
import type { ReadPostsOptions } from './loader';
import type { LogisticOptions } from './logistic';
import type { NashMethod } from './nash-types';
import type { GUtilityOptions, StrategyFactory, StrategyName } from './strategies';
import type { SyntheticOptions } from './synthetic';
import type { LoadStats, Question } from './types';
import type { UtilityGProvider, ViewNormalisation } from './utility';

/** Options of `runForum`. Defaults follow the paper (M = 100, K = 50) and MODELS.md §2. */
export interface ForumOptions {
  /**
   * `'synthetic'` (default), paths to `Posts.xml` files (or folders holding one), one per community, or
   * an in-memory corpus `{ questions }` (e.g. from `syntheticCorpus` or `loadStackExchange`).
   */
  data?: 'synthetic' | readonly string[] | { questions: readonly Question[] };
  /** Generator options for `data: 'synthetic'` (defaults: 5 communities, 1500 questions/week). */
  synthetic?: SyntheticOptions;
  /** Rounds (weeks) to simulate. Synthetic default 26; real data default: every week of the window. */
  rounds?: number;
  /** Weeks of pre-window training data (synthetic default 8; real default 20% of the aligned span). */
  trainWeeks?: number;
  /** Start of round 1 for real data (ms or ISO date). Synthetic data: 2024-07-23, the paper's. */
  windowStart?: number | string;
  /** G's proposal budget M (default 100). */
  M?: number;
  /** F's publication capacity K (default 50). */
  K?: number;
  /** F's acceptance threshold θ on C(q) ∈ [0, 1] (default 0.6: publish only questions predicted above the median with ≥ 60% confidence). */
  theta?: number;
  /** Master seed (default 0): the corpus, training and every strategy draw from streams split off it. */
  seed?: SeedKey;
  /** Source of U_G; overrides `utilityG`. */
  provider?: UtilityGProvider;
  /**
   * Built-in U_G when no `provider` is given: `'forum-lm'` (default on synthetic data: the project's
   * class-bigram LM fitted on pre-window text of the synthetic world, lm.ts), `'tiny-lm'` (default on
   * `Posts.xml` data: `@mechlab/perplexity`'s GPT-2-vocabulary tiny LM), both scored by `@mechlab/perplexity`
   * over the first 64 tokens and cached; or `'unigram'` (the fast proxy fitted on the training weeks;
   * default for in-memory `{questions}`, whose origin the game cannot know).
   */
  utilityG?: 'forum-lm' | 'tiny-lm' | 'unigram';
  /** Directory of the forum LM (default `packages/forum/build/forum-lm`, built on first use). */
  lmDir?: string;
  /** Perplexity score cache: a directory or `false` (default: the scorer's, inside the model directory). */
  scoreCache?: string | false;
  /**
   * Synthetic scale: `'default'` (400 questions a week, 26 rounds: seconds) or `'paper'` (seed 000 §3:
   * 396,408 questions over the 52 weeks from 2024-07-23, i.e. 7,602 a week; minutes with an LM).
   */
  scale?: 'default' | 'paper';
  /** Strategies of Player G (default all three of the paper). */
  strategies?: readonly (StrategyName | StrategyFactory)[];
  /** Nash benchmark method per round (default `certified`). */
  nashMethod?: NashMethod;
  /** ε of the certified method (default 0.01). */
  epsilon?: number;
  /**
   * Backend of the Nash benchmark's kernels (`'ts'`, or `'wasm'` once `registerWasmBackend()` from
   * `@mechlab/kernels` ran); default: the registry's. Every backend gives identical tables.
   */
  backend?: BackendName;
  /** U_F normalisation within each community (default `max`). */
  viewNormalisation?: ViewNormalisation;
  /** Points kept for the scatter (uniform subsample; default 2000). */
  scatterPoints?: number;
  /** log2 of the hashed feature dimension (default 18). */
  featureBits?: number;
  /** Player F's classifier training (default 5 epochs). */
  classifier?: LogisticOptions;
  /** G-Utility's online model (default 3 passes per round). */
  gUtility?: GUtilityOptions;
  /** Loader options for real data (body length cap, date range, …). */
  loader?: ReadPostsOptions;
  /** Record each round's proposed and published question keys (`community:id`) per strategy. */
  trace?: boolean;
  /** Texts per `provider.score` call (default 4096). */
  scoreBatch?: number;
  /** Called before each weekly round and once after the last with (rounds done, rounds); no I/O here. */
  onProgress?: (done: number, total: number) => void;
}

/** One row of Table 1. */
export interface EurrRow {
  /** The U_G source (`provider.name`). */
  llm: string;
  strategy: string;
  /** Σ_t U_F(S_t) / Ũ_F (Eq. 1). */
  eurrF: number;
  /** Σ_t U_G(S_t) / Ũ_G (Eq. 1). */
  eurrG: number;
  /** Σ_t U_F(S_t), Σ_t U_G(S_t). */
  uF: number;
  uG: number;
  /** Same numerators over the Nash-product sets' totals Σ_t U(S_t^N) — may exceed 1. */
  nashRatioF: number;
  nashRatioG: number;
  /** Questions proposed and published over all rounds. */
  proposed: number;
  published: number;
}

/** One point of Figure 1. */
export interface ScatterPoint {
  perplexity: number;
  views: number;
}

/** Everything `runForum` computed. */
export interface ForumResult {
  /** Where U_G came from: `kind` and provider name; say "proxy" plainly when no LLM was used. */
  utilityG: { kind: 'perplexity' | 'proxy'; name: string };
  /** Table 1: one row per strategy. */
  table: EurrRow[];
  /** The full-information benchmark. */
  benchmark: {
    method: NashMethod;
    epsilon?: number;
    /** The backend whose `nash` kernels ran every round. */
    backend: BackendName;
    /** Ũ_G = max_h Σ_t U_G(S_t^h) and the method h attaining it; likewise Ũ_F. */
    uGTilde: number;
    uFTilde: number;
    argmaxG: string;
    argmaxF: string;
    /** Σ_t U_G(S_t^h), Σ_t U_F(S_t^h) per method h, and Σ_t of its Nash products. */
    methods: { name: string; uG: number; uF: number; product: number }[];
    /** The best Nash-product set per round: totals, Σ_t upper bounds, and the certified gaps. */
    nash: {
      uG: number;
      uF: number;
      product: number;
      upperBound: number;
      /** 1 − Σ_t product / Σ_t upperBound, and the largest per-round gap. */
      gap: number;
      maxGap: number;
      /** Rounds the certified DP could not run on (ERR_TOO_LARGE); they use the heuristics' bound. */
      uncertifiedRounds: number;
    };
  };
  /** Figure 1: perplexity (vertical) against normalised views (horizontal), with Spearman's ρ. */
  scatter: {
    xLabel: string;
    yLabel: string;
    points: ScatterPoint[];
    /** Spearman's ρ over all window questions (not just the plotted subsample). */
    spearman: number;
    n: number;
    byCommunity: Record<string, number>;
  };
  /** Malformed rows skipped by the loader (0 for synthetic data). */
  skipped: number;
  /** Loader reports per file (real data only). */
  loadStats?: LoadStats[];
  corpus: {
    source: 'synthetic' | 'stack-exchange' | 'in-memory';
    communities: string[];
    questions: number;
    train: number;
    window: number;
    dropped: number;
    rounds: number;
    windowStart: string;
    poolSize: { min: number; mean: number; max: number };
    /** Training accuracy of F's classifier and the share of window questions with C ≥ θ. */
    classifierTrainAccuracy: number;
    passRate: number;
  };
  params: { M: number; K: number; theta: number; seed: SeedKey; viewNormalisation: ViewNormalisation };
  /** Per strategy, per round: proposed and published keys (only with `trace`). */
  trace?: { strategy: string; rounds: { proposed: string[]; published: string[] }[] }[];
  timings: { dataMs: number; scoreMs: number; trainMs: number; roundsMs: number; nashMs: number };
}
