/**
 * Lemma 1 (k-dominance reduction, packages/forum/src/nash.ts): the items dominated — `g_j ≥ g_i` and
 * `f_j ≥ f_i`, earlier in the order (g desc, f desc, index asc) — by fewer than `k` others, ascending.
 * Some optimal set lies inside, for the Nash product and every non-negative linear objective.
 * O(n log n) with a Fenwick tree.
 */
export function kDominanceFilter(g: Float64Array, f: Float64Array, k: number): Int32Array {
  const n = g.length;
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => g[b]! - g[a]! || f[b]! - f[a]! || a - b,
  );
  // Rank of f among distinct values, descending (rank 1 = largest).
  const byF = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => f[b]! - f[a]!);
  const rank = new Int32Array(n);
  let r = 0;
  for (let t = 0; t < n; t++) {
    if (t === 0 || f[byF[t]!] !== f[byF[t - 1]!]) r++;
    rank[byF[t]!] = r;
  }
  const fen = new Int32Array(r + 1);
  const keep = new Uint8Array(n);
  let kept = 0;
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    let c = 0;
    for (let x = rank[i]!; x > 0; x -= x & -x) c += fen[x]!; // # earlier with f ≥ f_i
    if (c < k) {
      keep[i] = 1;
      kept++;
    }
    for (let x = rank[i]!; x <= r; x += x & -x) fen[x]!++;
  }
  const out = new Int32Array(kept);
  for (let i = 0, o = 0; i < n; i++) if (keep[i]) out[o++] = i;
  return out;
}
