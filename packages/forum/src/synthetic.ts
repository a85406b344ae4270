/**
 * Synthetic Stack Exchange corpus (MODELS.md §2 "Data": several communities, weekly volume, heavy-tailed
 * views, a tunable negative rank correlation between text rarity and views) — the embedded default of
 * `runForum` and the data of the tests. Questions carry exactly the fields of parsed `Posts.xml`
 * questions (`Question`), so everything downstream is source-agnostic.
 *
 * Generative model (all draws from the given `Rng`):
 * - community c with shares ∝ (c+1)^−½, each with a 3000-word pseudo-word vocabulary, `topics` topics
 *   (6 keywords and a tag each) and a view median m_c = 100·e^{N(0, ½)}; weekly volume
 *   `perWeek·(1 + 0.1·N(0,1))`, creation times uniform within the week.
 * - topic τ: rarity u_τ ~ N(0,1) and popularity η_τ = ρ_T·u_τ + √(1−ρ_T²)·N(0,1) (`topicRho`, default
 *   −0.8: niche topics use rarer words and draw fewer views — the misalignment of seed 000 §4).
 * - question: topic uniform; rarity u = s·u_τ + √(1−s²)·u_q (`topicRarityShare` s, default 0.7),
 *   u_q ~ N(0,1); popularity z = ρ·u_q + √(1−ρ²)·N(0,1) (`rho`, default −0.3).
 * - views = ⌊exp(ln m_c + topicEffect·η_τ + viewsSigma·z)⌋: log-normal, heavy right tail.
 * - text: each word is, with probability 0.3, a shared English function word (Zipf); otherwise with
 *   probability r(u) = 0.02 + 0.48·Φ(u) a uniform word from the rare two thirds of the community
 *   vocabulary, else a Zipf(1.05) draw from it; two title words and 8% of body words are topic keywords.
 *   A unigram model's surprisal therefore rises with u (and, through ρ and ρ_T, falls with views).
 * - tags: the topic's tag plus 0–2 other tags of the community.
 *
 * Time O(total words); memory O(questions).
 */
import { z } from 'zod';
import { Rng, addMechlabIssue, parseWithSchema, type SeedKey } from '@mechlab/core';
import { dateSchema } from './date-schema';
import type { Question } from './types';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { SQRT2, abs, exp, floor, log, max, min, pow, round, sqrt } = Math;

/** Options of `syntheticCorpus`. */
export interface SyntheticOptions {
  /** Number of communities, or their names (default 5). */
  communities?: number | readonly string[];
  /** Weeks of data (default 52). */
  weeks?: number;
  /** Mean questions per week over all communities (default 1000). */
  perWeek?: number;
  /** Start of the first week (ms since epoch or ISO string; default 2024-07-23T00:00:00Z, the paper's). */
  start?: number | string;
  /** Question-level corr(text rarity, log-view popularity), in (−1, 1) (default −0.1, calibrated: calibration.ts). */
  rho?: number;
  /** corr(topic rarity, topic popularity) (default −0.35, calibrated): niche topics use rarer words and draw fewer views. */
  topicRho?: number;
  /** Share of a question's rarity (as a correlation) that comes from its topic, in [0, 1] (default 0.7). */
  topicRarityShare?: number;
  /** Standard deviation of the topic effect on log views (default 0.8). */
  topicEffect?: number;
  /** Standard deviation of the question effect on log views (default 1.2). */
  viewsSigma?: number;
  /** Topics per community (default 24). */
  topics?: number;
  /** Body length in words, inclusive range (default [56, 96]: title + body fill the paper's 64-token window). */
  bodyWords?: readonly [number, number];
  /**
   * The "world" — vocabularies, topics and view scales of the communities — is drawn from its own stream
   * `Rng.fromPath(['forum.world', world])`, independent of the question stream, so that the five
   * communities stay the same across run seeds and a language model fitted on pre-window text of the
   * world (lm.ts) serves every seed (default `'stack-exchange'`).
   */
  world?: SeedKey;
  /** Words per community vocabulary (default 200: keeps the LM's logits narrow, see lm.ts). */
  vocabulary?: number;
  /**
   * Share of low-quality/noisy questions (random character strings, fewer views) — seed 000 footnote 2:
   * such inputs are "relatively rare" given the platform's moderation **[choice: 1%]** (default 0.01).
   */
  noiseShare?: number;
  /** Relative standard deviation of the weekly volume (default 0.05). */
  volumeNoise?: number;
}

