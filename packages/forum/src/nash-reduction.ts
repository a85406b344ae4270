/** Lemma 4 (bound fixing) of the Nash-product benchmark (nash.ts module comment). */
import type { NashCandidate } from './nash-types';
import { SLACK, maxProductOnPolygon, type Line, type SweepLine } from './nash-polygon';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { max } = Math;

/** Lemma 4's outcome: items every optimal set holds, and the items the DP still has to decide. */
export interface Reduction {
  fixed: Int32Array;
  free: Int32Array;
}

/**
 * Lemma 4 (bound fixing). For a sweep line l and an item i, the best k-set containing i has linear
 * value h(l) if i is in l's top-k set, else h(l) − s_k + s_i; the best k-set avoiding i has h(l) if i is
 * outside, else h(l) − s_i + s_{k+1} (s_k, s_{k+1}: the k-th and (k+1)-th scores). Replacing every h by
 * these values gives a polygon that holds all sets containing (resp. avoiding) i, so Lemma 2 bounds their
 * products. If the bound for "contains i" is below the best known product P_h, no optimal set holds i
 * (prune); if the bound for "avoids i" is below P_h, every optimal set holds i (fix). The best heuristic
 * set is never pruned nor left unfixed wrongly: it has product P_h itself. O(|P|·m³).
 */
export function boundReduction(
  g: Float64Array,
  f: Float64Array,
  P: Int32Array,
  k: number,
  lines: readonly SweepLine[],
  best: NashCandidate,
  Gp: number,
  Fp: number,
): Reduction {
  const inBest = new Uint8Array(g.length);
  for (let t = 0; t < best.selected.length; t++) inBest[best.selected[t]!] = 1;
  const fixed: number[] = [];
  const free: number[] = [];
  const li: Line[] = lines.map((l) => ({ a: l.a, b: l.b, h: l.h }));
  const scale = Gp * Fp * (1 + SLACK);
  for (let t = 0; t < P.length; t++) {
    const i = P[t]!;
    for (let l = 0; l < lines.length; l++) {
      const L = lines[l]!;
      const s = (L.a * g[i]!) / Gp + (L.b * f[i]!) / Fp;
      const h = inBest[i] ? (L.member[i] ? L.h - s + L.sk1 : L.h) : L.member[i] ? L.h : L.h - L.sk + s;
      li[l]!.h = max(0, h);
    }
    const bound = maxProductOnPolygon(li).value * scale;
    if (bound < best.product) {
      if (inBest[i]) fixed.push(i);
      // else: pruned
    } else free.push(i);
  }
  if (fixed.length > k || free.length < k - fixed.length) {
    // Only rounding could cause this; fall back to no reduction.
    return { fixed: new Int32Array(0), free: Int32Array.from(P) };
  }
  return { fixed: Int32Array.from(fixed), free: Int32Array.from(free) };
}
