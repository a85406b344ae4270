/**
 * The reduction inside the model (MODELS.md §3, last step): ONNX graph surgery that appends
 *
 *   log p = GatherElements(LogSoftmax(logits, axis 2), clamp(mechlab_targets, width − 1), axis 2)
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
 * Precision: ONNX Runtime's LogSoftmax runs in float32 (`x − max − log Σ exp(x − max)`), so each
 * log-probability carries an absolute error of a few float32 ulps of the log-sum-exp (≈ 1e-6 for
 * |log p| ≈ 10); the scorer sums them in float64.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  const opset = opsetEntry?.version === undefined || opsetEntry.version === null ? undefined : Number(opsetEntry.version);
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
  const addition: onnx.IModelProto = {
    graph: {
      input: [
        {
          name: TARGETS_INPUT,
          type: {
            tensorType: {
              elemType: INT64,
              shape: { dim: [{ dimParam: 'mechlab_batch' }, { dimParam: 'mechlab_seq' }, { dimValue: 1 }] },
            },
          },
        },
      ],
      output: [
        {
          name: LOGPROBS_OUTPUT,
          type: {
            tensorType: {
              elemType: FLOAT,
              shape: { dim: [{ dimParam: 'mechlab_batch' }, { dimParam: 'mechlab_seq' }, { dimValue: 1 }] },
            },
          },
        },
        { name: LOGITS_SHAPE_OUTPUT, type: { tensorType: { elemType: INT64, shape: { dim: [{ dimValue: 3 }] } } } },
      ],
      initializer: [int64Tensor(`${p}axis2`, [2]), int64Tensor(`${p}one`, [1])],
      node: [
        node('Shape', ['logits'], LOGITS_SHAPE_OUTPUT),
        node('Gather', [LOGITS_SHAPE_OUTPUT, `${p}axis2`], `${p}width`, [int('axis', 0)]),
        node('Sub', [`${p}width`, `${p}one`], `${p}last`),
        // Clamp with Less/Where (Min has no int64 before opset 12): a target past a too-narrow logits
        // row would make GatherElements fail; the scorer reports the width mismatch from the shape.
        node('Less', [TARGETS_INPUT, `${p}width`], `${p}inside`),
        node('Where', [`${p}inside`, TARGETS_INPUT, `${p}last`], `${p}targets`),
        // axis 2 = the last axis of [batch, seq, vocab]; before opset 13 LogSoftmax coerces to 2-D at
        // that axis, i.e. [batch·seq, vocab] — the same rows.
        node('LogSoftmax', ['logits'], `${p}logsoftmax`, [int('axis', 2)]),
        node('GatherElements', [`${p}logsoftmax`, `${p}targets`], LOGPROBS_OUTPUT, [int('axis', 2)]),
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

/**
 * The reduced model for `modelPath`: from `<cacheDir>/graphs/<sha256>.v<version>.onnx` when present,
 * else built by {@link reduceModelGraph} and written there atomically (temp file + rename), or kept in
 * memory when `cacheDir` is undefined or not writable.
 * Complexity: O(file size) (hash; inspection when not cached).
 * @returns the prepared graph, or the reason the surgery is impossible
 */
export function prepareReducedModel(
  modelPath: string,
  cacheDir: string | undefined,
): { ok: true; graph: PreparedGraph } | { ok: false; reason: string; facts: GraphFacts | undefined } {
  const bytes = readFileSync(modelPath);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const dir = cacheDir === undefined ? undefined : join(cacheDir, 'graphs');
  const file = dir === undefined ? undefined : join(dir, `${sha}.v${GRAPH_REDUCTION_VERSION}.onnx`);
  const sidecar = file?.replace(/\.onnx$/, '.json');
  if (file !== undefined && sidecar !== undefined && existsSync(file) && existsSync(sidecar)) {
    try {
      const meta = JSON.parse(readFileSync(sidecar, 'utf8')) as { facts?: GraphFacts };
      if (meta.facts !== undefined) return { ok: true, graph: { source: file, facts: meta.facts, reused: true } };
    } catch {
      // A damaged sidecar: rebuild below.
    }
  }
  const reduced = reduceModelGraph(bytes);
  if (!reduced.ok) return reduced;
  if (dir !== undefined && file !== undefined && sidecar !== undefined) {
    const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, reduced.bytes);
      renameSync(tmp, file);
      writeFileSync(
        sidecar,
        JSON.stringify(
          {
            version: GRAPH_REDUCTION_VERSION,
            sourceSha256: sha,
            sourcePath: modelPath,
            appended: {
              input: TARGETS_INPUT,
              outputs: [LOGPROBS_OUTPUT, LOGITS_SHAPE_OUTPUT],
              ops: ['Shape', 'Gather', 'Sub', 'Less', 'Where', 'LogSoftmax', 'GatherElements'],
            },
            facts: reduced.facts,
          },
          null,
          2,
        ) + '\n',
      );
      return { ok: true, graph: { source: file, facts: reduced.facts, reused: false } };
    } catch {
      rmSync(tmp, { force: true }); // read-only cache: keep the reduced model in memory instead
    }
  }
  return { ok: true, graph: { source: reduced.bytes, facts: reduced.facts, reused: false } };
}
