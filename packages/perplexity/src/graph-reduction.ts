/**
 * The reduction inside the model (MODELS.md §3, last step): ONNX graph surgery that appends
 *
 *   log p(x_t) = (logits[t] − m) − log Σ_v exp(logits[v] − m),   m = max_v logits[v]
 *
 * (per position, `t = clamp(mechlab_targets, width − 1)`, picked with GatherElements)
 *
 * to a causal LM, with one new input `mechlab_targets` (int64 `[batch, seq, 1]`, the next token of each
 * fed position) and two new outputs: `mechlab_token_logprobs` (float32 `[batch, seq, 1]`) and
 * `mechlab_logits_shape` (int64 `[3]`, so a width the tokenizer does not fit is still reported). The
 * execution provider then does the full-vocabulary log-softmax with its own vectorised, multi-threaded
 * kernels and only `batch · seq` numbers cross into JavaScript instead of `batch · seq · vocab`.
 *
 * The surgery appends a serialised `ModelProto { graph { node, input, output, initializer } }` to the
 * original bytes: protobuf parses concatenated messages as a merge (repeated fields append), so every
 * byte of the user's model — including fields this package's onnx-proto does not know — is kept as is.
 * The original `logits` / `present.*` outputs stay declared; the scorer simply does not fetch them, so
 * ONNX Runtime never copies them out. The result is written once to
 * `<cache>/graphs/<sha256 of model.onnx>.v1.onnx` (+ a `.json` sidecar saying what was done); the
 * user's file is never modified.
 *
 * Precision: everything runs in float32 on the provider; the exp sum is taken in two stages (chunks of
 * 256) so its rounding error stays a few ulps, and each log-probability carries an absolute error of
 * about one float32 ulp of `|x_t − m|` (≈ 1e-6 for values near 10); the scorer sums them in float64.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeInside } from '@mechlab/io';
import { onnx } from 'onnx-proto';

/** Bump when the appended subgraph changes: cached reduced graphs of another version are not reused. */
export const GRAPH_REDUCTION_VERSION = 1;
/** The appended input: next-token ids, int64 `[batch, seq, 1]`. */
export const TARGETS_INPUT = 'mechlab_targets';
/** The appended output: per-position log-probability of the target, float32 `[batch, seq, 1]`. */
export const LOGPROBS_OUTPUT = 'mechlab_token_logprobs';
/** The appended output: the shape of `logits`, int64 `[3]`. */
export const LOGITS_SHAPE_OUTPUT = 'mechlab_logits_shape';

/** What was learnt from the model's protobuf (whether or not the surgery is possible). */
export interface GraphFacts {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Default-domain opset. */
  readonly opset: number | undefined;
  /** Declared static vocabulary dimension of `logits`. */
  readonly logitsWidth: number | undefined;
  /** Rows of a position-embedding initializer (`wpe`, `*position_embeddings*`), if one is found. */
  readonly positionRows: { readonly name: string; readonly rows: number } | undefined;
  /** Whether any initializer keeps its data in an external file. */
  readonly externalData: boolean;
}

/** The outcome of {@link reduceModelGraph}. */
export type ReducedGraph =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly facts: GraphFacts }
  | { readonly ok: false; readonly reason: string; readonly facts: GraphFacts | undefined };

const POSITION_NAME = /(^|[./_:])wpe([./_:]|$)|position_embeddings?([./_:]|$)|embed_positions/i;

/**
 * Read the facts the scorer needs from a model's bytes. Complexity: O(file size) (protobuf decode;
 * raw tensor data is referenced, not copied).
 * @throws Error when the bytes are not a protobuf ModelProto
 */
