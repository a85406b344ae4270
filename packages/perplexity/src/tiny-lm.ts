/**
 * The project's own tiny causal LM: a low-rank bigram model over the real GPT-2 vocabulary, fitted from
 * counts on the synthetic question corpus and written as a standard ONNX causal LM
 * (`input_ids`, `attention_mask` [, `position_ids`] → `logits [batch, seq, 50257]`).
 *
 * Construction (deterministic, seeded; ~1 s):
 * 1. Tokenise `documents` synthetic questions with GPT-2 BPE; each document is framed as
 *    `<|endoftext|> tokens… <|endoftext|>`; count bigrams `C[i][j]` over the `m` token ids seen.
 * 2. Smoothed conditional `P(j|i) = λ_i·C_ij/C_i + (1−λ_i)·P_u(j)` (Witten–Bell `λ_i = C_i/(C_i+T_i)`,
 *    `T_i` = distinct successors; add-δ unigram `P_u` over all 50,257 ids, δ = 0.01).
 * 3. `L_ij = log P(j|i)` on seen × seen, doubly centred: `r_i` = row mean, `b_j = Σ_i p_i (L_ij − r_i)`
 *    with context frequencies `p_i`; residual `R = L − r − b`.
 * 4. Rank-`d` projection: `V` = top-`d` eigenvectors of `Rᵀ diag(p) R` (subspace iteration), then
 *    `E_i = R_i V` (context embedding) and `W = Vᵀ` (output projection).
 * 5. Unseen targets get `W = 0` and one shared bias `b_u = Σ_i p_i (log((1−λ_i)P_u(unseen)) − r_i)`;
 *    unseen contexts get `E = 0`, i.e. logits = bias (a unigram-like fallback).
 *
 * ONNX graph: `rows = Gather(row_map, input_ids)`, `h = Gather(E⁺, rows)`, `logits = MatMul(h, W⁺)`,
 * where `E⁺ = [E | 1]` (`(m+1) × (d+1)`, last row the unseen context) and `W⁺ = [W ; bias]`
 * (`(d+1) × 50257`), so the bias rides in the same MatMul. A bigram LM's logits at position t depend only
 * on token t, so it is causal by construction; `attention_mask` is declared (the standard interface) and
 * ignored. With `positionIds: true` the graph also takes `position_ids` and adds
 * `position_ids[b,t] · u` (a fixed `[vocab]` vector): a test fixture proving the scorer feeds positions.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encode as gpt2Encode } from 'gpt-3-encoder';
import { Rng, type SeedKey } from '@mechlab/core';
import { syntheticQuestions } from './corpus';
import { GPT2_EOT_ID, GPT2_VOCAB_SIZE, gpt2TokenizerConfig, gpt2TokenizerJsonText } from './gpt2-tokenizer';
import { topEigenvectors } from './linalg';
import { encodeOnnxModel, type OnnxGraphSpec, type OnnxNodeSpec } from './onnx-builder';
import { publishModelDir } from './model-dir';

/** Bump when the construction changes: a cached model with another version is rebuilt. */
export const TINY_LM_VERSION = 1;

/** Options of {@link fitTinyLm} / {@link writeTinyModel}. */
export interface TinyLmOptions {
  /** Rank `d` of the bigram factorisation (default 16 → a 3.7 MB ONNX file). */
  readonly rank?: number;
  /** Synthetic training documents (default 4000). */
  readonly documents?: number;
  /** Corpus and subspace-iteration seed (default 1). */
  readonly seed?: SeedKey;
  /** Declare and use a `position_ids` input (test fixture; default false). */
  readonly positionIds?: boolean;
}

/** The fitted parameters, exactly what goes into the ONNX initializers. */
export interface TinyLmTables {
  readonly vocab: number;
  readonly rank: number;
  /** Distinct context rows including the final "unseen" row (`m + 1`). */
  readonly rows: number;
  /** `[vocab]` token id → row of `embed` (unseen ids → `rows − 1`). */
  readonly rowMap: Int32Array;
  /** `[rows, rank + 1]` row-major; last column is 1. */
  readonly embed: Float32Array;
  /** `[rank + 1, vocab]` row-major; last row is the bias. */
  readonly project: Float32Array;
  /** `[vocab]` per-position logit offset (only with `positionIds`). */
  readonly positionVector: Float32Array | undefined;
  /** Training statistics. */
  readonly trainingTokens: number;
  readonly documents: number;
}

