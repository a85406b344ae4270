/**
 * Hashed sparse features of a question — the input of both classifiers: Player F's offline C and
 * Player G's online π̂ (MODELS.md §2: "logistic regression on hashed text + metadata").
 *
 * Row layout (dimension 2^bits, default 2^18):
 * - indices 0–7, dense metadata: bias 1; ln(1+#title tokens)/3; ln(1+#body tokens)/5; #tags/5; title
 *   ends with "?"; ½·sin and ½·cos of the UTC hour angle; UTC weekend flag;
 * - hashed namespaces (index 8 + h mod (2^bits − 8)): title tokens, the first `bodyTokens` body tokens,
 *   tags, community. Within a namespace each occurrence adds 1/√(#tokens in the namespace) (a
 *   length-normalised term frequency); colliding entries are summed.
 *
 * The view count is never a feature. Time O(text length) per question.
 */
import { fmix32, hashString, tokenBuffer, tokenizeInto } from './tokens';
import type { Question } from './types';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { PI, cos, log1p, max, sin, sqrt } = Math;

/** Compressed sparse rows (CSR): row r's entries are `indices/values[indptr[r] .. indptr[r+1])`. */
export interface SparseRows {
  rows: number;
  dim: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Options of `hashFeatures`. */
export interface FeatureOptions {
  /** log2 of the feature dimension (default 18). */
  bits?: number;
  /** Body tokens used (default 64, the paper's perplexity window). */
  bodyTokens?: number;
}

const DENSE = 8;
/** Dense accumulator reused across calls (it is left all-zero after every row). */
let scratch: { acc: Float64Array; touched: Int32Array } | null = null;
const NS_TITLE = 0x51ed270b;
const NS_BODY = 0x2f6b93a1;
const NS_TAG = 0x7c159e3d;
const NS_COMMUNITY = 0x6a09e667;

/**
 * Hash the features of every question into CSR form. O(Σ text length + nnz log nnz_row).
 * @example hashFeatures([q]).indptr // Int32Array [0, nnz]
 */
export function hashFeatures(questions: readonly Question[], opts: FeatureOptions = {}): SparseRows {
  const bits = opts.bits ?? 18;
  const bodyTokens = opts.bodyTokens ?? 64;
  const dim = 2 ** bits;
  const hashed = dim - DENSE;
  if (scratch === null || scratch.acc.length !== dim)
    scratch = { acc: new Float64Array(dim), touched: new Int32Array(dim) };
  const { acc, touched } = scratch; // all zero between calls
  const indptr = new Int32Array(questions.length + 1);
  let indices = new Int32Array(max(16, questions.length * 64));
  let values = new Float32Array(indices.length);
  let nnz = 0;
  let nt = 0;
  const touch = (idx: number, v: number): void => {
    if (acc[idx] === 0) touched[nt++] = idx;
    acc[idx]! += v;
    if (acc[idx] === 0) acc[idx] = 1e-30; // keep the slot marked as touched
  };
  /** Add tokens buf[0..n) of namespace `ns`, each weighted 1/√n. */
  const addNamespace = (buf: Uint32Array, n: number, ns: number): void => {
    const s = 1 / sqrt(n || 1);
    for (let t = 0; t < n; t++) touch(DENSE + (fmix32(buf[t]! ^ ns) % hashed), s);
  };
  const small = new Uint32Array(64);
  for (let r = 0; r < questions.length; r++) {
    const q = questions[r]!;
    nt = 0;
    let buf = tokenBuffer(q.title.length);
    const nTitle = tokenizeInto(q.title, Infinity, buf);
    addNamespace(buf, nTitle, NS_TITLE);
    buf = tokenBuffer(q.body.length);
    const nBody = tokenizeInto(q.body, bodyTokens, buf);
    addNamespace(buf, nBody, NS_BODY);
    const tags = q.tags.length <= small.length ? small : new Uint32Array(q.tags.length);
    for (let t = 0; t < q.tags.length; t++) tags[t] = hashString(q.tags[t]!.toLowerCase());
    addNamespace(tags, q.tags.length, NS_TAG);
    small[0] = hashString(q.community);
    addNamespace(small, 1, NS_COMMUNITY);
    const d = new Date(q.creationDate);
    const hour = ((d.getUTCHours() + d.getUTCMinutes() / 60) * PI) / 12;
    const dense = [
      1,
      log1p(nTitle) / 3,
      log1p(nBody) / 5,
      q.tags.length / 5,
      q.title.trimEnd().endsWith('?') ? 1 : 0,
      0.5 * sin(hour),
      0.5 * cos(hour),
      d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1 : 0,
    ];
    for (let j = 0; j < DENSE; j++) if (dense[j] !== 0) touch(j, dense[j]!);
    const sorted = touched.subarray(0, nt).sort();
    if (nnz + nt > indices.length) {
      const cap = max(indices.length * 2, nnz + nt);
      const ni = new Int32Array(cap);
      ni.set(indices.subarray(0, nnz));
      indices = ni;
      const nv = new Float32Array(cap);
      nv.set(values.subarray(0, nnz));
      values = nv;
    }
    for (let t = 0; t < nt; t++) {
      const idx = sorted[t]!;
      indices[nnz] = idx;
      values[nnz++] = acc[idx]!;
      acc[idx] = 0;
    }
    indptr[r + 1] = nnz;
  }
  return {
    rows: questions.length,
    dim,
    indptr,
    indices: indices.slice(0, nnz),
    values: values.slice(0, nnz),
  };
}
