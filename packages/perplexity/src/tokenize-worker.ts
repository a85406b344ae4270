/**
 * The tokenizer worker thread (issue 15, Deliver 2): onnxruntime-node's `session.run` runs the CPU
 * execution provider on the JS thread (measured: 0 event-loop ticks during a batch), so the next window
 * of texts is tokenised here, on its own thread, while the main thread sits in `session.run`.
 * Protocol: {@link TokenizeRequest} in, {@link TokenizeReply} out, one reply per request, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTokenizer, type BosMode, type LoadedTokenizer } from './tokenizer';

/** What the worker is started with. */
export interface TokenizeWorkerData {
  readonly dir: string;
  readonly bos: BosMode;
}

/** One window of texts to encode (`encodePrefix(text, maxTokens)` each). */
export interface TokenizeRequest {
  readonly id: number;
  readonly texts: readonly string[];
  readonly maxTokens: number;
}

/**
 * Ids of text `k` are `flat[offsets[k] .. offsets[k+1])`; on failure `index` is the text that failed
 * (−1: the tokenizer itself could not be loaded) and `field`/`code` those of a MechlabError, if any.
 */
export type TokenizeReply =
  | { readonly id: number; readonly ok: true; readonly flat: Int32Array; readonly offsets: Int32Array }
  | {
      readonly id: number;
      readonly ok: false;
      readonly index: number;
      readonly message: string;
      readonly code: string | undefined;
    };

/** Encode one window into one flat buffer (transferred, not copied, back to the main thread). */
export function encodeWindow(
  tok: Pick<LoadedTokenizer, 'encodePrefix'>,
  texts: readonly string[],
  maxTokens: number,
): { flat: Int32Array; offsets: Int32Array } | { index: number; error: unknown } {
  const parts: number[][] = [];
  const offsets = new Int32Array(texts.length + 1);
  for (let k = 0; k < texts.length; k++) {
    try {
      parts.push(tok.encodePrefix(texts[k]!, maxTokens));
    } catch (error) {
      return { index: k, error };
    }
    offsets[k + 1] = offsets[k]! + parts[k]!.length;
  }
  const flat = new Int32Array(offsets[texts.length]!);
  parts.forEach((ids, k) => flat.set(ids, offsets[k]!));
  return { flat, offsets };
}

function serve(port: NonNullable<typeof parentPort>, data: TokenizeWorkerData): void {
  let tok: LoadedTokenizer | undefined;
  let loadError: unknown;
  try {
    tok = loadTokenizer(data.dir, data.bos);
  } catch (e) {
    loadError = e;
  }
  const fail = (id: number, index: number, e: unknown): void => {
    const code = (e as { code?: unknown }).code;
    const reply: TokenizeReply = {
      id,
      ok: false,
      index,
      message: e instanceof Error ? e.message : String(e),
      code: typeof code === 'string' ? code : undefined,
    };
    port.postMessage(reply);
  };
  port.on('message', (req: TokenizeRequest) => {
    if (tok === undefined) return fail(req.id, -1, loadError);
    const r = encodeWindow(tok, req.texts, req.maxTokens);
    if ('error' in r) return fail(req.id, r.index, r.error);
    const reply: TokenizeReply = { id: req.id, ok: true, flat: r.flat, offsets: r.offsets };
    port.postMessage(reply, [r.flat.buffer as ArrayBuffer, r.offsets.buffer as ArrayBuffer]);
  });
}

if (parentPort !== null && (workerData as { tokenizeWorker?: unknown } | null)?.tokenizeWorker === true) {
  serve(parentPort, workerData as TokenizeWorkerData);
}
