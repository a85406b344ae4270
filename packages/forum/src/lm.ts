/**
 * The forum game's default U_G model: a small causal LM the project builds deterministically from
 * pre-window text of the synthetic world, written as a standard ONNX model directory and scored by
 * `@mechlab/perplexity` (MODELS.md §2–3). It plays the role of the paper's LLMs, which were "released
 * before the start of our data window" (seed 000 §3): it is fitted only on questions dated a year
 * before the window, so U_G(q) never depends on the window's questions.
 *
 * Model: a class-bigram LM over a word vocabulary, `P(w_t | w_{t−1}) = P(w_t | class(w_{t−1}))`, with
 * one class per community (the community in which a word is most frequent, when that community holds
 * ≥ 60% of its uses), one "shared" class for function words, one for BOS and one for unknown words:
 *
 *     P(j | c) = 0.8 · (n_cj + 0.1) / (n_c + 0.1·V) + 0.2 · (n_j + 0.1) / (N + 0.1·V)
 *
 * (add-0.1 class conditionals interpolated with the add-0.1 unigram; **[choice]**). Words seen fewer
 * than 2 times map to `[UNK]`. It is exactly a rank-(classes) bigram model, so it is written with
 * `@mechlab/perplexity`'s `tinyLmGraph` (Gather → Gather → MatMul; embed = one-hot class, project =
 * log P(·|class)) and `encodeOnnxModel`, with a WordPiece `tokenizer.json` whose vocabulary holds whole
 * words only (Lowercase normaliser, Whitespace pre-tokeniser), so every word is one token and an
 * unknown word is `[UNK]`. The logits are only V ≈ 6,000 wide (against GPT-2's 50,257), which is what
 * makes scoring a 13,000-question window take seconds rather than many minutes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { Rng, parseWithSchema, type SeedKey } from '@mechlab/core';
import { syntheticCorpus } from './synthetic';
import { questionText } from './tokens';
import type { UtilityGProvider } from './utility';
import type * as PerplexityModule from '@mechlab/perplexity';

/**
 * `@mechlab/perplexity`, loaded on first use: importing `@mechlab/forum` must not load onnxruntime
 * (runs with the unigram proxy or a plugged-in provider never need it).
 */
function perplexity(): typeof PerplexityModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@mechlab/perplexity') as typeof PerplexityModule;
}

const { log } = Math;

export { perplexity as perplexityModule };

/** Bump when the construction changes: a cached model with another version is rebuilt. */
export const FORUM_LM_VERSION = 2;

/** Options of {@link ensureForumLm} / {@link writeForumLm}. */
export interface ForumLmOptions {
  /** The synthetic world the model learns (default `'stack-exchange'`, as `syntheticCorpus`). */
  readonly world?: SeedKey;
  /** Weeks of pre-window training questions (default 8, at 1000 a week, one year before the window). */
  readonly weeks?: number;
}

/** What `manifest.json` records. */
export interface ForumLmManifest {
  readonly version: number;
  readonly world: SeedKey;
  readonly weeks: number;
  readonly vocabulary: number;
  readonly classes: number;
  readonly trainingTokens: number;
  readonly trainingFrom: string;
  readonly trainingTo: string;
  readonly modelSha256: string;
}

/** Lowercase + Whitespace pre-tokenisation, as the written tokenizer.json does (`\w+|[^\w\s]+`). */
export function lmWords(text: string): string[] {
  return text.toLowerCase().match(/\w+|[^\w\s]+/g) ?? [];
}

/** The training window of the model: `weeks` weeks starting one year before the game's window. */
function trainingCorpus(o: Required<ForumLmOptions>): ReturnType<typeof syntheticCorpus> {
  const start = Date.UTC(2023, 6, 25); // 52 weeks before 2024-07-23, the paper's window start
  return syntheticCorpus(Rng.fromPath(['forum.lm', o.world]), {
    world: o.world,
    weeks: o.weeks,
    perWeek: 1000,
    start,
    // Clean text [choice]: an LLM's training data is filtered, so noise stays surprising to it
    // (seed 000 fn. 2); trained on noisy text, runs of [UNK] would become cheap.
    noiseShare: 0,
  });
}

/** The fitted model: tokenizer vocabulary, class map and the ONNX bytes. */
interface FittedLm {
  vocab: string[];
  bytes: Uint8Array;
  classes: number;
  tokens: number;
  from: number;
  to: number;
}

