import { sumOver } from './sum-over';
import { topKTs } from './top-k';

// Module-level aliases of global builtins (jest's vm sandbox makes global lookups slow in hot loops).
const NEG_INF = -Infinity;

/** Raw result of the λ-sweep (shared shape of both backends). */
export interface LambdaSweepRaw {
  /** Per λ: U_G, U_F of its top-k set and the supporting-line value h(λ) in normalised units. */
  readonly uG: Float64Array;
  readonly uF: Float64Array;
  readonly h: Float64Array;
  /** Index of the λ whose set has the largest product (first on ties). */
  readonly bestIndex: number;
  /** That set, ascending. */
  readonly best: Int32Array;
  /** Normalisers G⁺, F⁺ (top-k sums over the pool; 1 when 0). */
  readonly G: number;
  readonly F: number;
}

/**
 * λ-sweep top-k: for each λ, the top-k set of `(λ/G⁺)·g + ((1−λ)/F⁺)·f` over the pool.
 * O(L · m log k).
 */
export function lambdaSweepTs(
  g: Float64Array,
  f: Float64Array,
  pool: Int32Array,
  k: number,
  lambdas: Float64Array,
): LambdaSweepRaw {
  const n = g.length;
  const L = lambdas.length;
  let G = sumOver(g, topKTs(g, pool, k));
  let F = sumOver(f, topKTs(f, pool, k));
  if (!(G > 0)) G = 1;
  if (!(F > 0)) F = 1;
  const score = new Float64Array(n);
  const uG = new Float64Array(L);
  const uF = new Float64Array(L);
  const h = new Float64Array(L);
  let bestIndex = -1;
  let bestV = NEG_INF;
  let best = new Int32Array(0);
  for (let l = 0; l < L; l++) {
    const lam = lambdas[l]!;
    const a = lam / G;
    const b = (1 - lam) / F;
    for (let t = 0; t < pool.length; t++) {
      const i = pool[t]!;
      score[i] = a * g[i]! + b * f[i]!;
    }
    const sel = topKTs(score, pool, k);
    const sg = sumOver(g, sel);
    const sf = sumOver(f, sel);
    uG[l] = sg;
    uF[l] = sf;
    h[l] = (lam * sg) / G + ((1 - lam) * sf) / F;
    const v = sg * sf;
    if (v > bestV) {
      bestV = v;
      bestIndex = l;
      best = Int32Array.from(sel);
    }
  }
  return { uG, uF, h, bestIndex, best, G, F };
}
