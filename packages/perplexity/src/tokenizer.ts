/**
 * Loading a Hugging Face `tokenizer.json` (+ optional `tokenizer_config.json`) with
 * `@huggingface/tokenizers`, deciding the BOS token, and encoding only as much of a text as the first
 * `L` tokens need.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type * as HfTokenizers from '@huggingface/tokenizers' with { 'resolution-mode': 'import' };
import { MechlabError } from '@mechlab/core';

// The package is ESM-first but ships a CommonJS build under the `require` condition; this CommonJS
// package loads it with require() and takes only its types from the ESM entry.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hf = require('@huggingface/tokenizers') as typeof HfTokenizers;

/** How the BOS token is chosen: `'auto'` (see {@link loadTokenizer}) or `'none'`. */
export type BosMode = 'auto' | 'none';

/** Where the BOS decision came from. */
export type BosSource = 'tokenizer_config.json' | 'post_processor' | 'none';

/** A loaded tokenizer, reduced to what the scorer needs. */
export interface LoadedTokenizer {
  /** Largest token id + 1 (model vocabulary plus added tokens). */
  readonly vocabSize: number;
  /** Id prepended to every text, or `undefined` when no BOS is used. */
  readonly bosId: number | undefined;
  readonly bosToken: string | undefined;
  readonly bosSource: BosSource;
  /** Whether {@link LoadedTokenizer.encodePrefix} may tokenise a prefix of the text (see there). */
  readonly prefixSafe: boolean;
  /**
   * The first `maxTokens` token ids of `text` (no special tokens added). For byte-level BPE without a
   * normaliser (GPT-2 style), a text is cut just before a whitespace that follows a letter, digit,
   * punctuation or symbol: no pre-token of the GPT-2 regex spans such a cut, so the prefix's ids are an
   * exact prefix of the full text's ids. The cut is doubled until it yields `maxTokens` ids or reaches
   * the end. Complexity: O(min(|text|, ~8·maxTokens chars)) amortised.
   */
  encodePrefix(text: string, maxTokens: number): number[];
}

interface TokenizerJsonShape {
  readonly normalizer?: unknown;
  readonly pre_tokenizer?: { readonly type?: unknown; readonly use_regex?: unknown } | null;
  readonly post_processor?: {
    readonly type?: unknown;
    readonly single?: unknown;
    readonly special_tokens?: Record<string, { ids?: unknown }>;
  } | null;
  readonly added_tokens?: readonly { content?: unknown }[];
  readonly model?: unknown;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      code === 'ENOENT' ? `model: ${path} not found` : `model: cannot read ${path} (${code ?? String(e)})`,
      'model',
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `model: ${path} is not valid JSON (${(e as Error).message}) — not a ${what}`,
      'model',
    );
  }
}

function tokenContent(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') {
    return (v as { content: string }).content;
  }
  return undefined;
}

const CUT_BEFORE = /[\p{L}\p{N}\p{P}\p{S}]/u;

function isCut(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) && CUT_BEFORE.test(text.charAt(i - 1));
}

// Building a GPT-2 tokenizer parses ~1.4 MB of JSON (≈0.3 s); loads of unchanged files are memoised.
const memo = new Map<string, LoadedTokenizer>();
const MEMO_SIZE = 4;

function fileStamp(path: string): string {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}:${st.ino}`;
  } catch {
    return 'absent';
  }
}

/**
 * Load `<dir>/tokenizer.json` and, when present, `<dir>/tokenizer_config.json`.
 *
 * BOS **[choice]** (`bos: 'auto'`, MODELS.md §3 "prepend BOS when the tokenizer defines one"): the
 * `bos_token` of `tokenizer_config.json` when it names a known token; else the leading special token of
 * a `TemplateProcessing` post-processor; else none. GPT-2 (and the tiny LM) → `<|endoftext|>` = 50256.
 * Complexity: O(vocabulary).
 * @throws MechlabError ERR_INVALID_INPUT naming `model` when a file is missing or not a tokenizer
 */
export function loadTokenizer(dir: string, bos: BosMode = 'auto'): LoadedTokenizer {
  const path = join(dir, 'tokenizer.json');
  const configPath = join(dir, 'tokenizer_config.json');
  const key = `${path}|${fileStamp(path)}|${fileStamp(configPath)}|${bos}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const loaded = buildTokenizer(path, configPath, bos);
  memo.set(key, loaded);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value ?? key);
  return loaded;
}