/**
 * What seed 000 reports about its data (line numbers of `shared/seeds/000_ffede1bc96167326.txt`); the
 * calibration targets of calibration.ts are built from these.
 */
export const PAPER = {
  /** "396,408 questions from five Stack Exchange communities" (l. 76). */
  questions: 396_408,
  communities: 5,
  /** "weekly rounds from July 23, 2024 to July 23, 2025" (l. 76): 365 days = 52 full weeks (+1 day). */
  windowStart: '2024-07-23',
  windowEnd: '2025-07-23',
  rounds: 52,
  /** 396,408 / (365/7) questions a week. */
  perWeek: 396_408 / (365 / 7),
  /** "Spearman coefficient is consistently negative across domains (−0.11 in this example)" (l. 99). */
  spearman: -0.11,
  /** K = 50 (l. 78), M = 100 (l. 93), "M ≪ |Q_t|" (l. 53). */
  K: 50,
  M: 100,
} as const;

const DEFAULT_NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
const WEEK_MS = 7 * 24 * 3600 * 1000;
const COMMON = (
  'how do i the to a in is it with on for not my can what why when this that of and after using from ' +
  'error file get set way does there an be are you if or but as at by all any use new run make one ' +
  'which work working problem issue want need possible should would could without into out some after ' +
  'like same different only just instead between where than then'
).split(' ');

/** Probability that a word is a shared function word. */
const P_COMMON = 0.3;

/** A topic's rarity u_τ ~ N(0,1) and popularity η_τ = ρ·u_τ + √(1−ρ²)·N(0,1). */
function topicLatents(r: Rng, rho: number): { u: number; eta: number } {
  const u = r.normal();
  return { u, eta: rho * u + sqrt(1 - rho * rho) * r.normal() };
}

function normalCdf(x: number): number {
  // Φ via erfc (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7).
  const z = abs(x) / SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Cumulative Zipf(s) weights over n ranks, normalised to end at 1. */
function zipfCdf(n: number, s: number): Float64Array {
  const c = new Float64Array(n);
  let acc = 0;
  for (let r = 0; r < n; r++) c[r] = acc += 1 / pow(r + 1, s);
  for (let r = 0; r < n; r++) c[r]! /= acc;
  return c;
}

function sampleCdf(cdf: Float64Array, u: number): number {
  let lo = 0,
    hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const CONS = 'bcdfghjklmnprstvz';
const NOISE_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_';
const VOWELS = 'aeiou';

/** `count` distinct pseudo-words (2–3 syllables, optional final consonant), never a COMMON word. */
function pseudoWords(rng: Rng, count: number, taken: Set<string>): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const syll = 2 + rng.int(2);
    let w = '';
    for (let s = 0; s < syll; s++) w += CONS[rng.int(CONS.length)]! + VOWELS[rng.int(VOWELS.length)]!;
    if (rng.bernoulli(0.4)) w += CONS[rng.int(CONS.length)]!;
    if (taken.has(w)) continue;
    taken.add(w);
    out.push(w);
  }
  return out;
}

const unit = z.number().min(0).max(1);
const count = z.number().int().min(1);

/** `SyntheticOptions`, checked once per corpus (ranges of the model's parameters, MODELS.md §2). */
const syntheticOptionsSchema = z.object({
  communities: z.union([count, z.array(z.string()).min(1)]).optional(),
  weeks: count.optional(),
  perWeek: z.number().gt(0).optional(),
  start: dateSchema().optional(),
  rho: z.number().gt(-1).lt(1).optional(),
  topicRho: z.number().min(-1).max(1).optional(),
  topicRarityShare: unit.optional(),
  topicEffect: z.number().min(0).optional(),
  viewsSigma: z.number().min(0).optional(),
  topics: count.optional(),
  bodyWords: z
    .tuple([z.number().int().min(0), z.number().int().min(0)])
    .superRefine(([lo, hi], ctx) => {
      if (hi < lo)
        addMechlabIssue(ctx, [], 'ERR_OUT_OF_RANGE', `must be integers 0 ≤ min ≤ max, got [${lo}, ${hi}]`);
    })
    .optional(),
  world: z.union([z.number(), z.string()]).optional(),
  vocabulary: z.number().int().min(150).optional(),
  noiseShare: unit.optional(),
  volumeNoise: z.number().min(0).lt(1).optional(),
});