async function fitForumLm(o: Required<ForumLmOptions>): Promise<FittedLm> {
  const { tinyLmGraph, encodeOnnxModel } = perplexity();
  const qs = trainingCorpus(o);
  const communities = [...new Set(qs.map((q) => q.community))].sort();
  const C = communities.length;
  const cIndex = new Map(communities.map((c, i) => [c, i]));
  // 1. Vocabulary: words seen ≥ 2 times, by count then lexicographically; ids 0 = [UNK], 1 = <s>.
  const texts = qs.map((q) => lmWords(questionText(q)));
  const count = new Map<string, number[]>();
  texts.forEach((ws, k) => {
    const c = cIndex.get(qs[k]!.community)!;
    for (const w of ws) {
      let a = count.get(w);
      if (a === undefined) count.set(w, (a = new Array<number>(C).fill(0)));
      a[c]!++;
    }
  });
  const total = (a: number[]): number => a.reduce((x, y) => x + y, 0);
  const words = [...count.entries()]
    .filter(([, a]) => total(a) >= 2)
    .sort((x, y) => total(y[1]) - total(x[1]) || (x[0] < y[0] ? -1 : 1));
  const vocab = ['[UNK]', '<s>', ...words.map(([w]) => w)];
  const V = vocab.length;
  const id = new Map(vocab.map((w, i) => [w, i]));
  // 2. Classes: 0..C−1 communities, C shared, C+1 BOS, C+2 UNK.
  const SHARED = C,
    BOS = C + 1,
    UNK = C + 2,
    R = C + 3;
  const cls = new Int32Array(V);
  cls[0] = UNK;
  cls[1] = BOS;
  words.forEach(([, a], k) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (a[c]! > a[best]!) best = c;
    cls[k + 2] = a[best]! >= 0.6 * total(a) ? best : SHARED;
  });
  // 3. Counts of (class of previous token, token) and of tokens.
  const nc = new Float64Array(R * V);
  const rowN = new Float64Array(R);
  const uni = new Float64Array(V);
  let N = 0;
  for (const ws of texts) {
    let prev = 1;
    for (const w of ws) {
      const j = id.get(w) ?? 0;
      nc[cls[prev]! * V + j]!++;
      rowN[cls[prev]!]!++;
      uni[j]!++;
      N++;
      prev = j;
    }
  }
  // 4. Tables for tinyLmGraph: embed = [one-hot class | 1], project = [log P(·|class) ; 0].
  const embed = new Float32Array(R * (R + 1));
  for (let r = 0; r < R; r++) {
    embed[r * (R + 1) + r] = 1;
    embed[r * (R + 1) + R] = 1;
  }
  const project = new Float32Array((R + 1) * V);
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < V; j++) {
      const pc = (nc[r * V + j]! + 0.1) / (rowN[r]! + 0.1 * V);
      const pu = (uni[j]! + 0.1) / (N + 0.1 * V);
      project[r * V + j] = log(0.8 * pc + 0.2 * pu);
    }
  }
  const bytes = encodeOnnxModel(
    tinyLmGraph(
      {
        vocab: V,
        rank: R,
        rows: R,
        rowMap: cls,
        embed,
        project,
        positionVector: undefined,
        trainingTokens: N,
        documents: qs.length,
      },
      { 'mechlab.forum_lm': JSON.stringify({ version: FORUM_LM_VERSION, world: String(o.world) }) },
    ),
  );
  return {
    vocab,
    bytes,
    classes: R,
    tokens: N,
    from: qs[0]!.creationDate,
    to: qs[qs.length - 1]!.creationDate,
  };
}

function tokenizerJson(vocab: readonly string[]): string {
  const special = (id: number, content: string): Record<string, unknown> => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '[UNK]'), special(1, '<s>')],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((w, i) => [w, i])),
    },
  });
}

const forumLmOptionsSchema = z.object({
  world: z.union([z.number(), z.string()]).optional(),
  weeks: z.number().int().min(1).max(52).optional(),
});

function resolved(opts: ForumLmOptions): Required<ForumLmOptions> {
  const o = parseWithSchema(forumLmOptionsSchema, opts, '');
  return { world: o.world ?? 'stack-exchange', weeks: o.weeks ?? 8 };
}

