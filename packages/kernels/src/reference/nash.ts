/**
 * TypeScript reference twins of the Nash-product kernels of assembly/nash.ts (MODELS.md §2; seed 000
 * §2.1): choose `k` items maximising `U_G(S)·U_F(S)`, `U_G = Σ g`, `U_F = Σ f`, `g, f ≥ 0`.
 *
 * These follow the definitions of the forum package's benchmark (packages/forum/src/nash.ts: top-k with
 * ties to the smaller index, the normalised λ-sweep, swap local search, Theorem 3's DP with one
 * decision bit per (item, j, b)), restated here so that the kernels package depends on core only; the
 * WebAssembly kernels are tested against *these* on thousands of seeded instances. Same loops, same
 * float operations, same tie rules as the AssemblyScript code, so the answers are identical bit for
 * bit. Inputs are validated typed arrays (the public layer, ../nash.ts, validates).
 *
 * Conventions shared with the kernels: selected sets are returned ascending; sums over a set are
 * taken in ascending index order.
 */

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

/** Raw DP outcome (shared shape of both backends); `sel` holds item positions in the pool, ascending. */
export interface NashDpRaw {
  /** b̂, or −1 when no k-subset fits. */
  readonly bucket: number;
  /** D[k][b̂] (= U_G of the selected set up to float reassociation). */
  readonly dpValue: number;
  /** max_b D[k][b]·min((b+k)δ, F⁺): an upper bound on the best product among the plan's k-subsets. */
  readonly upper: number;
  readonly sel: Int32Array | null;
}

/**
 * Theorem 3's DP: `D[j][b] = max{U_G(T) : |T| = j, Σ_T w = b}` (0/1 recurrence, j and b descending,
 * one decision bit per (item, j, b)), b̂ maximising the pessimistic product `D[k][b]·bδ` (smallest b
 * on ties), reconstruction from the bits. O(m · k · B) time, O(m · k · B) bits.
 */
export function nashDpTs(plan: NashDpPlan): NashDpRaw {
  const { gq, w, k, B, cap, off, delta, Fp } = plan;
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
  const top = k * W;
  let bHat = -1;
  let pess = NEG_INF;
  let upper = 0;
  for (let b = 0; b <= cap[k]!; b++) {
    const d = D[top + b]!;
    if (!(d > NEG_INF)) continue;
    const lo = d * (b * delta);
    if (lo > pess) {
      pess = lo;
      bHat = b;
    }
    const hiF = (b + k) * delta;
    const hi = d * (hiF < Fp ? hiF : Fp);
    if (hi > upper) upper = hi;
  }
  if (bHat < 0) return { bucket: -1, dpValue: NEG_INF, upper, sel: null };
  const sel = new Int32Array(k);
  let j = k;
  let b = bHat;
  for (let t = m - 1; t >= 0 && j > 0; t--) {
    const idx = t * layer + off[j]! + b;
    if ((bits[floor(idx / 32)]! >>> (idx % 32)) & 1) {
      sel[--j] = t;
      b -= w[t]!;
    }
  }
  if (j !== 0 || b !== 0) throw new Error('internal: Nash DP reconstruction failed');
  return { bucket: bHat, dpValue: D[top + bHat]!, upper, sel };
}