function buildTokenizer(path: string, configPath: string, bos: BosMode): LoadedTokenizer {
  const json = readJson(path, 'tokenizer.json');
  if (json === null || typeof json !== 'object' || typeof (json as TokenizerJsonShape).model !== 'object') {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `model: ${path} is not a tokenizer.json (no "model" object)`,
      'model',
    );
  }
  const spec = json as TokenizerJsonShape;
  let config: Record<string, unknown> = {};
  let hasConfig = false;
  try {
    readFileSync(configPath);
    hasConfig = true;
  } catch {
    hasConfig = false;
  }
  if (hasConfig) {
    const c = readJson(configPath, 'tokenizer_config.json');
    if (c !== null && typeof c === 'object' && !Array.isArray(c)) config = c as Record<string, unknown>;
  }
  let tok: HfTokenizers.Tokenizer;
  try {
    tok = new hf.Tokenizer(spec, config);
  } catch (e) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `model: ${path} is not a usable tokenizer (${(e as Error).message})`,
      'model',
    );
  }
  let maxId = -1;
  for (const id of tok.get_vocab(true).values()) if (id > maxId) maxId = id;
  if (maxId < 0)
    throw new MechlabError('ERR_INVALID_INPUT', `model: ${path} has an empty vocabulary`, 'model');

  let bosId: number | undefined;
  let bosToken: string | undefined;
  let bosSource: BosSource = 'none';
  if (bos === 'auto') {
    const fromConfig = tokenContent(config['bos_token']);
    if (fromConfig !== undefined && tok.token_to_id(fromConfig) !== undefined) {
      bosToken = fromConfig;
      bosId = tok.token_to_id(fromConfig);
      bosSource = 'tokenizer_config.json';
    } else if (
      spec.post_processor?.type === 'TemplateProcessing' &&
      Array.isArray(spec.post_processor.single)
    ) {
      const first = spec.post_processor.single[0] as { SpecialToken?: { id?: unknown } } | undefined;
      const name = first?.SpecialToken?.id;
      const ids = typeof name === 'string' ? spec.post_processor.special_tokens?.[name]?.ids : undefined;
      if (typeof name === 'string' && Array.isArray(ids) && typeof ids[0] === 'number') {
        bosToken = name;
        bosId = ids[0];
        bosSource = 'post_processor';
      }
    }
  }

  const pre = spec.pre_tokenizer;
  const prefixSafe =
    (spec.normalizer === null || spec.normalizer === undefined) &&
    pre !== null &&
    pre !== undefined &&
    pre.type === 'ByteLevel' &&
    pre.use_regex !== false &&
    (spec.added_tokens ?? []).every((t) => typeof t.content === 'string' && !/\s/.test(t.content));

  const encodeAll = (text: string): number[] => tok.encode(text, { add_special_tokens: false }).ids;
  return {
    vocabSize: maxId + 1,
    bosId,
    bosToken,
    bosSource,
    prefixSafe,
    encodePrefix(text: string, maxTokens: number): number[] {
      if (!prefixSafe) return encodeAll(text).slice(0, maxTokens);
      let guess = Math.max(64, maxTokens * 8);
      while (guess < text.length) {
        let cut = guess;
        while (cut < text.length && !isCut(text, cut)) cut++;
        if (cut >= text.length) break;
        const ids = encodeAll(text.slice(0, cut));
        if (ids.length >= maxTokens) return ids.slice(0, maxTokens);
        guess = cut * 2;
      }
      return encodeAll(text).slice(0, maxTokens);
    },
  };
}
