/**
 * The `nash` kernel family (MODELS.md §2; seed 000 §2.1): choose `k` items maximising
 * `U_G(S)·U_F(S)`, `U_G = Σ g`, `U_F = Σ f`, `g, f ≥ 0`. This file is the family's one TypeScript
 * reference — the backend interface {@link NashKernels}, its `'ts'` implementation, and the pure-TS
 * building blocks every backend shares (Lemma 1's dominance filter, the DP's plan, the choice of b̂ and
 * the reconstruction). The forum package's certified benchmark (packages/forum/src/nash.ts) and the
 * public entry points (./api.ts) run these kernels on any registered backend; `@mechlab/kernels`
 * registers WebAssembly twins (assembly/nash.ts) that perform the same loops, float operations and tie
 * rules, so the answers are identical bit for bit. Inputs are validated typed arrays (the public
 * layer validates).
 *
 * Conventions: selected sets are returned ascending; sums over a set are taken in ascending index
 * order.
 */
import type { BackendName } from '../backend';

// Module-level aliases of global builtins (jest's vm sandbox makes global lookups slow in hot loops).
const { floor, max, min } = Math;
const NEG_INF = -Infinity;

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

function sumOver(v: Float64Array, sel: Int32Array): number {
  let s = 0;
  for (let t = 0; t < sel.length; t++) s += v[sel[t]!]!;
  return s;
}

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

/**
 * The DP's discretisation, shared by both backends (so they see identical integer weights):
 * bucket weights `w_q = ⌊f_q/δ⌋` corrected so that `w_q·δ ≤ f_q < (w_q+1)·δ` holds in doubles
 * (clamped to B + 1 — such items never fit), `cap[j]` = min(B, sum of the j largest weights) and the
 * bit offsets of the rows inside an item's layer.
 */
export interface NashDpPlan {
  /** g of the DP's items, in pool order. */
  readonly gq: Float64Array;
  readonly w: Int32Array;
  readonly k: number;
  /** Largest bucket sum considered. */
  readonly B: number;
  readonly cap: Int32Array;
  /** off[j] = bit offset of row j in a layer; off[k+1] = layer size. */
  readonly off: Float64Array;
  readonly delta: number;
  /** Upper cap on U_F of any k-set (top-k sum of f over the pool). */
  readonly Fp: number;
  /** Decision bits: m · layer. */
  readonly bits: number;
}

/** Build the {@link NashDpPlan}. O(m log m). */
export function planNashDp(
  g: Float64Array,
  f: Float64Array,
  pool: Int32Array,
  k: number,
  delta: number,
  B: number,
  Fp: number,
): NashDpPlan {
  const m = pool.length;
  const gq = new Float64Array(m);
  const w = new Int32Array(m);
  for (let t = 0; t < m; t++) {
    const i = pool[t]!;
    gq[t] = g[i]!;
    const v = f[i]!;
    let q = min(floor(v / delta), B + 1);
    while (q > 0 && q * delta > v) q--;
    while (q <= B && (q + 1) * delta <= v) q++;
    w[t] = q;
  }
  const sortedW = Int32Array.from(w).sort().reverse();
  const cap = new Int32Array(k + 1);
  for (let j = 1; j <= k; j++) cap[j] = min(B, cap[j - 1]! + sortedW[j - 1]!);
  const off = new Float64Array(k + 2);
  for (let j = 1; j <= k; j++) off[j + 1] = off[j]! + cap[j]! + 1;
  return { gq, w, k, B, cap, off, delta, Fp, bits: off[k + 1]! * m };
}

/**
 * What a backend's DP kernel returns: the last row `D[k][0..cap[k]]` of the table (−∞ where no
 * k-subset has that bucket sum) and the decision bits (bit `t·layer + off[j] + b`, little-endian in
 * 32-bit words) from which {@link reconstructNashDp} recovers a set for any `b`.
 */
export interface NashDpTable {
  readonly top: Float64Array;
  readonly bits: Uint32Array;
}

/**
 * Theorem 3's DP table: `D[j][b] = max{U_G(T) : |T| = j, Σ_T w = b}` (0/1 recurrence, j and b
 * descending, one decision bit per (item, j, b) when the item improves the cell).
 * O(m · k · B) time, O(m · k · B) bits.
 */