function manifestMatches(dir: string, o: Required<ForumLmOptions>): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Partial<ForumLmManifest>;
    return (
      m.version === FORUM_LM_VERSION &&
      m.world === o.world &&
      m.weeks === o.weeks &&
      existsSync(join(dir, 'model.onnx')) &&
      existsSync(join(dir, 'tokenizer.json'))
    );
  } catch {
    return false;
  }
}

/**
 * Fit the forum LM and write `model.onnx`, `tokenizer.json`, `tokenizer_config.json` (BOS `<s>`) and
 * `manifest.json` into `dir` (staged, then renamed into place). Deterministic: same options, same bytes.
 * Complexity: O(training tokens + classes · V); ~1 s.
 */
export async function writeForumLm(dir: string, options: ForumLmOptions = {}): Promise<ForumLmManifest> {
  const o = resolved(options);
  const fit = await fitForumLm(o);
  const manifest: ForumLmManifest = {
    version: FORUM_LM_VERSION,
    world: o.world,
    weeks: o.weeks,
    vocabulary: fit.vocab.length,
    classes: fit.classes,
    trainingTokens: fit.tokens,
    trainingFrom: new Date(fit.from).toISOString(),
    trainingTo: new Date(fit.to).toISOString(),
    modelSha256: createHash('sha256').update(fit.bytes).digest('hex'),
  };
  perplexity().publishModelDir(
    dir,
    {
      'model.onnx': fit.bytes,
      'tokenizer.json': tokenizerJson(fit.vocab),
      'tokenizer_config.json': JSON.stringify({ bos_token: '<s>', unk_token: '[UNK]' }) + '\n',
      'manifest.json': JSON.stringify(manifest, null, 2) + '\n',
    },
    (target) => manifestMatches(target, o),
  );
  return manifest;
}

/**
 * Default model directory: `packages/forum/build/forum-lm` (generated; `build/` is ignored by git,
 * prettier and eslint, like `@mechlab/perplexity`'s tiny LM). `MECHLAB_FORUM_LM_DIR` overrides.
 */
export function defaultForumLmDir(): string {
  return process.env['MECHLAB_FORUM_LM_DIR'] ?? resolve(__dirname, '..', 'build', 'forum-lm');
}

/**
 * A ready forum-LM directory, built once (≈1 s) when absent or stale. O(1) when cached.
 * @example await ensureForumLm() // '/…/packages/forum/build/forum-lm'
 */
export async function ensureForumLm(dir?: string, options: ForumLmOptions = {}): Promise<string> {
  const o = resolved(options);
  const target = resolve(dir ?? defaultForumLmDir());
  if (!manifestMatches(target, o)) {
    mkdirSync(resolve(target, '..'), { recursive: true });
    await writeForumLm(target, o);
  }
  return target;
}

/** Options of {@link lmProvider}. */
export interface LmProviderOptions {
  /** Tokens scored per text (default 64, seed 000 §3). */
  tokens?: number;
  /** Texts per ONNX batch (default 64). */
  batch?: number;
  /** Score cache directory, or `false` (default: the scorer's `<model dir>/.ppl-cache`). */
  cache?: string | false;
  /** Name shown in the table's LLM column (default: the directory's last component). */
  name?: string;
}

/** A `UtilityGProvider` backed by an open `@mechlab/perplexity` scorer; `close()` releases it. */
export interface ClosableProvider extends UtilityGProvider {
  close(): Promise<void>;
}

/**
 * U_G = perplexity over the first `tokens` tokens of title + body under the ONNX causal LM in `dir`,
 * scored by `@mechlab/perplexity` (batched, cached by (model hash, text hash, L)). Works for the forum
 * LM, the perplexity package's tiny LM, or any exported model directory (`--model DIR`).
 */
export async function lmProvider(dir: string, opts: LmProviderOptions = {}): Promise<ClosableProvider> {
  const { loadScorer } = perplexity();
  const tokens = opts.tokens ?? 64;
  const batch = opts.batch ?? 64;
  const scorer = await loadScorer(dir, opts.cache === undefined ? {} : { cache: opts.cache });
  return {
    name: opts.name ?? resolve(dir).split(/[\\/]/).pop()!,
    kind: 'perplexity',
    async score(texts: readonly string[]): Promise<Float64Array> {
      const rows = await scorer.score(texts, { tokens, batch });
      return Float64Array.from(rows, (r) => r.perplexity);
    },
    close: () => scorer.close(),
  };
}
