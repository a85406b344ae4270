/**
 * `forum.game` — the repeated GenAI–forum game of seed 000 as a sweep experiment (MODELS.md §2): each
 * instance draws a fresh synthetic corpus and plays every strategy of Player G against Player F's
 * publication rule, reporting Table 1's EURR_F and EURR_G (Eq. 1) per strategy and Figure 1's Spearman ρ
 * between perplexity and views. Sweeping θ, M, K or the number of rounds shows how F's acceptance
 * threshold and the two budgets move the strategies' regret ratios (preset `forum-vary-theta`).
 *
 * **[choice]** A small corpus per instance (3 communities, 150 questions a week, 4 training weeks,
 * 4 rounds, 2^12 hashed features, the heuristic Nash benchmark) and U_G from the unigram proxy fitted on
 * the instance's training weeks, so that a preset of hundreds of instances runs in seconds and writes
 * nothing outside `--out`; every one of these is a parameter (`utilityG: 'forum-lm'` scores with the
 * project's ONNX forum LM instead, as `mechlab forum` does by default — built on first use).
 */
import {
  declareParams,
  defineExperiment,
  sourceOf,
  type Experiment,
  type MetricDef,
  type Rng,
  type SweepPreset,
} from '@mechlab/core';
import { runForum } from './forum';

declare const __filename: string | undefined; // CommonJS wrapper's (no Node types here); not in browsers

/** Strategies of Player G in column order, with their metric prefixes. */
const STRATEGIES = [
  { id: 'greedy', name: 'G-Greedy' },
  { id: 'utility', name: 'G-Utility' },
  { id: 'random', name: 'Random' },
] as const;

const paramsSchema = declareParams({
  theta: { default: 0.6, min: 0, max: 1, label: 'acceptance threshold θ' },
  M: { default: 40, min: 1, max: 10_000, integer: true, label: "G's proposal budget M" },
  K: { default: 20, min: 1, max: 10_000, integer: true, label: "F's capacity K" },
  rounds: { default: 4, min: 1, max: 104, integer: true, label: 'rounds (weeks)' },
  trainWeeks: { default: 4, min: 1, max: 104, integer: true },
  perWeek: { default: 150, min: 10, max: 100_000, integer: true, label: 'questions per week' },
  communities: { default: 3, min: 1, max: 8, integer: true },
  featureBits: { default: 12, min: 8, max: 24, integer: true },
  nashMethod: { default: 'heuristics', values: ['heuristics', 'certified'] },
  utilityG: { default: 'unigram', values: ['unigram', 'forum-lm'] },
});

/** Resolved parameters of `forum.game`. */
export interface ForumGameParams {
  readonly [key: string]: unknown;
  readonly theta: number;
  readonly M: number;
  readonly K: number;
  readonly rounds: number;
  readonly trainWeeks: number;
  readonly perWeek: number;
  readonly communities: number;
  readonly featureBits: number;
  readonly nashMethod: 'heuristics' | 'certified';
  readonly utilityG: 'unigram' | 'forum-lm';
}

const METRICS: readonly MetricDef[] = [
  ...STRATEGIES.map((s) => ({ algo: s.id, metric: 'eurrF' })),
  ...STRATEGIES.map((s) => ({ algo: s.id, metric: 'eurrG' })),
  { algo: 'corpus', metric: 'spearman' },
];

/** The experiment; worker threads import it from this module. */
export const forumGame: Experiment<ForumGameParams> = defineExperiment<ForumGameParams>({
  name: 'forum.game',
  description: 'GenAI–forum game on synthetic corpora: EURR of G-Greedy, G-Utility, Random (seed 000)',
  paramsSchema,
  labels: {
    theta: 'acceptance threshold θ',
    M: "G's proposal budget M",
    K: "F's capacity K",
    rounds: 'rounds (weeks)',
    greedy: 'G-Greedy',
    utility: 'G-Utility',
    random: 'Random',
    corpus: 'window questions',
    eurrF: 'EURR_F (forum, Eq. 1)',
    eurrG: 'EURR_G (GenAI, Eq. 1)',
    spearman: 'Spearman ρ (perplexity vs views)',
  },
  metrics: () => METRICS,
  // EURR ∈ [0, 1] (Eq. 1 against the per-round maxima); ρ ∈ [−1, 1].
  bounds: { eurrF: [0, 1], eurrG: [0, 1], spearman: [-1, 1] },
  async run(rng: Rng, p: ForumGameParams, out: Float64Array, offset: number): Promise<void> {
    // runForum derives every stream from one seed key; draw it from this instance's stream.
    const seed = Math.floor(rng.next() * 2 ** 48);
    const r = await runForum({
      seed,
      theta: p.theta,
      M: p.M,
      K: p.K,
      rounds: p.rounds,
      trainWeeks: p.trainWeeks,
      synthetic: { perWeek: p.perWeek, communities: p.communities },
      featureBits: p.featureBits,
      nashMethod: p.nashMethod,
      utilityG: p.utilityG,
      scatterPoints: 0,
    });
    const k = STRATEGIES.length;
    STRATEGIES.forEach((s, i) => {
      const row = r.table.find((t) => t.strategy === s.name);
      out[offset + i] = row ? row.eurrF : NaN;
      out[offset + k + i] = row ? row.eurrG : NaN;
    });
    out[offset + 2 * k] = r.scatter.spearman;
  },
  // Dominated by the corpus (text generation, features, the proxy) and the rounds' selections.
  cost: (p) => 2e4 * p.perWeek * (p.trainWeeks + p.rounds) + 1e4 * p.rounds * p.M,
  source: sourceOf(typeof __filename === 'string' ? __filename : undefined, 'forumGame'),
});

const PRESETS: SweepPreset[] = [
  {
    name: 'forum-vary-theta',
    experiment: 'forum.game',
    grid: { theta: [0.2, 0.4, 0.6, 0.8] },
    params: {},
    replicates: 20,
    seed: 1,
  },
];

/** `forum-vary-theta`: F's threshold θ ∈ {0.2, 0.4, 0.6, 0.8}, 20 synthetic games per point. */
export const forumPresets: readonly SweepPreset[] = Object.freeze(PRESETS);
