/** Model-input id buffers of the element type the model declares (int64 or int32). */
import * as ort from 'onnxruntime-node';
import type { IdElementType } from './session';

/**
 * A reusable id buffer of the element type the model declares: grown geometrically, never shrunk, so
 * length-bucketed batches of any shape pack into the same memory (a view of the first `n` entries).
 */
export class IdBuffer {
  private data: BigInt64Array | Int32Array;
  constructor(private readonly type: IdElementType) {
    this.data = type === 'int32' ? new Int32Array(0) : new BigInt64Array(0);
  }
  /** A zero-filled view of `n` entries. Complexity: O(n). */
  view(n: number): BigInt64Array | Int32Array {
    if (this.data.length < n) {
      const size = Math.max(n, 2 * this.data.length);
      this.data = this.type === 'int32' ? new Int32Array(size) : new BigInt64Array(size);
    }
    const v = this.data.subarray(0, n);
    if (v instanceof BigInt64Array) v.fill(0n);
    else v.fill(0);
    return v;
  }
  tensor(view: BigInt64Array | Int32Array, dims: readonly number[]): ort.Tensor {
    return view instanceof BigInt64Array
      ? new ort.Tensor('int64', view, dims)
      : new ort.Tensor('int32', view, dims);
  }
}

export function put(view: BigInt64Array | Int32Array, i: number, v: number): void {
  if (view instanceof BigInt64Array) view[i] = BigInt(v);
  else view[i] = v;
}
