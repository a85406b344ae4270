/**
 * Indices of the `k` largest `score[i]` over `pool`, ties to the smaller index, ascending. Min-heap of
 * size k: O(m log k).
 */
export function topKTs(score: Float64Array, pool: Int32Array, k: number): Int32Array {
  const heap = new Int32Array(k);
  let size = 0;
  const worse = (a: number, b: number): boolean => {
    const sa = score[a]!;
    const sb = score[b]!;
    return sa < sb || (sa === sb && a > b);
  };
  for (let t = 0; t < pool.length; t++) {
    const i = pool[t]!;
    if (size < k) {
      let pos = size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!worse(i, heap[parent]!)) break;
        heap[pos] = heap[parent]!;
        pos = parent;
      }
      heap[pos] = i;
    } else if (worse(heap[0]!, i)) {
      let pos = 0;
      for (;;) {
        const l = 2 * pos + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && worse(heap[r]!, heap[l]!) ? r : l;
        if (!worse(heap[c]!, i)) break;
        heap[pos] = heap[c]!;
        pos = c;
      }
      heap[pos] = i;
    }
  }
  return heap.subarray(0, size).sort();
}
