/**
 * `mechlab score --model DIR --input F.jsonl [--tokens 64] [--batch 32]` as a library function the CLI
 * wraps thinly (FORMATS.md): it validates the whole input first (so bad input produces no output at
 * all), then streams `{"id", "perplexity", "tokens"}` rows in input order as each window of
 * 4 batches finishes (the span sorted into length buckets), reporting progress after every window.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { MechlabError, parseWithSchema } from '@mechlab/core';
import type { GpuJsMode } from './reduction/gpujs';
import { DEFAULT_BATCH, DEFAULT_TOKENS, scoreCommandOptionsSchema, scoreInputRowSchema } from './schemas';
import { loadScorer } from './scorer';
import type { ScoreResult, ScorerBackendName, ScorerInfo } from './scorer-types';
import type { Provider, ProviderRequest } from './session';
import type { BosMode } from './tokenizer';

/** One output row (the JSONL contract of FORMATS.md). */
export interface ScoreRow {
  readonly id: string | number;
  readonly perplexity: number;
  readonly tokens: number;
}

/** Progress after each batch. */
export interface ScoreProgress {
  readonly done: number;
  readonly total: number;
  readonly cached: number;
  readonly scored: number;
  readonly elapsedMs: number;
  /** Predicted tokens per second of model + reduction work so far (cache hits excluded). */
  readonly tokensPerSecond: number;
}

/** What {@link runScoreCommand} resolves to. */
export interface ScoreSummary {
  readonly rows: number;
  readonly cached: number;
  readonly scored: number;
  readonly elapsedMs: number;
  readonly tokensPerSecond: number;
  readonly provider: Provider;
  readonly providerNote: string | undefined;
  readonly backend: ScorerBackendName;
  readonly backendMode: string;
  /** Why the requested backend did not run, when it did not. */
  readonly backendFallback: string | undefined;
  readonly info: ScorerInfo;
}

/** Options of {@link runScoreCommand}. */
export interface ScoreCommandOptions {
  /** Model directory (default: the embedded tiny LM). */
  readonly model?: string;
  /** JSONL input: one `{"id"?: string|number, "text": string}` per line; blank lines are skipped. */
  readonly input: string;
  readonly tokens?: number;
  readonly batch?: number;
  readonly cache?: string | false;
  readonly backend?: ScorerBackendName;
  readonly maxLogitsBytes?: number;
  readonly gpujsMode?: GpuJsMode;
  readonly provider?: ProviderRequest;
  readonly bos?: BosMode;
  readonly intraOpNumThreads?: number;
  /** Receives each output row, in input order, as soon as its batch is done. */
  readonly onRow: (row: ScoreRow) => void;
  readonly onProgress?: (progress: ScoreProgress) => void;
}

interface InputRecord {
  readonly id: string | number;
  readonly text: string;
  readonly lineNo: number;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (v === undefined) return 'nothing';
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

function parseLine(line: string, lineNo: number, index: number): InputRecord {
  const field = `input line ${lineNo}`;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw new MechlabError('ERR_INVALID_INPUT', `${field}: not valid JSON (${(e as Error).message})`, field);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MechlabError(
      'ERR_INVALID_TYPE',
      `${field}: must be a JSON object, got ${describe(value)}`,
      field,
    );
  }
  const r = scoreInputRowSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const key = String(issue.path[0] ?? 'text');
    const got = (value as Record<string, unknown>)[key];
    if (key === 'id') {
      throw new MechlabError(
        'ERR_INVALID_TYPE',
        `${field}: "id" must be a string or a number, got ${describe(got)}`,
        field,
      );
    }
    const code = typeof got === 'string' ? 'ERR_INVALID_INPUT' : 'ERR_INVALID_TYPE';
    throw new MechlabError(code, `${field}: "text" must be a non-empty string, got ${describe(got)}`, field);
  }
  return { id: r.data.id ?? index, text: r.data.text, lineNo };
}

async function* records(path: string): AsyncGenerator<InputRecord> {
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  let index = 0;
  try {
    for await (const line of rl) {
      lineNo++;
      if (line.trim() === '') continue;
      yield parseLine(line, lineNo, index++);
    }
  } finally {
    rl.close();
  }
}

