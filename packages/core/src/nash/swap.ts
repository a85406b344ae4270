/**
 * Swap local search from `start` (positions kept): for each position in turn, replace its item by the
 * pool non-member (first in pool order among equals) maximising the product if that beats the current
 * product by a factor 1 + 1e-12; stop after a pass without improvement or `maxPasses` passes.
 * Returns the final set in position order and the passes run. O(passes · k · m).
 */
export function swapTs(
  g: Float64Array,
  f: Float64Array,
  pool: Int32Array,
  start: Int32Array,
  maxPasses: number,
): { sel: Int32Array; passes: number } {
  const k = start.length;
  const sel = Int32Array.from(start);
  const inSet = new Uint8Array(g.length);
  let G = 0;
  let F = 0;
  for (let s = 0; s < k; s++) {
    const i = sel[s]!;
    inSet[i] = 1;
    G += g[i]!;
    F += f[i]!;
  }
  let pass = 0;
  while (pass < maxPasses) {
    pass++;
    let improved = false;
    for (let s = 0; s < k; s++) {
      const i = sel[s]!;
      const G0 = G - g[i]!;
      const F0 = F - f[i]!;
      const cur = G * F;
      let bj = -1;
      let bv = cur * (1 + 1e-12);
      for (let t = 0; t < pool.length; t++) {
        const j = pool[t]!;
        if (inSet[j] !== 0) continue;
        const v = (G0 + g[j]!) * (F0 + f[j]!);
        if (v > bv) {
          bv = v;
          bj = j;
        }
      }
      if (bj >= 0) {
        inSet[i] = 0;
        inSet[bj] = 1;
        sel[s] = bj;
        G = G0 + g[bj]!;
        F = F0 + f[bj]!;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return { sel, passes: pass };
}
