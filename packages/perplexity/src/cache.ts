/**
 * Results cache keyed by (model hash, text hash, L, BOS id): one append-only JSONL file per model hash,
 * `<dir>/<modelHash>.jsonl`, one line per scored text. Loading skips lines that do not parse (a line cut
 * short by a crash mid-write), and the next append starts on a fresh line, so a truncated last line
 * costs one re-score, never a failure. Numbers round-trip exactly through JSON (shortest round-trip
 * formatting of float64), so a hit returns the identical perplexity.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MechlabError } from '@mechlab/core';

/** What the cache stores per text. */
export interface CachedScore {
  readonly perplexity: number;
  readonly meanNll: number;
  readonly tokens: number;
  readonly predictions: number;
}

/** sha256 hex of a text's UTF-8 bytes. Complexity: O(|text|). */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The cache key of one score: `sha256(text):L:bosId` (−1 without BOS). Complexity: O(1). */
export function cacheKey(hashOfText: string, tokens: number, bosId: number | undefined): string {
  return `${hashOfText}:${tokens}:${bosId ?? -1}`;
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  await new Promise<void>((resolvePromise, reject) => {
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise());
  });
  return h.digest('hex');
}

/**
 * The model hash: sha256 over the labelled sha256 digests of `model.onnx`, any external-data files
 * (`*.onnx_data`, `*.onnx.data`), `tokenizer.json` and `tokenizer_config.json` when present — every
 * byte that can change a score. `modelFileSha256`, when given, is the digest of `modelFile` already
 * computed by whoever read it (session.ts's `openModel`), so the largest file is not read twice.
 * Complexity: O(total file size), streamed (less `modelFile` when its digest is given).
 */
export async function modelHash(dir: string, modelFile: string, modelFileSha256?: string): Promise<string> {
  const names = [modelFile];
  for (const f of readdirSync(dir).sort()) if (/\.onnx_data$|\.onnx\.data$/.test(f)) names.push(f);
  names.push('tokenizer.json');
  if (existsSync(join(dir, 'tokenizer_config.json'))) names.push('tokenizer_config.json');
  const outer = createHash('sha256');
  for (const name of names) {
    const digest =
      name === modelFile && modelFileSha256 !== undefined ? modelFileSha256 : await hashFile(join(dir, name));
    outer.update(`${name}\0${digest}\n`);
  }
  return outer.digest('hex');
}

function isCachedScore(v: unknown): v is { k: string; p: number; n: number; t: number; q: number } {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o['k'] === 'string' &&
    typeof o['p'] === 'number' &&
    typeof o['n'] === 'number' &&
    typeof o['t'] === 'number' &&
    typeof o['q'] === 'number'
  );
}

/** A file-backed, append-only score cache for one model. */
export class ScoreCache {
  /** The JSONL file. */
  readonly path: string;
  private readonly entries = new Map<string, CachedScore>();
  private needsNewline = false;
  /** Lines skipped at load because they did not parse (e.g. a truncated last line). */
  readonly skippedLines: number;

  private constructor(path: string) {
    this.path = path;
    let skipped = 0;
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      this.needsNewline = text.length > 0 && !text.endsWith('\n');
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          const v: unknown = JSON.parse(line);
          if (!isCachedScore(v)) {
            skipped++;
            continue;
          }
          this.entries.set(v.k, { perplexity: v.p, meanNll: v.n, tokens: v.t, predictions: v.q });
        } catch {
          skipped++;
        }
      }
    }
    this.skippedLines = skipped;
  }

  /**
   * Open (creating the directory) the cache of model `hash` in `dir`. Complexity: O(file size).
   * @throws MechlabError ERR_INVALID_INPUT naming `cache` when the directory cannot be created
   */
  static open(dir: string, hash: string): ScoreCache {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `cache: cannot create ${dir} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
        'cache',
      );
    }
    return new ScoreCache(join(dir, `${hash}.jsonl`));
  }

  /** Number of cached scores. */
  get size(): number {
    return this.entries.size;
  }

  /** The cached score under `key`, if any. Complexity: O(1). */
  get(key: string): CachedScore | undefined {
    return this.entries.get(key);
  }

  /** Add scores and append them to the file in one write. Complexity: O(entries). */
  putMany(items: readonly (readonly [string, CachedScore])[]): void {
    if (items.length === 0) return;
    let text = this.needsNewline ? '\n' : '';
    for (const [k, s] of items) {
      this.entries.set(k, s);
      text += JSON.stringify({ k, p: s.perplexity, n: s.meanNll, t: s.tokens, q: s.predictions }) + '\n';
    }
    appendFileSync(this.path, text);
    this.needsNewline = false;
  }
}
