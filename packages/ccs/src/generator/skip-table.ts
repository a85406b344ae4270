// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { ceil, floor, log1p, max, min } = Math;

/** Largest table of geometric-skip thresholds (entries). */
const SKIP_TABLE_MAX = 4096;
/** Tail probability left to `log1p`: the table covers skips below `K` with `P(skip ≥ K) ≈ 1e-4`. */
const SKIP_TABLE_TAIL = 1e-4;
/** Below this ρ the thresholds crowd the buckets and `log1p` per edge is as fast: no table. */
const SKIP_TABLE_MIN_RHO = 1e-3;
/** Buckets of the table's first lookup: the top 12 of the 27 high bits of a draw. */
export const BUCKET_BITS = 12;
const TWO_POW_53 = 9007199254740992;
export const TWO_POW_M53 = 1 / TWO_POW_53;

/**
 * Exact integer thresholds for the geometric skips of {@link randomCcsInstance}.
 *
 * A draw `u = U·2⁻⁵³` (U a 53-bit integer, as `Rng.next()` makes it) skips
 * `g(U) = ⌊log1p(−u) / log1p(−ρ)⌋` slots. `g` is non-decreasing in U, so `g(U) ≥ k` ⇔ `U ≥ T_k` with
 * `T_k` the least such U, found once per ρ by bisection over the same `Math.log1p` expression. A
 * draw's skip is then the number of thresholds ≤ U: the top bits of U pick a bucket whose first
 * skip is stored, and a comparison or two finish it; draws beyond `T_K` (probability ≈ 1e-4) fall
 * back to `log1p`. The result is *exactly* `g(U)`, so the random stream and every instance are
 * byte-identical to the `log1p`-per-edge generator (differential test in ccs-generator-fast.test.ts),
 * at integer-compare cost instead of ≈ 28 ns of `log1p` per edge.
 *
 * Monotonicity of the float expression on the 2⁻⁵³ grid: near `T_k` one grid step moves `log1p(−u)` by
 * `2⁻⁵³/(1−u)`, several ulps of the result for every k in the table, and `log1p` is accurate to < 1 ulp
 * (fdlibm), so a step never goes backwards; division by a constant and `⌊·⌋` keep the order.
 */
export interface SkipTable {
  readonly rho: number;
  /** `log1p(−ρ)` as the reference computes it. */
  readonly lq: number;
  /** Number of thresholds `K`; `T[k]` for `k = 1..K` (T[0] = 0). */
  readonly size: number;
  /** `T_k` as exact integers in doubles (< 2⁵³). */
  readonly thresholds: Float64Array;
  /** Skip at the first U of each of the `2^BUCKET_BITS` buckets (capped at K). */
  readonly bucketStart: Uint16Array;
}

function skipOf(u53: number, lq: number): number {
  return floor(log1p(-(u53 * TWO_POW_M53)) / lq);
}

const skipTables = new Map<number, SkipTable>();

/**
 * The threshold table of ρ (cached per ρ, a handful at a time), or `undefined` where geometric skips
 * go through `log1p` (ρ < 1e-3, or ρ ≥ 1 where every slot is an edge).
 *
 * Complexity O(K·53) `log1p` calls once per ρ (K ≤ 4096; K = 88 at ρ = 0.1: ≈ 0.1 ms).
 */
export function geometricSkipTable(rho: number): SkipTable | undefined {
  if (!(rho >= SKIP_TABLE_MIN_RHO && rho < 1)) return undefined;
  const hit = skipTables.get(rho);
  if (hit) return hit;
  const lq = log1p(-rho);
  const maxSkip = skipOf(TWO_POW_53 - 1, lq);
  const K = max(0, min(SKIP_TABLE_MAX, maxSkip, ceil(log1p(-(1 - SKIP_TABLE_TAIL)) / lq)));
  const T = new Float64Array(K + 1);
  let lo = 0;
  for (let k = 1; k <= K; k++) {
    // Least U in (lo, 2⁵³) with skipOf(U) ≥ k; skipOf(2⁵³−1) ≥ K ≥ k, so it exists.
    let hi = TWO_POW_53 - 1;
    while (lo < hi) {
      const mid = lo + floor((hi - lo) / 2);
      if (skipOf(mid, lq) >= k) hi = mid;
      else lo = mid + 1;
    }
    T[k] = lo;
  }
  const buckets = 1 << BUCKET_BITS;
  const bucketStart = new Uint16Array(buckets);
  const width = TWO_POW_53 / buckets;
  let k = 0;
  for (let b = 0; b < buckets; b++) {
    const u0 = b * width;
    while (k < K && T[k + 1]! <= u0) k++;
    bucketStart[b] = k;
  }
  const table: SkipTable = { rho, lq, size: K, thresholds: T, bucketStart };
  if (skipTables.size >= 16) skipTables.clear();
  skipTables.set(rho, table);
  return table;
}