const DELTA = 0.01;

/**
 * Fit the tiny LM (steps 1–5 of the module comment). Deterministic in `options`.
 * Complexity: O(T + m²·d·iterations) for T training tokens and m distinct tokens (m ≈ 500).
 */
export function fitTinyLm(options: TinyLmOptions = {}): TinyLmTables {
  const rank = options.rank ?? 16;
  const documents = options.documents ?? 4000;
  const seed = options.seed ?? 1;
  const V = GPT2_VOCAB_SIZE;

  // 1. Tokenise and collect the seen ids.
  const sequences: number[][] = [];
  const seen = new Map<number, number>(); // id → compact index
  const index = (id: number): number => {
    let k = seen.get(id);
    if (k === undefined) {
      k = seen.size;
      seen.set(id, k);
    }
    return k;
  };
  index(GPT2_EOT_ID);
  for (const q of syntheticQuestions(documents, seed)) {
    const ids = [GPT2_EOT_ID, ...gpt2Encode(q.text), GPT2_EOT_ID];
    for (const id of ids) index(id);
    sequences.push(ids);
  }
  const m = seen.size;
  const counts = new Float64Array(m * m);
  const rowTotal = new Float64Array(m);
  const unigram = new Float64Array(m);
  let N = 0;
  for (const ids of sequences) {
    for (let t = 1; t < ids.length; t++) {
      const i = seen.get(ids[t - 1]!)!;
      const j = seen.get(ids[t]!)!;
      counts[i * m + j]! += 1;
      rowTotal[i]! += 1;
      unigram[j]! += 1;
      N++;
    }
  }

  // 2. Smoothed conditionals on seen × seen, plus the per-context mass left for each unseen id.
  const denomU = N + DELTA * V;
  const L = new Float64Array(m * m);
  const logUnseen = new Float64Array(m); // log((1−λ_i)·P_u(unseen))
  for (let i = 0; i < m; i++) {
    let types = 0;
    for (let j = 0; j < m; j++) if (counts[i * m + j]! > 0) types++;
    const Ci = rowTotal[i]!;
    const lambda = Ci > 0 ? Ci / (Ci + types) : 0;
    for (let j = 0; j < m; j++) {
      const pu = (unigram[j]! + DELTA) / denomU;
      const pc = Ci > 0 ? counts[i * m + j]! / Ci : 0;
      L[i * m + j] = Math.log(lambda * pc + (1 - lambda) * pu);
    }
    logUnseen[i] = Math.log((1 - lambda) * (DELTA / denomU));
  }

  // 3. Double centring with context frequencies p_i.
  const p = new Float64Array(m);
  for (let i = 0; i < m; i++) p[i] = rowTotal[i]! / N;
  const r = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += L[i * m + j]!;
    r[i] = s / m;
  }
  const b = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += p[i]! * (L[i * m + j]! - r[i]!);
    b[j] = s;
  }
  let bUnseen = 0;
  for (let i = 0; i < m; i++) bUnseen += p[i]! * (logUnseen[i]! - r[i]!);
  const R = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) R[i * m + j] = L[i * m + j]! - r[i]! - b[j]!;

  // 4. Top-d right singular subspace of diag(√p)·R, i.e. eigenvectors of Rᵀ diag(p) R.
  const apply = (Y: Float64Array, k: number): Float64Array => {
    const Z = new Float64Array(m * k); // diag(p) R Y
    for (let i = 0; i < m; i++) {
      const pi = p[i]!;
      if (pi === 0) continue;
      for (let j = 0; j < m; j++) {
        const rij = R[i * m + j]! * pi;
        if (rij === 0) continue;
        for (let c = 0; c < k; c++) Z[i * k + c]! += rij * Y[j * k + c]!;
      }
    }
    const out = new Float64Array(m * k); // Rᵀ Z
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const rij = R[i * m + j]!;
        for (let c = 0; c < k; c++) out[j * k + c]! += rij * Z[i * k + c]!;
      }
    }
    return out;
  };
  const d = Math.min(rank, m);
  const { vectors: Vt } = topEigenvectors(apply, m, d, Rng.fromPath([seed, 'perplexity.tiny-lm.svd']));

  // 5. Assemble E⁺ (rows = m seen contexts + 1 unseen) and W⁺ = [Vᵀ ; bias] over the full vocabulary.
  const ids = [...seen.keys()];
  const rows = m + 1;
  const width = d + 1;
  const embed = new Float32Array(rows * width);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += R[i * m + j]! * Vt[j * d + c]!;
      embed[i * width + c] = s;
    }
    embed[i * width + d] = 1;
  }
  embed[m * width + d] = 1; // unseen context: logits = bias
  const rowMap = new Int32Array(V).fill(m);
  const project = new Float32Array(width * V);
  project.fill(bUnseen, d * V, (d + 1) * V);
  ids.forEach((id, j) => {
    rowMap[id] = j;
    for (let c = 0; c < d; c++) project[c * V + id] = Vt[j * d + c]!;
    project[d * V + id] = b[j]!;
  });
  let positionVector: Float32Array | undefined;
  if (options.positionIds) {
    // A deterministic, non-trivial per-position tilt: small enough to keep it a sensible LM.
    const rng = Rng.fromPath([seed, 'perplexity.tiny-lm.positions']);
    positionVector = new Float32Array(V);
    for (let v = 0; v < V; v++) positionVector[v] = rng.uniform(-0.05, 0.05);
  }
  return {
    vocab: V,
    rank: d,
    rows,
    rowMap,
    embed,
    project,
    positionVector,
    trainingTokens: N,
    documents,
  };
}