/**
 * Questions per week: weights `max(0.05, 1 + noise·N(0,1))`, scaled so that the total is exactly
 * `round(perWeek · weeks)` (largest-remainder rounding, every week ≥ 1) — the window total is the one
 * volume figure seed 000 reports (l. 76), so it is matched exactly. O(weeks log weeks).
 * @example weeklyVolumes(Rng.seed(1), 52, PAPER.perWeek, 0.05).reduce((a, b) => a + b) // 395322
 */
export function weeklyVolumes(rng: Rng, weeks: number, perWeek: number, noise: number): Int32Array {
  const wts = Float64Array.from({ length: weeks }, () => max(0.05, 1 + noise * rng.normal()));
  let sw = 0;
  for (const x of wts) sw += x;
  const total = max(weeks, round(perWeek * weeks));
  const out = new Int32Array(weeks);
  const rem: [number, number][] = [];
  let used = 0;
  for (let w = 0; w < weeks; w++) {
    const exact = (total * wts[w]!) / sw;
    out[w] = max(1, floor(exact));
    used += out[w]!;
    rem.push([exact - floor(exact), w]);
  }
  rem.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; used < total; k = (k + 1) % weeks, used++) out[rem[k]![1]]!++;
  for (let w = weeks - 1; used > total && w >= 0; w--) {
    if (out[w]! > 1) {
      out[w]!--;
      used--;
      w++;
    }
  }
  return out;
}

/**
 * Generate a synthetic multi-community corpus, sorted by creation date (ties by community), ids
 * increasing with time within each community. Deterministic in the `Rng` stream.
 * Time O(weeks·perWeek·words per question).
 * @throws MechlabError `ERR_OUT_OF_RANGE` naming the option (`rho must be < 1, got 2`).
 * @example
 * const qs = syntheticCorpus(Rng.seed(1), { weeks: 2, perWeek: 10 });
 * qs.length // ≈ 20; qs[0] = { id: 1, community: 'alpha', creationDate: …, viewCount: …, title: '…?', body: '…', tags: [...] }
 */
