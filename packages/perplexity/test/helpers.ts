/**
 * Test helpers: an independent float64 re-computation of the tiny LM straight from the initializers in
 * its model.onnx (read back with onnx-proto) and GPT-2 ids from `gpt-3-encoder` — nothing of the
 * scorer's pipeline (tokenizer wrapper, ONNX Runtime, reduction kernels) is reused.
 */
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'gpt-3-encoder';
import { decodeOnnxInitializers, encodeOnnxModel, type OnnxGraphSpec } from '../src/onnx-builder';

export interface Tables {
  readonly vocab: number;
  readonly width: number;
  readonly rowMap: Int32Array;
  readonly embed: Float32Array;
  readonly project: Float32Array;
  readonly positionVector: Float32Array | undefined;
}

export function readTables(dir: string): Tables {
  const { initializers } = decodeOnnxInitializers(readFileSync(join(dir, 'model.onnx')));
  const get = (name: string) => {
    const t = initializers.get(name);
    if (t === undefined) throw new Error(`no initializer ${name}`);
    return t;
  };
  const project = get('project');
  const pos = initializers.get('position_vector');
  return {
    vocab: project.dims[1]!,
    width: project.dims[0]!,
    rowMap: get('row_map').data as Int32Array,
    embed: get('embed').data as Float32Array,
    project: project.data as Float32Array,
    positionVector: pos === undefined ? undefined : (pos.data as Float32Array),
  };
}

const memo = new WeakMap<Tables, Map<string, number>>();

/** log p(target | context token, position) in float64 with Math.exp (memoised per tables). */
export function referenceLogProb(t: Tables, context: number, target: number, position: number): number {
  let m = memo.get(t);
  if (m === undefined) memo.set(t, (m = new Map()));
  const key = `${context}:${target}:${t.positionVector === undefined ? 0 : position}`;
  const hit = m.get(key);
  if (hit !== undefined) return hit;
  const value = computeLogProb(t, context, target, position);
  m.set(key, value);
  return value;
}

function computeLogProb(t: Tables, context: number, target: number, position: number): number {
  const row = t.rowMap[context]!;
  const V = t.vocab;
  let max = -Infinity;
  const z = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    let s = 0;
    for (let c = 0; c < t.width; c++) s += t.embed[row * t.width + c]! * t.project[c * V + v]!;
    if (t.positionVector !== undefined) s += position * t.positionVector[v]!;
    z[v] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let v = 0; v < V; v++) sum += Math.exp(z[v]! - max);
  return z[target]! - max - Math.log(sum);
}

/** MODELS.md §3 perplexity over the first L tokens, BOS 50256 prepended unless `bos` is null. */
export function referencePerplexity(
  t: Tables,
  text: string,
  L: number,
  bos: number | null = 50256,
): { ppl: number; tokens: number } {
  const ids = encode(text).slice(0, L);
  const seq = bos === null ? ids : [bos, ...ids];
  let nll = 0;
  for (let k = 1; k < seq.length; k++) nll -= referenceLogProb(t, seq[k - 1]!, seq[k]!, k - 1);
  return { ppl: Math.exp(nll / (seq.length - 1)), tokens: ids.length };
}

export function tempDir(prefix = 'ppl-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A model directory holding `graph` as model.onnx and the given tokenizer files copied from `from`. */
export function writeModelDir(
  graph: OnnxGraphSpec | Uint8Array,
  from: string,
  files = ['tokenizer.json', 'tokenizer_config.json'],
): string {
  const dir = tempDir('ppl-model-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), graph instanceof Uint8Array ? graph : encodeOnnxModel(graph));
  for (const f of files) copyFileSync(join(from, f), join(dir, f));
  return dir;
}

/** logits[b,s,:] = input_ids[b,s] · vec (width = vec.length, declared in the output shape). */
export function linearGraph(vec: Float32Array, opts: { inputs?: [string, string] } = {}): OnnxGraphSpec {
  const [ids, mask] = opts.inputs ?? ['input_ids', 'attention_mask'];
  return {
    name: 'linear',
    inputs: [
      { name: ids, type: 'int64', shape: ['b', 's'] },
      { name: mask, type: 'int64', shape: ['b', 's'] },
    ],
    outputs: [{ name: 'logits', type: 'float32', shape: ['b', 's', vec.length] }],
    initializers: [
      { name: 'vec', type: 'float32', dims: [vec.length], data: vec },
      { name: 'axes', type: 'int64', dims: [1], data: new BigInt64Array([2n]) },
    ],
    nodes: [
      { op: 'Cast', inputs: [ids], outputs: ['f'], attributes: { to: 1 } },
      { op: 'Unsqueeze', inputs: ['f', 'axes'], outputs: ['f3'] },
      { op: 'Mul', inputs: ['f3', 'vec'], outputs: ['logits'] },
    ],
  };
}

/** logits[b,s,:] = 1e-3 · input_ids[b,s] repeated `width · max(attention_mask)` times: a width no shape inference can know. */
export function dynamicWidthGraph(width: number): OnnxGraphSpec {
  return {
    name: 'dynamic-width',
    inputs: [
      { name: 'input_ids', type: 'int64', shape: ['b', 's'] },
      { name: 'attention_mask', type: 'int64', shape: ['b', 's'] },
    ],
    outputs: [{ name: 'logits', type: 'float32', shape: ['b', 's', 'v'] }],
    initializers: [
      { name: 'axes', type: 'int64', dims: [1], data: new BigInt64Array([2n]) },
      { name: 'scale', type: 'float32', dims: [1], data: new Float32Array([1e-3]) },
      { name: 'width', type: 'int64', dims: [1], data: new BigInt64Array([BigInt(width)]) },
      { name: 'ones', type: 'int64', dims: [2], data: new BigInt64Array([1n, 1n]) },
      { name: 'shape1', type: 'int64', dims: [1], data: new BigInt64Array([1n]) },
    ],
    nodes: [
      { op: 'Cast', inputs: ['input_ids'], outputs: ['f'], attributes: { to: 1 } },
      { op: 'Unsqueeze', inputs: ['f', 'axes'], outputs: ['f3'] },
      { op: 'Mul', inputs: ['f3', 'scale'], outputs: ['g'] },
      {
        op: 'ReduceMax',
        inputs: ['attention_mask'],
        outputs: ['mx'],
        attributes: { axes: [0, 1], keepdims: 0 },
      },
      { op: 'Reshape', inputs: ['mx', 'shape1'], outputs: ['mx1'] },
      { op: 'Mul', inputs: ['mx1', 'width'], outputs: ['reps'] },
      { op: 'Concat', inputs: ['ones', 'reps'], outputs: ['repeats'], attributes: { axis: 0 } },
      { op: 'Tile', inputs: ['g', 'repeats'], outputs: ['logits'] },
    ],
  };
}