/**
 * The ONNX graph of a fitted tiny LM (see the module comment).
 * Complexity: O(1) (tensors are referenced, not copied).
 */
export function tinyLmGraph(tables: TinyLmTables, metadata: Record<string, string> = {}): OnnxGraphSpec {
  const withPositions = tables.positionVector !== undefined;
  const nodes: OnnxNodeSpec[] = [
    { op: 'Gather', inputs: ['row_map', 'input_ids'], outputs: ['rows'], attributes: { axis: 0 } },
    { op: 'Gather', inputs: ['embed', 'rows'], outputs: ['hidden'], attributes: { axis: 0 } },
    { op: 'MatMul', inputs: ['hidden', 'project'], outputs: [withPositions ? 'bigram_logits' : 'logits'] },
  ];
  const initializers: OnnxGraphSpec['initializers'][number][] = [
    { name: 'row_map', type: 'int32', dims: [tables.vocab], data: tables.rowMap },
    { name: 'embed', type: 'float32', dims: [tables.rows, tables.rank + 1], data: tables.embed },
    { name: 'project', type: 'float32', dims: [tables.rank + 1, tables.vocab], data: tables.project },
  ];
  if (tables.positionVector !== undefined) {
    initializers.push(
      { name: 'position_vector', type: 'float32', dims: [tables.vocab], data: tables.positionVector },
      { name: 'unsqueeze_axes', type: 'int64', dims: [1], data: new BigInt64Array([2n]) },
    );
    nodes.push(
      { op: 'Cast', inputs: ['position_ids'], outputs: ['positions_f'], attributes: { to: 1 } },
      { op: 'Unsqueeze', inputs: ['positions_f', 'unsqueeze_axes'], outputs: ['positions_3d'] },
      { op: 'Mul', inputs: ['positions_3d', 'position_vector'], outputs: ['position_logits'] },
      { op: 'Add', inputs: ['bigram_logits', 'position_logits'], outputs: ['logits'] },
    );
  }
  return {
    name: 'mechlab-tiny-bigram-lm',
    inputs: [
      { name: 'input_ids', type: 'int64', shape: ['batch', 'sequence'] },
      { name: 'attention_mask', type: 'int64', shape: ['batch', 'sequence'] },
      ...(withPositions
        ? [{ name: 'position_ids', type: 'int64' as const, shape: ['batch', 'sequence'] }]
        : []),
    ],
    outputs: [{ name: 'logits', type: 'float32', shape: ['batch', 'sequence', tables.vocab] }],
    initializers,
    nodes,
    metadata,
  };
}

