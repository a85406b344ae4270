/**
 * A GPT-2-architecture causal LM written as ONNX by this package's own builder (Radford et al. 2019,
 * "Language Models are Unsupervised Multitask Learners", §2.3): token embedding `wte` + learned position
 * embedding `wpe`, `layers` pre-LayerNorm transformer blocks (causal multi-head self-attention with an
 * additive padding mask, then a tanh-GELU MLP of width 4·d, each with a residual), a final LayerNorm and
 * the output layer tied to `wte` (`logits = h · wteᵀ`). Weights are random, seeded (core's Rng), with
 * GPT-2's initialisation scale (N(0, 0.02²), residual projections scaled by 1/√(2·layers)).
 *
 * Two interface flavours, as real exports come: `torch.onnx.export` (`input_ids`, `attention_mask` →
 * `logits`; positions 0..S−1 computed in the graph) and optimum (`position_ids` as a third input, plus
 * `present.*` key/value outputs the scorer must ignore). It exists to prove the in-graph reduction and
 * the scorer on a model whose compute-to-logits ratio is that of a real transformer.
 */
import { Rng, type SeedKey } from '@mechlab/core';
import type { OnnxGraphSpec, OnnxInitializer, OnnxNodeSpec } from './onnx-builder';

/** Options of {@link gpt2Graph}. */
export interface Gpt2GraphOptions {
  /** Vocabulary (default 50,257, GPT-2's). */
  readonly vocab?: number;
  /** Context length = rows of `wpe` (default 128). */
  readonly positions?: number;
  /** Width `d` (default 64). */
  readonly width?: number;
  /** Attention heads (default 4; must divide `width`). */
  readonly heads?: number;
  /** Transformer blocks (default 2). */
  readonly layers?: number;
  /** Weight seed (default 1). */
  readonly seed?: SeedKey;
  /** `'torch'`: 2 inputs → logits; `'optimum'`: + `position_ids` input and `present.*` outputs. */
  readonly flavour?: 'torch' | 'optimum';
}

/**
 * Build the graph. Complexity: O(vocab·d + layers·d²) to draw the weights.
 * @throws RangeError when `heads` does not divide `width`
 */