export function syntheticCorpus(rng: Rng, opts: SyntheticOptions = {}): Question[] {
  const o = parseWithSchema(syntheticOptionsSchema, opts, '');
  const names =
    typeof o.communities === 'object'
      ? [...o.communities]
      : Array.from({ length: o.communities ?? 5 }, (_, i) =>
          i < DEFAULT_NAMES.length ? DEFAULT_NAMES[i]! : `community${i + 1}`,
        );
  const weeks = o.weeks ?? 52;
  const perWeek = o.perWeek ?? 1000;
  const rho = o.rho ?? -0.1;
  const topicRho = o.topicRho ?? -0.35;
  const VOCAB = o.vocabulary ?? 200;
  const noiseShare = o.noiseShare ?? 0.01;
  const volumeNoise = o.volumeNoise ?? 0.05;
  const topicShare = o.topicRarityShare ?? 0.7;
  const questionShare = sqrt(1 - topicShare * topicShare);
  const topicEffect = o.topicEffect ?? 0.8;
  const sigma = o.viewsSigma ?? 1.2;
  const nTopics = o.topics ?? 24;
  const [bMin, bMax] = o.bodyWords ?? [56, 96];
  const start = o.start ?? Date.UTC(2024, 6, 23);

  // World: vocabularies, topics, community sizes and view scales.
  const world = Rng.fromPath(['forum.world', opts.world ?? 'stack-exchange']);
  const taken = new Set<string>(COMMON);
  const shares = zipfCdf(names.length, 0.5);
  const comm = names.map((_, c) => {
    const r = world.split('community', c);
    const vocab = pseudoWords(r, VOCAB, taken);
    const tagWords = pseudoWords(r, nTopics, taken);
    const topics = Array.from({ length: nTopics }, (_, t) => ({
      keywords: Array.from({ length: 6 }, () => vocab[20 + r.int(floor(VOCAB / 2))]!),
      tag: tagWords[t]! + (r.bernoulli(0.3) ? '-' + vocab[r.int(100)]! : ''),
      ...topicLatents(r, topicRho),
    }));
    return { vocab, topics, logMedian: log(100) + 0.5 * r.normal() };
  });
  const commonCdf = zipfCdf(COMMON.length, 1.0);
  const vocabCdf = zipfCdf(VOCAB, 1.05);
  const tailStart = floor(VOCAB / 3);
  const sq = sqrt(1 - rho * rho);

  const draw = rng.split('questions');
  const raw: Question[] = [];
  const words: string[] = [];
  const tailSize = VOCAB - tailStart;
  const rareShare = 1 - P_COMMON;
  const volumes = weeklyVolumes(rng.split('volume'), weeks, perWeek, volumeNoise);
  for (let w = 0; w < weeks; w++) {
    const n = volumes[w]!;
    for (let q = 0; q < n; q++) {
      const c = sampleCdf(shares, draw.next());
      const C = comm[c]!;
      const topic = C.topics[draw.int(nTopics)]!;
      const uq = draw.normal();
      const u = topicShare * topic.u + questionShare * uq; // text rarity, ~N(0, 1)
      const z = rho * uq + sq * draw.normal(); // question-level popularity
      const rare = 0.02 + 0.48 * normalCdf(u);
      // One uniform per word: [0, P_COMMON) → function word; then rare tail with prob. `rare`; else Zipf.
      const word = (): string => {
        const x = draw.next();
        if (x < P_COMMON) return COMMON[sampleCdf(commonCdf, x / P_COMMON)]!;
        const y = (x - P_COMMON) / rareShare;
        if (y < rare) return C.vocab[tailStart + min(tailSize - 1, floor((y / rare) * tailSize))]!;
        return C.vocab[sampleCdf(vocabCdf, (y - rare) / (1 - rare))]!;
      };
      // Seed 000 fn. 2: a few inputs are noisy (high perplexity for any LM, few views).
      const noisy = noiseShare > 0 && draw.next() < noiseShare;
      const noiseWord = (): string => {
        let t = '';
        for (let i = 2 + draw.int(8); i > 0; i--) t += NOISE_CHARS[draw.int(NOISE_CHARS.length)]!;
        return t;
      };
      const titleLen = 5 + draw.int(6);
      words.length = 0;
      const kw1 = draw.int(titleLen),
        kw2 = draw.int(titleLen);
      for (let i = 0; i < titleLen; i++) {
        words.push(noisy ? noiseWord() : i === kw1 || i === kw2 ? topic.keywords[draw.int(6)]! : word());
      }
      const title = words[0]!.charAt(0).toUpperCase() + words.join(' ').slice(1) + '?';
      const bodyLen = bMin + draw.int(bMax - bMin + 1);
      words.length = 0;
      for (let i = 0; i < bodyLen; i++) {
        words.push(noisy ? noiseWord() : draw.next() < 0.08 ? topic.keywords[draw.int(6)]! : word());
        if (i % 12 === 11 && i + 1 < bodyLen) words[words.length - 1] += '.';
      }
      const body = bodyLen === 0 ? '' : words.join(' ') + '.';
      const tags = [topic.tag];
      const extra = draw.int(3);
      for (let e = 0; e < extra; e++) {
        const t = C.topics[draw.int(nTopics)]!.tag;
        if (!tags.includes(t)) tags.push(t);
      }
      const views = floor(exp(C.logMedian + topicEffect * topic.eta + sigma * z - (noisy ? 1 : 0)));
      raw.push({
        id: 0,
        community: names[c]!,
        creationDate: start + w * WEEK_MS + floor(draw.next() * WEEK_MS),
        viewCount: views,
        title,
        body,
        tags,
      });
    }
  }
  raw.sort(
    (a, b) =>
      a.creationDate - b.creationDate || (a.community < b.community ? -1 : a.community > b.community ? 1 : 0),
  );
  const nextId = new Map<string, number>();
  for (const q of raw) {
    const id = (nextId.get(q.community) ?? 0) + 1;
    nextId.set(q.community, id);
    q.id = id;
  }
  return raw;
}
