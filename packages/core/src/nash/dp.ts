// Module-level aliases of global builtins (jest's vm sandbox makes global lookups slow in hot loops).
const { floor, max, min } = Math;
const NEG_INF = -Infinity;

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
  /**
   * The pick without fixed items (`G₀ = F₀ = 0`), when the backend's kernel already made it in the same
   * call (the WebAssembly kernel does): `bucket` and `upper` as {@link pickNashDp}`(plan, table)`, `items`
   * as {@link reconstructNashDp} at that bucket (empty when `bucket` is −1). Core's conformance suite
   * checks the equality; {@link nashDpSelection} uses it instead of picking and reading back again.
   */
  readonly pick?: { readonly bucket: number; readonly upper: number; readonly items: Int32Array };
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
 * b̂, the upper bound and the k items (plan positions, ascending; empty when no k-subset fits) for a
 * DP without fixed items: the backend's own {@link NashDpTable.pick} when it made one, else
 * {@link pickNashDp} + {@link reconstructNashDp} — so each backend builds the selection once.
 * O(1) with a backend pick, else O(B + m).
 */
export function nashDpSelection(
  plan: NashDpPlan,
  table: NashDpTable,
): { readonly bucket: number; readonly upper: number; readonly items: Int32Array } {
  if (table.pick !== undefined) return table.pick;
  const { bucket, upper } = pickNashDp(plan, table);
  return { bucket, upper, items: bucket < 0 ? new Int32Array(0) : reconstructNashDp(plan, table, bucket) };
}
