/**
 * The reduction kernel interface (STYLE.md §3, "one interface, many backends"): from a batch of logits
 * `[batch, seq, vocab]`, the log-probability of each position's target token under the log-softmax of
 * its row — `log p(target[b,t]) = logits[b,t,target] − logsumexp_v logits[b,t,v]` — for unmasked
 * positions. The per-sequence mean (the last step of MODELS.md §3) is {@link meanLogProbs}, shared by
 * every backend.
 */

/** Names of the available reduction backends. */
export type ReductionBackendName = 'js' | 'gpujs';

/** Shape of a logits tensor, row-major. */
export interface LogitsDims {
  readonly batch: number;
  readonly seq: number;
  readonly vocab: number;
}

/** A batched log-softmax + gather kernel. */
export interface ReductionBackend {
  readonly name: ReductionBackendName;
  /**
   * What actually ran: `'js'` for the reference; for gpu.js the mode of the kernel it really built
   * (`'webasm'`, `'cpu'`, `'webgpu'`, `'headlessgl'`, …) — known after the first call, `'pending'` before.
   */
  readonly mode: string;
  /** Why a requested gpu.js mode was not obtained, when it was not. */
  readonly fallbackReason: string | undefined;
  /**
   * `out[r] = log p(targets[r])` for every flat position `r = b·seq + t` with `mask[r] = 1`, and `0` for
   * masked positions. Non-finite logits yield `NaN` at that position (the scorer turns it into an error).
   * Complexity: O(batch·seq·vocab).
   */
  logProbs(
    logits: Float32Array,
    dims: LogitsDims,
    targets: Int32Array,
    mask: Uint8Array,
  ): Promise<Float64Array>;
  /** Release native/worker resources; the backend is unusable afterwards. */
  dispose(): Promise<void>;
}

/**
 * Per-sequence sum of masked log-probabilities and count of masked positions.
 * Complexity: O(batch·seq).
 */
export function meanLogProbs(
  logProbs: Float64Array | Float32Array,
  dims: Pick<LogitsDims, 'batch' | 'seq'>,
  mask: Uint8Array,
): { sum: Float64Array; count: Int32Array } {
  const sum = new Float64Array(dims.batch);
  const count = new Int32Array(dims.batch);
  for (let b = 0; b < dims.batch; b++) {
    let s = 0;
    let n = 0;
    for (let t = 0; t < dims.seq; t++) {
      const r = b * dims.seq + t;
      if (mask[r] === 1) {
        s += logProbs[r]!;
        n++;
      }
    }
    sum[b] = s;
    count[b] = n;
  }
  return { sum, count };
}

/** Shared argument checks. @throws RangeError on inconsistent lengths */
export function checkReductionArgs(
  logits: Float32Array,
  dims: LogitsDims,
  targets: Int32Array,
  mask: Uint8Array,
): void {
  const rows = dims.batch * dims.seq;
  if (logits.length !== rows * dims.vocab) {
    throw new RangeError(
      `logits has ${logits.length} values, dims [${dims.batch}, ${dims.seq}, ${dims.vocab}] need ${rows * dims.vocab}`,
    );
  }
  if (targets.length !== rows || mask.length !== rows) {
    throw new RangeError(`targets and mask need ${rows} entries, got ${targets.length} and ${mask.length}`);
  }
  for (let r = 0; r < rows; r++) {
    if (mask[r] === 1) {
      const t = targets[r]!;
      if (t < 0 || t >= dims.vocab)
        throw new RangeError(`targets[${r}] must be in [0, ${dims.vocab}), got ${t}`);
    }
  }
}