/** What {@link writeTinyModel} records in `manifest.json`. */
export interface TinyModelManifest {
  readonly version: number;
  readonly rank: number;
  readonly documents: number;
  readonly seed: SeedKey;
  readonly positionIds: boolean;
  readonly trainingTokens: number;
  readonly contexts: number;
  readonly modelBytes: number;
  readonly modelSha256: string;
}

function manifestMatches(dir: string, options: TinyLmOptions): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Partial<TinyModelManifest>;
    return (
      m.version === TINY_LM_VERSION &&
      m.rank === (options.rank ?? 16) &&
      m.documents === (options.documents ?? 4000) &&
      m.seed === (options.seed ?? 1) &&
      m.positionIds === (options.positionIds ?? false) &&
      existsSync(join(dir, 'model.onnx')) &&
      existsSync(join(dir, 'tokenizer.json'))
    );
  } catch {
    return false;
  }
}

/**
 * Fit the tiny LM and write a complete model directory: `model.onnx`, `tokenizer.json` (GPT-2),
 * `tokenizer_config.json` (BOS = `<|endoftext|>`), `manifest.json`. Files are written into a fresh
 * sibling directory and renamed into place, so concurrent writers never expose a half-written model.
 * Complexity: one {@link fitTinyLm} plus ~6 MB of writes.
 * @returns the manifest
 */
export function writeTinyModel(dir: string, options: TinyLmOptions = {}): TinyModelManifest {
  const tables = fitTinyLm(options);
  const manifestBase = {
    version: TINY_LM_VERSION,
    rank: tables.rank,
    documents: tables.documents,
    seed: options.seed ?? 1,
    positionIds: options.positionIds ?? false,
    trainingTokens: tables.trainingTokens,
    contexts: tables.rows - 1,
  };
  const bytes = encodeOnnxModel(tinyLmGraph(tables, { 'mechlab.tiny_lm': JSON.stringify(manifestBase) }));
  const manifest: TinyModelManifest = {
    ...manifestBase,
    modelBytes: bytes.length,
    modelSha256: createHash('sha256').update(bytes).digest('hex'),
  };
  publishModelDir(
    dir,
    {
      'model.onnx': bytes,
      'tokenizer.json': gpt2TokenizerJsonText(),
      'tokenizer_config.json': JSON.stringify(gpt2TokenizerConfig(), null, 2) + '\n',
      'manifest.json': JSON.stringify(manifest, null, 2) + '\n',
    },
    (target) => manifestMatches(target, options),
  );
  return manifest;
}

/**
 * Default location of the embedded tiny model: `packages/perplexity/build/tiny-lm` — generated, and
 * `build/` is ignored by git, prettier and eslint alike (root config). `MECHLAB_TINY_LM_DIR` overrides.
 * Complexity: O(1).
 */
export function defaultTinyModelDir(): string {
  return process.env['MECHLAB_TINY_LM_DIR'] ?? resolve(__dirname, '..', 'build', 'tiny-lm');
}

/**
 * Path of a ready tiny-LM directory, building it (≈1–2 s, once) when absent or stale. Falls back to a
 * directory under the OS temp dir when the default location is not writable (e.g. a read-only install).
 * Complexity: O(1) when cached, else one {@link writeTinyModel}.
 * @example await ensureTinyModel() // '/…/packages/perplexity/build/tiny-lm'
 */
export async function ensureTinyModel(dir?: string, options: TinyLmOptions = {}): Promise<string> {
  const target = resolve(dir ?? defaultTinyModelDir());
  if (manifestMatches(target, options)) return target;
  try {
    mkdirSync(resolve(target, '..'), { recursive: true });
    writeTinyModel(target, options);
    return target;
  } catch (e) {
    if (dir !== undefined) throw e;
    const fallback = join(tmpdir(), `mechlab-tiny-lm-v${TINY_LM_VERSION}`);
    if (!manifestMatches(fallback, options)) writeTinyModel(fallback, options);
    return fallback;
  }
}