export function inspectModelGraph(bytes: Uint8Array): GraphFacts {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new Error('no graph');
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const inputs = (graph.input ?? []).map((v) => v.name ?? '').filter((n) => !initNames.has(n));
  const outputs = (graph.output ?? []).map((v) => v.name ?? '');
  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset =
    opsetEntry?.version === undefined || opsetEntry.version === null ? undefined : Number(opsetEntry.version);
  let logitsWidth: number | undefined;
  const logits = (graph.output ?? []).find((v) => v.name === 'logits');
  const dims = logits?.type?.tensorType?.shape?.dim ?? [];
  const last = dims[dims.length - 1];
  if (last?.dimValue !== undefined && last.dimValue !== null && Number(last.dimValue) > 0)
    logitsWidth = Number(last.dimValue);
  let positionRows: GraphFacts['positionRows'];
  let externalData = false;
  for (const t of graph.initializer ?? []) {
    if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) externalData = true;
    const name = t.name ?? '';
    if (positionRows === undefined && (t.dims ?? []).length === 2 && POSITION_NAME.test(name))
      positionRows = { name, rows: Number(t.dims![0]) };
  }
  return { inputs, outputs, opset, logitsWidth, positionRows, externalData };
}

const INT64 = onnx.TensorProto.DataType.INT64;
/** Chunk length of the two-stage exp sum. */
const CHUNK = 256;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

function int64Tensor(name: string, values: number[]): onnx.ITensorProto {
  const raw = new Uint8Array(values.length * 8);
  values.forEach((v, i) => new DataView(raw.buffer).setBigInt64(8 * i, BigInt(v), true));
  return { name, dataType: INT64, dims: [values.length], rawData: raw };
}

/**
 * Append the reduction to a causal LM's bytes (see the module comment).
 * Complexity: O(file size) for the inspection; the appended message is a few hundred bytes.
 * @returns the new bytes, or why the surgery is not possible (the scorer then reduces in JS)
 */
