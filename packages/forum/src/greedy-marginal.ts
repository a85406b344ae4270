/** The greedy-marginal heuristic of the Nash-product benchmark's set H (nash.ts module comment). */
/** Greedy marginal Nash product: add the item maximising (G+g_i)(F+f_i), k times. O(k·|pool|). */
export function greedyMarginal(g: Float64Array, f: Float64Array, pool: Int32Array, k: number): Int32Array {
  const used = new Uint8Array(g.length);
  const sel = new Int32Array(k);
  let G = 0,
    F = 0;
  for (let s = 0; s < k; s++) {
    let bi = -1,
      bv = -Infinity,
      bl = -Infinity;
    for (let t = 0; t < pool.length; t++) {
      const i = pool[t]!;
      if (used[i]) continue;
      const v = (G + g[i]!) * (F + f[i]!);
      // Tie-break by the normalised linear gain so the all-zero start still makes progress.
      const l = g[i]! + f[i]!;
      if (v > bv || (v === bv && l > bl)) {
        bv = v;
        bl = l;
        bi = i;
      }
    }
    used[bi] = 1;
    sel[s] = bi;
    G += g[bi]!;
    F += f[bi]!;
  }
  return sel;
}