export function nashDpTs(plan: NashDpPlan): NashDpTable {
  const { gq, w, k, B, cap, off } = plan;
  const m = gq.length;
  const W = B + 1;
  const layer = off[k + 1]!;
  const D = new Float64Array((k + 1) * W).fill(NEG_INF);
  D[0] = 0;
  const bits = new Uint32Array(floor((m * layer + 31) / 32) + 1);
  for (let t = 0; t < m; t++) {
    const wt = w[t]!;
    const v = gq[t]!;
    const jHi = min(t + 1, k);
    const jLo = max(1, k - (m - 1 - t));
    for (let j = jHi; j >= jLo; j--) {
      const bMax = min(cap[j]!, cap[j - 1]! + wt);
      const cur = j * W;
      const prev = (j - 1) * W - wt;
      const bitBase = t * layer + off[j]!;
      for (let b = bMax; b >= wt; b--) {
        const cand = D[prev + b]! + v;
        if (cand > D[cur + b]!) {
          D[cur + b] = cand;
          const idx = bitBase + b;
          bits[floor(idx / 32)]! |= 1 << (idx % 32);
        }
      }
    }
  }
  return { top: D.slice(k * W, k * W + cap[k]! + 1), bits };
}

/** The outcome of {@link pickNashDp}. */
export interface NashDpPick {
  /** b̂ maximising the pessimistic product (smallest b on ties), or −1 when no k-subset fits. */
  readonly bucket: number;
  /** `max_b (G₀ + D[k][b])·min(F₀ + (b+k)δ, F⁺)`: an upper bound on the plan's k-subsets (with the fixed items). */
  readonly upper: number;
  /** The reachable bucket sums, ascending. */
  readonly reachable: Int32Array;
}

/**
 * Choose b̂ from the DP's last row: the bucket sum maximising the pessimistic product
 * `(G₀ + D[k][b])·(F₀ + bδ)`, and the optimistic bound (Theorem 3; `G₀, F₀` are the sums of items
 * fixed in by Lemma 4, 0 without). O(B).
 */
export function pickNashDp(plan: NashDpPlan, table: NashDpTable, G0 = 0, F0 = 0): NashDpPick {
  const { k, delta, Fp } = plan;
  const top = table.top;
  let bHat = -1;
  let pess = NEG_INF;
  let upper = 0;
  const reach: number[] = [];
  for (let b = 0; b < top.length; b++) {
    const d = top[b]!;
    if (!(d > NEG_INF)) continue;
    const lo = (G0 + d) * (F0 + b * delta);
    if (lo > pess) {
      pess = lo;
      bHat = b;
    }
    const hiF = F0 + (b + k) * delta;
    const hi = (G0 + d) * (hiF < Fp ? hiF : Fp);
    if (hi > upper) upper = hi;
    reach.push(b);
  }
  return { bucket: bHat, upper, reachable: Int32Array.from(reach) };
}

/**
 * The k items (positions in the plan, ascending) of a set with bucket sum `b` and value
 * `D[k][b]`, read back from the decision bits. O(m).
 * @throws Error when the bits do not describe such a set (an internal bug).
 */
export function reconstructNashDp(plan: NashDpPlan, table: NashDpTable, b: number): Int32Array {
  const { w, k, off } = plan;
  const layer = off[k + 1]!;
  const bits = table.bits;
  const sel = new Int32Array(k);
  let j = k;
  let rest = b;
  for (let t = w.length - 1; t >= 0 && j > 0; t--) {
    const idx = t * layer + off[j]! + rest;
    if ((bits[floor(idx / 32)]! >>> (idx % 32)) & 1) {
      sel[--j] = t;
      rest -= w[t]!;
    }
  }
  if (j !== 0 || rest !== 0) throw new Error('internal: Nash DP reconstruction failed');
  return sel;
}

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

/**
 * The kernels a Nash backend implements, on validated typed arrays (indices into `g`/`f`; `pool`
 * distinct). Every backend must return exactly what the `'ts'` reference returns.
 */
export interface NashKernels {
  readonly backend: BackendName;
  /** {@link topKTs}. */
  topK(score: Float64Array, pool: Int32Array, k: number): Int32Array;
  /** {@link lambdaSweepTs}. */
  lambdaSweep(
    g: Float64Array,
    f: Float64Array,
    pool: Int32Array,
    k: number,
    lambdas: Float64Array,
  ): LambdaSweepRaw;
  /** {@link swapTs}. */
  swap(
    g: Float64Array,
    f: Float64Array,
    pool: Int32Array,
    start: Int32Array,
    maxPasses: number,
  ): { sel: Int32Array; passes: number };
  /** {@link nashDpTs}. */
  dp(plan: NashDpPlan): NashDpTable;
}

/** The TypeScript reference Nash kernels (registered as backend `'ts'`, family `nash`). */
export const tsNashKernels: NashKernels = Object.freeze({
  backend: 'ts',
  topK: topKTs,
  lambdaSweep: lambdaSweepTs,
  swap: swapTs,
  dp: nashDpTs,
});