/**
 * Score every text of a JSONL file, streaming rows through `onRow` window by window (input order kept).
 * Pass 1 validates and counts the input (bad input rejects before any row is emitted); pass 2 streams
 * the records through `Scorer.scoreStream`: windows of 4 · `batch` texts, hits from the cache,
 * misses sorted into length-bucketed padded batches, the next windows tokenised on a worker thread
 * while the session runs. A tokenisation error names its input line.
 * Complexity: O(rows) I/O plus the scorer's work on cache misses.
 * @throws MechlabError (rejects) — `input: F not found`, `input line N: "text" must be a non-empty
 *   string, got …`, and every `loadScorer` error
 * @example
 * await runScoreCommand({ input: 'q.jsonl', onRow: (r) => console.log(JSON.stringify(r)) });
 * // {"id":"q1","perplexity":23.080470181850117,"tokens":9}
 */
export async function runScoreCommand(options: ScoreCommandOptions): Promise<ScoreSummary> {
  const { onRow, onProgress, ...rest } = options;
  if (typeof onRow !== 'function')
    throw new MechlabError('ERR_INVALID_TYPE', 'onRow must be a function', 'onRow');
  const opts = parseWithSchema(scoreCommandOptionsSchema, rest, 'options');
  if (!existsSync(opts.input) || !statSync(opts.input).isFile()) {
    throw new MechlabError('ERR_INVALID_INPUT', `input: ${opts.input} not found`, 'input');
  }
  let total = 0;
  for await (const _record of records(opts.input)) total++;
  const batch = opts.batch ?? DEFAULT_BATCH;
  const tokens = opts.tokens ?? DEFAULT_TOKENS;
  const scorer = await loadScorer(opts.model, {
    tokens,
    batch,
    ...(opts.backend !== undefined ? { backend: opts.backend } : {}),
    ...(opts.maxLogitsBytes !== undefined ? { maxLogitsBytes: opts.maxLogitsBytes } : {}),
    ...(opts.gpujsMode !== undefined ? { gpujsMode: opts.gpujsMode } : {}),
    ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
    ...(opts.bos !== undefined ? { bos: opts.bos } : {}),
    ...(opts.cache !== undefined ? { cache: opts.cache } : {}),
    ...(opts.intraOpNumThreads !== undefined ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
  });
  const t0 = performance.now();
  let done = 0;
  let cached = 0;
  let scored = 0;
  let workMs = 0;
  let predicted = 0;
  // Records read by the scorer but not yet answered, in order (at most the windows in flight).
  const waiting: InputRecord[] = [];
  async function* texts(): AsyncGenerator<string> {
    for await (const rec of records(opts.input)) {
      waiting.push(rec);
      yield rec.text;
    }
  }
  const emit = (results: readonly ScoreResult[], tw: number): void => {
    const fresh = results.filter((r) => r.status === 'scored');
    if (fresh.length > 0) {
      workMs += performance.now() - tw;
      for (const r of fresh) predicted += r.predictions;
    }
    for (const r of results) {
      const rec = waiting.shift()!;
      onRow({ id: rec.id, perplexity: r.perplexity, tokens: r.tokens });
      if (r.status === 'cached') cached++;
      else scored++;
    }
    done += results.length;
    onProgress?.({
      done,
      total,
      cached,
      scored,
      elapsedMs: performance.now() - t0,
      tokensPerSecond: workMs > 0 ? (predicted * 1000) / workMs : 0,
    });
  };
  try {
    // Text `i` of the stream is waiting[i − done] (records still in flight): errors name its line.
    const label = (i: number): string => `input line ${waiting[i - done]?.lineNo ?? '?'}`;
    let tw = performance.now();
    for await (const results of scorer.scoreStream(texts(), { tokens, batch }, label)) {
      emit(results, tw);
      tw = performance.now();
    }
    const info = scorer.info;
    return {
      rows: done,
      cached,
      scored,
      elapsedMs: performance.now() - t0,
      tokensPerSecond: workMs > 0 ? (predicted * 1000) / workMs : 0,
      provider: info.provider,
      providerNote: info.providerNote,
      backend: info.backend,
      backendMode: info.backendMode,
      backendFallback: info.backendFallback,
      info,
    };
  } finally {
    await scorer.close();
  }
}