export function gpt2Graph(options: Gpt2GraphOptions = {}): OnnxGraphSpec {
  const V = options.vocab ?? 50257;
  const P = options.positions ?? 128;
  const d = options.width ?? 64;
  const H = options.heads ?? 4;
  const layers = options.layers ?? 2;
  const flavour = options.flavour ?? 'torch';
  if (d % H !== 0) throw new RangeError(`heads (${H}) must divide width (${d})`);
  const dh = d / H;
  const rng = Rng.fromPath([options.seed ?? 1, 'perplexity.gpt2-graph']);
  const inits: OnnxInitializer[] = [];
  const nodes: OnnxNodeSpec[] = [];
  const normal = (n: number, sd: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = sd * rng.normal();
    return a;
  };
  const f32 = (name: string, dims: number[], data: Float32Array): string => {
    inits.push({ name, type: 'float32', dims, data });
    return name;
  };
  const i64 = (name: string, dims: number[], values: number[]): string => {
    inits.push({ name, type: 'int64', dims, data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  };
  const scalar = (name: string, v: number): string => f32(name, [], new Float32Array([v]));
  let counter = 0;
  const op = (
    type: string,
    inputs: string[],
    attributes?: Record<string, number | number[]>,
    out?: string,
  ): string => {
    const o = out ?? `${type.toLowerCase()}_${counter++}`;
    nodes.push({ op: type, inputs, outputs: [o], ...(attributes ? { attributes } : {}) });
    return o;
  };

  // Constants shared by the blocks.
  scalar('c_half', 0.5);
  scalar('c_one', 1);
  scalar('c_eps', 1e-5);
  scalar('c_gelu_a', 0.044715);
  scalar('c_gelu_b', Math.sqrt(2 / Math.PI));
  scalar('c_attn_scale', 1 / Math.sqrt(dh));
  scalar('c_neg', -1e4); // additive mask value (as in the original GPT-2 code)
  i64('axes_last', [1], [-1]);
  i64('heads_shape', [4], [0, 0, H, dh]);
  i64('merge_shape', [3], [0, 0, d]);
  i64('idx_seq', [1], [1]);
  i64('idx_seq_scalar', [], [1]);
  i64('zero_scalar', [], [0]);
  i64('one_scalar', [], [1]);
  i64('slice_starts', [2], [0, 0]);
  i64('slice_axes', [2], [0, 1]);
  i64('mask_axes', [2], [1, 2]);

  const wte = f32('wte', [V, d], normal(V * d, 0.02));
  const wpe = f32('wpe', [P, d], normal(P * d, 0.01));
  // Causal mask for up to P positions: 0 on and below the diagonal, −1e4 above.
  const causal = new Float32Array(P * P);
  for (let i = 0; i < P; i++) for (let j = i + 1; j < P; j++) causal[i * P + j] = -1e4;
  f32('causal_full', [P, P], causal);

  const shape = op('Shape', ['input_ids']);
  const seqLen = op('Gather', [shape, 'idx_seq'], { axis: 0 }); // [1]
  const ends = op('Concat', [seqLen, seqLen], { axis: 0 });
  const causalS = op('Slice', ['causal_full', 'slice_starts', ends, 'slice_axes']); // [S, S]
  // Padding mask [B, 1, 1, S]: (1 − mask)·(−1e4).
  const maskF = op('Cast', ['attention_mask'], { to: 1 });
  const inv = op('Sub', ['c_one', maskF]);
  const padAdd = op('Mul', [inv, 'c_neg']);
  const pad4 = op('Unsqueeze', [padAdd, 'mask_axes']);
  const attnBias = op('Add', [causalS, pad4]); // [B, 1, S, S]

  let positions: string;
  if (flavour === 'optimum') positions = 'position_ids';
  else {
    const sScalar = op('Gather', [shape, 'idx_seq_scalar'], { axis: 0 });
    positions = op('Range', ['zero_scalar', sScalar, 'one_scalar']);
  }
  const tok = op('Gather', [wte, 'input_ids'], { axis: 0 });
  const pos = op('Gather', [wpe, positions], { axis: 0 });
  let h = op('Add', [tok, pos]);

  const layerNorm = (x: string, prefix: string): string => {
    const g = f32(`${prefix}.g`, [d], new Float32Array(d).fill(1));
    const b = f32(`${prefix}.b`, [d], new Float32Array(d));
    const mean = op('ReduceMean', [x], { axes: [-1], keepdims: 1 });
    const c = op('Sub', [x, mean]);
    const sq = op('Mul', [c, c]);
    const v = op('ReduceMean', [sq], { axes: [-1], keepdims: 1 });
    const sd = op('Sqrt', [op('Add', [v, 'c_eps'])]);
    return op('Add', [op('Mul', [op('Div', [c, sd]), g]), b]);
  };
  const linear = (x: string, prefix: string, n: number, m: number, sd: number): string => {
    const w = f32(`${prefix}.w`, [n, m], normal(n * m, sd));
    const b = f32(`${prefix}.b`, [m], normal(m, 0.01));
    return op('Add', [op('MatMul', [x, w]), b]);
  };
  const residualSd = 0.02 / Math.sqrt(2 * layers);
  const presents: string[] = [];
  for (let l = 0; l < layers; l++) {
    const p = `h.${l}`;
    const a = layerNorm(h, `${p}.ln_1`);
    const split = (name: string, perm: number[]): string =>
      op('Transpose', [op('Reshape', [linear(a, `${p}.attn.${name}`, d, d, 0.02), 'heads_shape'])], {
        perm,
      });
    const q = split('q', [0, 2, 1, 3]); // [B, H, S, dh]
    const kT = split('k', [0, 2, 3, 1]); // [B, H, dh, S]
    const v = split('v', [0, 2, 1, 3]);
    if (flavour === 'optimum') {
      presents.push(op('Identity', [kT], undefined, `present.${l}.key`));
      presents.push(op('Identity', [v], undefined, `present.${l}.value`));
    }
    const scores = op('Add', [op('Mul', [op('MatMul', [q, kT]), 'c_attn_scale']), attnBias]);
    const probs = op('Softmax', [scores], { axis: -1 });
    const ctx = op('Reshape', [
      op('Transpose', [op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }),
      'merge_shape',
    ]);
    h = op('Add', [h, linear(ctx, `${p}.attn.c_proj`, d, d, residualSd)]);
    const m = layerNorm(h, `${p}.ln_2`);
    const up = linear(m, `${p}.mlp.c_fc`, d, 4 * d, 0.02);
    // GELU, tanh form (GPT-2's): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    const cube = op('Mul', [op('Mul', [up, up]), up]);
    const inner = op('Mul', [op('Add', [up, op('Mul', [cube, 'c_gelu_a'])]), 'c_gelu_b']);
    const gelu = op('Mul', [op('Mul', [up, 'c_half']), op('Add', [op('Tanh', [inner]), 'c_one'])]);
    h = op('Add', [h, linear(gelu, `${p}.mlp.c_proj`, 4 * d, d, residualSd)]);
  }
  const hf = layerNorm(h, 'ln_f');
  const wteT = op('Transpose', [wte], { perm: [1, 0] }); // tied output layer
  op('MatMul', [hf, wteT], undefined, 'logits');

  const ids = (name: string) => ({ name, type: 'int64' as const, shape: ['batch', 'sequence'] });
  return {
    name: `mechlab-gpt2-${layers}x${d}`,
    inputs: [
      ids('input_ids'),
      ids('attention_mask'),
      ...(flavour === 'optimum' ? [ids('position_ids')] : []),
    ],
    outputs: [
      { name: 'logits', type: 'float32', shape: ['batch', 'sequence', V] },
      ...presents.map((name) => ({
        name,
        type: 'float32' as const,
        shape: name.endsWith('key') ? ['batch', H, dh, 'sequence'] : ['batch', H, 'sequence', dh],
      })),
    ],
    initializers: inits,
    nodes,
    metadata: { 'mechlab.gpt2_graph': JSON.stringify({ V, P, d, H, layers, flavour }) },
  };
}

/** The `config.json` a Hugging Face GPT-2 export would carry for the same shape. Complexity: O(1). */
export function gpt2Config(options: Gpt2GraphOptions = {}): Record<string, unknown> {
  return {
    model_type: 'gpt2',
    vocab_size: options.vocab ?? 50257,
    n_positions: options.positions ?? 128,
    n_embd: options.width ?? 64,
    n_head: options.heads ?? 4,
    n_layer: options.layers ?? 2,
  };
}
