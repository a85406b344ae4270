/**
 * Tokenising windows of texts, inline or on one worker thread (issue 15, Deliver 2: "a pipeline that
 * tokenises the next batch while the session runs"). Both give the same ids (`encodePrefix`, the same
 * tokenizer files); the worker only moves the work off the thread that `session.run` blocks.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MechlabError } from '@mechlab/core';
import type { LoadedTokenizer } from './tokenizer';
import {
  encodeWindow,
  type TokenizeReply,
  type TokenizeRequest,
  type TokenizeWorkerData,
} from './tokenize-worker';

/** Text `index` of a window failed to tokenise (`index` −1: the tokenizer itself failed). */
export class WindowEncodeError extends Error {
  constructor(
    readonly index: number,
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'WindowEncodeError';
  }
}

/** Encodes windows of texts to their first `maxTokens` ids. */
export interface WindowEncoder {
  readonly kind: 'inline' | 'worker';
  /** Ids of each text, in order. Rejects with {@link WindowEncodeError} or a MechlabError (worker died). */
  encode(texts: readonly string[], maxTokens: number): Promise<Int32Array[]>;
  /** Stop the worker (pending requests reject); idempotent. */
  close(): Promise<void>;
}

function split(flat: Int32Array, offsets: Int32Array): Int32Array[] {
  const out: Int32Array[] = [];
  for (let k = 0; k + 1 < offsets.length; k++) out.push(flat.subarray(offsets[k]!, offsets[k + 1]!));
  return out;
}

function asEncodeError(index: number, e: unknown): WindowEncodeError {
  const code = (e as { code?: unknown }).code;
  return new WindowEncodeError(
    index,
    e instanceof Error ? e.message : String(e),
    typeof code === 'string' ? code : undefined,
  );
}

/** Tokenise on the calling thread. */
export function inlineEncoder(tok: Pick<LoadedTokenizer, 'encodePrefix'>): WindowEncoder {
  return {
    kind: 'inline',
    encode(texts, maxTokens) {
      const r = encodeWindow(tok, texts, maxTokens);
      return 'error' in r
        ? Promise.reject(asEncodeError(r.index, r.error))
        : Promise.resolve(split(r.flat, r.offsets));
    },
    close: () => Promise.resolve(),
  };
}

/**
 * The compiled worker next to this file, or — when running from TypeScript sources (jest, tsx) — the
 * `.ts` entry loaded through tsx with the repository's tsconfig (its `@mechlab/*` paths).
 */
function workerEntry(): { filename: string; execArgv: string[]; env: NodeJS.ProcessEnv } {
  const js = join(__dirname, 'tokenize-worker.js');
  if (existsSync(js)) return { filename: js, execArgv: [], env: process.env };
  return {
    filename: join(__dirname, 'tokenize-worker.ts'),
    // tsx's require hook (an `--import` loader hook does not reach worker threads on Node 20).
    execArgv: ['--require', require.resolve('tsx/cjs')],
    env: { TSX_TSCONFIG_PATH: join(__dirname, '..', '..', '..', 'tsconfig.json'), ...process.env },
  };
}

interface Waiter {
  readonly resolve: (ids: Int32Array[]) => void;
  readonly reject: (e: Error) => void;
}

/**
 * One tokenizer worker thread. Requests are answered in order; the worker holds the event loop only
 * while a request is pending (so an idle scorer never keeps a process alive, and Ctrl-C's default exit
 * takes the thread with it). A crash or exit rejects every pending request with a MechlabError naming
 * `model`, and every later one.
 */
export class WorkerEncoder implements WindowEncoder {
  readonly kind = 'worker' as const;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Waiter>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(data: TokenizeWorkerData) {
    const entry = workerEntry();
    this.worker = new Worker(entry.filename, {
      workerData: { ...data, tokenizeWorker: true },
      execArgv: entry.execArgv,
      env: entry.env,
    });
    this.worker.unref();
    this.worker.on('message', (r: TokenizeReply) => this.reply(r));
    this.worker.on('error', (e: Error) =>
      this.fail(
        new MechlabError('ERR_INVALID_INPUT', `model: tokenizer worker failed (${e.message})`, 'model'),
      ),
    );
    this.worker.on('exit', (code: number) =>
      this.fail(
        new MechlabError('ERR_INVALID_INPUT', `model: tokenizer worker exited (code ${code})`, 'model'),
      ),
    );
  }

  encode(texts: readonly string[], maxTokens: number): Promise<Int32Array[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Int32Array[]>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      const req: TokenizeRequest = { id, texts, maxTokens };
      this.worker.postMessage(req);
    });
  }

  private settle(id: number): Waiter | undefined {
    const w = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    return w;
  }

  private reply(r: TokenizeReply): void {
    const w = this.settle(r.id);
    if (w === undefined) return;
    if (r.ok) w.resolve(split(r.flat, r.offsets));
    else w.reject(new WindowEncodeError(r.index, r.message, r.code));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(this.failure);
  }

  async close(): Promise<void> {
    this.fail(new MechlabError('ERR_INVALID_INPUT', 'scorer: already closed', 'scorer'));
    await this.worker.terminate();
  }
}