export function reduceModelGraph(bytes: Uint8Array): ReducedGraph {
  let facts: GraphFacts;
  try {
    facts = inspectModelGraph(bytes);
  } catch (e) {
    return { ok: false, reason: `not a readable ONNX protobuf (${(e as Error).message})`, facts: undefined };
  }
  if (!facts.outputs.includes('logits'))
    return { ok: false, reason: 'the model has no "logits" output', facts };
  if (facts.opset === undefined || facts.opset < 11)
    return { ok: false, reason: `opset ${facts.opset ?? '?'} < 11 has no GatherElements`, facts };
  const opset = facts.opset;
  if (facts.externalData)
    return {
      ok: false,
      reason: 'external-data weights: a reduced copy outside the model directory cannot find them',
      facts,
    };
  const taken = new Set([...facts.inputs, ...facts.outputs]);
  for (const n of [TARGETS_INPUT, LOGPROBS_OUTPUT, LOGITS_SHAPE_OUTPUT])
    if (taken.has(n)) return { ok: false, reason: `the model already uses the name ${n}`, facts };

  const p = 'mechlab_reduce_';
  const node = (op: string, input: string[], output: string, attribute: onnx.IAttributeProto[] = []) => ({
    opType: op,
    name: `${p}${op}_${output}`,
    input,
    output: [output],
    attribute,
  });
  const int = (name: string, i: number): onnx.IAttributeProto => ({
    name,
    type: onnx.AttributeProto.AttributeType.INT,
    i,
  });
  const ints = (name: string, v: number[]): onnx.IAttributeProto => ({
    name,
    type: onnx.AttributeProto.AttributeType.INTS,
    ints: v,
  });
  // Reductions took `axes` as an attribute until ReduceSum-13 / ReduceMax-18, then as an input.
  const reduce = (op: 'ReduceSum' | 'ReduceMax', x: string, axis: number, keep: number, out: string) =>
    opset >= (op === 'ReduceSum' ? 13 : 18)
      ? node(op, [x, `${p}axis${axis}`], out, [int('keepdims', keep)])
      : node(op, [x], out, [ints('axes', [axis]), int('keepdims', keep)]);
  const vec3 = (dimLast: number | string) => ({
    tensorType: {
      elemType: FLOAT,
      shape: {
        dim: [
          { dimParam: 'mechlab_batch' },
          { dimParam: 'mechlab_seq' },
          typeof dimLast === 'number' ? { dimValue: dimLast } : { dimParam: dimLast },
        ],
      },
    },
  });
  const addition: onnx.IModelProto = {
    graph: {
      input: [{ name: TARGETS_INPUT, type: { tensorType: { ...vec3(1).tensorType, elemType: INT64 } } }],
      output: [
        { name: LOGPROBS_OUTPUT, type: vec3(1) },
        {
          name: LOGITS_SHAPE_OUTPUT,
          type: { tensorType: { elemType: INT64, shape: { dim: [{ dimValue: 3 }] } } },
        },
      ],
      initializer: [
        int64Tensor(`${p}axis2`, [2]),
        int64Tensor(`${p}axis3`, [3]),
        int64Tensor(`${p}one`, [1]),
        int64Tensor(`${p}chunk`, [CHUNK]),
        int64Tensor(`${p}zeros5`, [0, 0, 0, 0, 0]),
        int64Tensor(`${p}chunked_shape`, [0, 0, -1, CHUNK]),
      ],
      node: [
        node('Shape', ['logits'], LOGITS_SHAPE_OUTPUT),
        node('Gather', [LOGITS_SHAPE_OUTPUT, `${p}axis2`], `${p}width`, [int('axis', 0)]),
        node('Sub', [`${p}width`, `${p}one`], `${p}last`),
        // Clamp with Less/Where (Min has no int64 before opset 12): a target past a too-narrow logits
        // row would make GatherElements fail; the scorer reports the width mismatch from the shape.
        node('Less', [TARGETS_INPUT, `${p}width`], `${p}inside`),
        node('Where', [`${p}inside`, TARGETS_INPUT, `${p}last`], `${p}targets`),
        // log p = (x_target − max) − log Σ_v exp(x_v − max), all float32 on the provider. The sum runs
        // in two stages (chunks of 256, then the ≈ 197 chunk sums) instead of one 50,257-term float32
        // accumulation: ONNX Runtime's own LogSoftmax accumulates in one pass and was measured 1.1e-5
        // off in perplexity on the tiny LM; chunked, the error is a few float32 ulps (≈ 1e-7 relative).
        reduce('ReduceMax', 'logits', 2, 1, `${p}max`),
        node('Sub', ['logits', `${p}max`], `${p}shifted`),
        node('Exp', [`${p}shifted`], `${p}exp`),
        node('Mod', [`${p}pad_raw`, `${p}chunk`], `${p}pad_len`),
        node('Concat', [`${p}zeros5`, `${p}pad_len`], `${p}pads`, [int('axis', 0)]),
        node('Pad', [`${p}exp`, `${p}pads`], `${p}exp_padded`),
        node('Reshape', [`${p}exp_padded`, `${p}chunked_shape`], `${p}exp_chunks`),
        reduce('ReduceSum', `${p}exp_chunks`, 3, 0, `${p}chunk_sums`),
        reduce('ReduceSum', `${p}chunk_sums`, 2, 1, `${p}sum`),
        node('Log', [`${p}sum`], `${p}log_sum`),
        node('GatherElements', ['logits', `${p}targets`], `${p}target_logit`, [int('axis', 2)]),
        node('Sub', [`${p}target_logit`, `${p}max`], `${p}target_shifted`),
        node('Sub', [`${p}target_shifted`, `${p}log_sum`], LOGPROBS_OUTPUT),
        // pad_len = (chunk − width mod chunk) mod chunk
        node('Mod', [`${p}width`, `${p}chunk`], `${p}width_mod`),
        node('Sub', [`${p}chunk`, `${p}width_mod`], `${p}pad_raw`),
      ],
    },
  };
  const tail = onnx.ModelProto.encode(onnx.ModelProto.create(addition)).finish();
  const out = new Uint8Array(bytes.length + tail.length);
  out.set(bytes, 0);
  out.set(tail, bytes.length);
  return { ok: true, bytes: out, facts };
}

