/**
 * Input and output tensors of one batch shape `[B, S]`, allocated once and reused for every batch of
 * that shape (issue 15, Deliver 2). All shapes are views of the same growable backing arrays, so the
 * memory is that of the largest batch; the outputs are passed to `session.run` as pre-allocated
 * fetches, so ONNX Runtime writes into them instead of allocating (and JS wrapping) a new tensor per
 * batch — for the `js`/`gpujs` reductions that tensor is the whole `[B, S, vocab]` logits.
 */
import * as ort from 'onnxruntime-node';
import { LOGITS_SHAPE_OUTPUT, LOGPROBS_OUTPUT, TARGETS_INPUT } from './graph-reduction';
import type { IdElementType } from './session';

type Ids = BigInt64Array | Int32Array;

/** Everything one batch feeds and fetches. */
export interface BatchTensors {
  readonly ids: Ids;
  readonly mask: Ids;
  readonly positions: Ids | undefined;
  /** The in-graph reduction's targets (graph mode only). */
  readonly targets: BigInt64Array | undefined;
  readonly feeds: Record<string, ort.Tensor>;
  /** Output names, or name → pre-allocated tensor. */
  readonly fetches: readonly string[] | Record<string, ort.Tensor>;
  /** Where the pre-allocated main output (log-probs or logits) lands, when pre-allocated. */
  readonly out: Float32Array | undefined;
  /** The pre-allocated `mechlab_logits_shape` output (graph mode), when pre-allocated. */
  readonly outShape: BigInt64Array | undefined;
}

/** What the model takes and returns. */
export interface BatchTensorSpec {
  readonly types: ReadonlyMap<string, IdElementType>;
  readonly positions: boolean;
  /** In-graph reduction (outputs `[B,S,1]` log-probs) rather than full logits. */
  readonly graph: boolean;
  /** Reuse tensors across batches (default); false allocates everything per batch (the old way). */
  readonly reuse: boolean;
}

/** A growable typed array: `take(n)` views the first n entries, reallocating (exactly n) when short. */
class Slab<A extends Ids | Float32Array> {
  private data: A;
  grew = false;
  constructor(private readonly make: (n: number) => A) {
    this.data = make(0);
  }
  take(n: number): A {
    if (this.data.length < n) {
      this.data = this.make(n);
      this.grew = true;
    }
    return this.data.subarray(0, n) as A;
  }
}

const MAX_SHAPES = 256; // (B, S) pairs kept; a bound on bookkeeping, not memory (views share slabs)

const idSlab = (t: IdElementType | undefined): Slab<Ids> =>
  new Slab<Ids>((n) => (t === 'int32' ? new Int32Array(n) : new BigInt64Array(n)));

/** Write `v` at `i` in either id element type. */
export function put(view: Ids, i: number, v: number): void {
  if (view instanceof BigInt64Array) view[i] = BigInt(v);
  else view[i] = v;
}

function idTensor(view: Ids, dims: readonly number[]): ort.Tensor {
  return view instanceof BigInt64Array
    ? new ort.Tensor('int64', view, dims)
    : new ort.Tensor('int32', view, dims);
}

/** Per-shape tensors over shared slabs. */
export class BatchTensorPool {
  private readonly shapes = new Map<string, BatchTensors>();
  private readonly slabs: Slab<Ids | Float32Array>[];
  private readonly ids: Slab<Ids>;
  private readonly mask: Slab<Ids>;
  private readonly pos: Slab<Ids>;
  private readonly targets = new Slab<BigInt64Array>((n) => new BigInt64Array(n));
  private readonly out = new Slab<Float32Array>((n) => new Float32Array(n));

  constructor(private readonly spec: BatchTensorSpec) {
    this.ids = idSlab(spec.types.get('input_ids'));
    this.mask = idSlab(spec.types.get('attention_mask'));
    this.pos = idSlab(spec.types.get('position_ids'));
    this.slabs = [this.ids, this.mask, this.pos, this.targets, this.out];
  }

  /**
   * The tensors of a `[B, S]` batch; `width` is the logits' vocabulary dimension when known (full-logits
   * mode pre-allocates `[B, S, width]` only then). Contents are stale: the caller writes every entry.
   * Complexity: O(1) for a known shape, O(B·S·width) allocation when a slab must grow.
   */
  get(B: number, S: number, width: number | undefined): BatchTensors {
    if (!this.spec.reuse) return this.make(B, S, width, true);
    const key = `${B}x${S}x${width ?? ''}`;
    const hit = this.shapes.get(key);
    if (hit !== undefined) return hit;
    const made = this.make(B, S, width, false);
    // A grown slab leaves older shapes' views on the previous arrays: forget them.
    if (this.slabs.some((s) => s.grew) || this.shapes.size >= MAX_SHAPES) this.shapes.clear();
    for (const s of this.slabs) s.grew = false;
    this.shapes.set(key, made);
    return made;
  }

  private make(B: number, S: number, width: number | undefined, fresh: boolean): BatchTensors {
    const n = B * S;
    const { graph, positions: hasPositions, types } = this.spec;
    const take = <A extends Ids | Float32Array>(slab: Slab<A>, k: number, make: () => A): A =>
      fresh ? make() : slab.take(k);
    const ids = take(this.ids, n, () => idSlab(types.get('input_ids')).take(n));
    const mask = take(this.mask, n, () => idSlab(types.get('attention_mask')).take(n));
    const positions = hasPositions
      ? take(this.pos, n, () => idSlab(types.get('position_ids')).take(n))
      : undefined;
    const targets = graph ? take(this.targets, n, () => new BigInt64Array(n)) : undefined;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: idTensor(ids, [B, S]),
      attention_mask: idTensor(mask, [B, S]),
    };
    if (positions !== undefined) feeds['position_ids'] = idTensor(positions, [B, S]);
    if (targets !== undefined) feeds[TARGETS_INPUT] = new ort.Tensor('int64', targets, [B, S, 1]);
    const names = graph ? [LOGPROBS_OUTPUT, LOGITS_SHAPE_OUTPUT] : ['logits'];
    if (fresh || (!graph && width === undefined)) {
      return { ids, mask, positions, targets, feeds, fetches: names, out: undefined, outShape: undefined };
    }
    const out = this.out.take(graph ? n : n * width!);
    const outShape = graph ? new BigInt64Array(3) : undefined;
    const fetches: Record<string, ort.Tensor> = graph
      ? {
          [LOGPROBS_OUTPUT]: new ort.Tensor('float32', out, [B, S, 1]),
          [LOGITS_SHAPE_OUTPUT]: new ort.Tensor('int64', outShape!, [3]),
        }
      : { logits: new ort.Tensor('float32', out, [B, S, width!]) };
    return { ids, mask, positions, targets, feeds, fetches, out, outShape };
  }
}
