/**
 * The players' private utilities (MODELS.md §2; seed 000 §3):
 * - `U_F(q)` = normalised view count (`normalisedViews`);
 * - `U_G(q)` = perplexity of an LLM on the first 64 tokens of title + body, supplied through the
 *   `UtilityGProvider` interface; `unigramProxy` is the fast built-in stand-in used when no model is given.
 */
import { z } from 'zod';
import { parseWithSchema } from '@mechlab/core';
import { tokenBuffer, tokenizeInto } from './tokens';
import type { Question } from './types';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { exp, log, max } = Math;

/**
 * Where `U_G` comes from. A real LLM scorer (e.g. an ONNX model, MODELS.md §3) implements this with
 * `kind: 'perplexity'`; the built-in proxy reports `kind: 'proxy'`. `score` returns one value per text,
 * in order, each finite and ≥ 0.
 */
export interface UtilityGProvider {
  /** Shown in the EURR table's LLM column (e.g. `pythia-6.9b`, `unigram-proxy`). */
  readonly name: string;
  readonly kind: 'perplexity' | 'proxy';
  score(texts: readonly string[]): Promise<Float64Array>;
}

/** Options of `unigramProxy`. */
export interface UnigramProxyOptions {
  /** Tokens scored per text (default 64, as the paper's perplexity window). */
  tokens?: number;
  /** log2 of the number of hashed count buckets (default 20). */
  bits?: number;
  /** Additive (Lidstone) smoothing α (default 1). */
  alpha?: number;
}

const unigramProxyOptionsSchema = z.object({
  tokens: z.number().int().min(1).optional(),
  bits: z.number().int().min(4).max(26).optional(),
  alpha: z.number().gt(0).optional(),
});

/**
 * The built-in proxy for `U_G`: the perplexity of a smoothed unigram language model,
 *
 *     PPL₁(s) = exp( −(1/L) Σ_{t=1..L} ln p̂(w_t) ),   p̂(w) = (c(w) + α) / (N + α·V),
 *
 * over the first L = min(`tokens`, #words) word tokens of s (PPL₁ = 1 for an empty text). c(w) counts
 * word w in `trainingTexts` (N words in all), hashed into V = 2^bits buckets. It is a unigram-rarity
 * surprisal: texts made of rare words score high, as an LLM's perplexity does on unfamiliar content.
 * Fit it only on text from before the simulation window (runForum does), so that `U_G(q)` never depends
 * on later questions — the same reason the paper uses LLMs released before its window.
 * Fit O(training text length); score O(L) per text.
 * @example
 * const g = unigramProxy(['the cat sat', 'the dog sat']);
 * await g.score(['the cat', 'zebra quagga']) // Float64Array [≈ 3.5e5, ≈ 1.0e6]: rarer words ⇒ higher
 */
export function unigramProxy(
  trainingTexts: Iterable<string>,
  opts: UnigramProxyOptions = {},
): UtilityGProvider {
  const o = parseWithSchema(unigramProxyOptionsSchema, opts, '');
  const tokens = o.tokens ?? 64;
  const bits = o.bits ?? 20;
  const alpha = o.alpha ?? 1;
  const V = 2 ** bits;
  const mask = V - 1;
  const counts = new Uint32Array(V);
  let N = 0;
  for (const text of trainingTexts) {
    const buf = tokenBuffer(text.length);
    const n = tokenizeInto(text, Infinity, buf);
    for (let t = 0; t < n; t++) counts[buf[t]! & mask]!++;
    N += n;
  }
  const logDen = log(N + alpha * V);
  // ln p̂ per bucket, computed lazily (most buckets are never queried).
  const logP = new Float64Array(V).fill(NaN);
  const buf = new Uint32Array(tokens);
  const scoreOne = (text: string): number => {
    let s = 0;
    const L = tokenizeInto(text, tokens, buf);
    for (let t = 0; t < L; t++) {
      const b = buf[t]! & mask;
      let lp = logP[b]!;
      if (lp !== lp) lp = logP[b] = log(counts[b]! + alpha) - logDen;
      s -= lp;
    }
    return L === 0 ? 1 : exp(s / L);
  };
  return {
    name: 'unigram-proxy',
    kind: 'proxy',
    score(texts: readonly string[]): Promise<Float64Array> {
      const out = new Float64Array(texts.length);
      for (let i = 0; i < texts.length; i++) out[i] = scoreOne(texts[i]!);
      return Promise.resolve(out);
    },
  };
}

const viewNormalisationSchema = z.enum(['max', 'mean']);

/** How views are normalised into `U_F` (MODELS.md §2 [choice]). */
export type ViewNormalisation = 'max' | 'mean';

/**
 * `U_F(q)` = views(q) / (max or mean of views over q's community within `questions`). A community whose
 * statistic is 0 gets 0. O(n).
 * @example normalisedViews([{community: 'a', viewCount: 5}, {community: 'a', viewCount: 10}], 'max') // [0.5, 1]
 */
export function normalisedViews(
  questions: readonly Pick<Question, 'community' | 'viewCount'>[],
  mode: ViewNormalisation = 'max',
): Float64Array {
  parseWithSchema(viewNormalisationSchema, mode, 'viewNormalisation');
  const stat = new Map<string, { max: number; sum: number; n: number }>();
  for (const q of questions) {
    const s = stat.get(q.community) ?? { max: 0, sum: 0, n: 0 };
    s.max = max(s.max, q.viewCount);
    s.sum += q.viewCount;
    s.n++;
    stat.set(q.community, s);
  }
  const out = new Float64Array(questions.length);
  for (let i = 0; i < questions.length; i++) {
    const q = questions[i]!;
    const s = stat.get(q.community)!;
    const d = mode === 'max' ? s.max : s.sum / s.n;
    out[i] = d > 0 ? q.viewCount / d : 0;
  }
  return out;
}