/** Where a reduced graph is cached and what it came from. */
export interface PreparedGraph {
  /** Path of the reduced model (in the cache), or its bytes when there is no cache. */
  readonly source: string | Uint8Array;
  readonly facts: GraphFacts;
  /** `true` when the cached file was reused. */
  readonly reused: boolean;
}

/** sha256 hex of a model file's bytes. Complexity: O(size). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The reduced model for `modelPath`: from `<cacheDir>/graphs/<sha256>.v<version>.onnx` when present,
 * else built by {@link reduceModelGraph} and written there atomically (`@mechlab/io`'s `writeInside`), or kept in
 * memory when `cacheDir` is undefined or not writable.
 * Complexity: O(file size) (hash; inspection when not cached).
 * @returns the prepared graph, or the reason the surgery is impossible; either way `sha256`, the digest of
 *   the model bytes read here, so the results cache's model hash (cache.ts `modelHash`) need not read
 *   and hash the file a second time
 */
export function prepareReducedModel(
  modelPath: string,
  cacheDir: string | undefined,
):
  | { ok: true; graph: PreparedGraph; sha256: string }
  | { ok: false; reason: string; facts: GraphFacts | undefined; sha256: string } {
  const bytes = readFileSync(modelPath);
  const sha = sha256Hex(bytes);
  const dir = cacheDir === undefined ? undefined : join(cacheDir, 'graphs');
  const file = dir === undefined ? undefined : join(dir, `${sha}.v${GRAPH_REDUCTION_VERSION}.onnx`);
  const sidecar = file?.replace(/\.onnx$/, '.json');
  if (file !== undefined && sidecar !== undefined && existsSync(file) && existsSync(sidecar)) {
    try {
      const meta = JSON.parse(readFileSync(sidecar, 'utf8')) as { facts?: GraphFacts };
      if (meta.facts !== undefined)
        return { ok: true, graph: { source: file, facts: meta.facts, reused: true }, sha256: sha };
    } catch {
      // A damaged sidecar: rebuild below.
    }
  }
  const reduced = reduceModelGraph(bytes);
  if (!reduced.ok) return { ...reduced, sha256: sha };
  if (cacheDir !== undefined && file !== undefined) {
    const name = basename(file);
    try {
      // @mechlab/io's atomic write (temp file in the same directory + rename, no symlinks followed;
      // stale temps only of dead writers removed), for the model and its sidecar: concurrent writers
      // each rename a complete file, and readers see either none or a whole one.
      writeInside(cacheDir, join('graphs', name), reduced.bytes, { flag: 'cache', durable: false });
      writeInside(
        cacheDir,
        join('graphs', name.replace(/\.onnx$/, '.json')),
        JSON.stringify(
          {
            version: GRAPH_REDUCTION_VERSION,
            sourceSha256: sha,
            sourcePath: modelPath,
            appended: {
              input: TARGETS_INPUT,
              outputs: [LOGPROBS_OUTPUT, LOGITS_SHAPE_OUTPUT],
              ops: 'ReduceMax, Sub, Exp, Pad, Reshape, ReduceSum ×2, Log, GatherElements (+ shape/clamp)',
            },
            facts: reduced.facts,
          },
          null,
          2,
        ) + '\n',
        { flag: 'cache', durable: false },
      );
      return { ok: true, graph: { source: file, facts: reduced.facts, reused: false }, sha256: sha };
    } catch {
      // read-only or unusable cache: keep the reduced model in memory instead (writeInside removed its temp)
    }
  }
  return { ok: true, graph: { source: reduced.bytes, facts: reduced.facts, reused: false }, sha256: sha };
}
