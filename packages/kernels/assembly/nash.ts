// Nash-product kernels of the GenAI–forum benchmark (MODELS.md §2; seed 000 §2.1): choose k items
// maximising U_G(S)·U_F(S) with additive utilities g, f ≥ 0. The WebAssembly twins of
// src/reference/nash.ts (same loops, same float operations, same tie rules ⇒ identical answers):
// - `nashLambdaSweep`: for each λ of a grid, the top-k set of λ·g/G⁺ + (1−λ)·f/F⁺ (G⁺, F⁺ = top-k sums),
//   its sums and the supporting-line value h(λ); keeps the set of largest product;
// - `nashSwap`: swap local search (replace a member by the best non-member while the product improves);
// - `nashDp`: the cardinality-constrained DP over a discretised U_F axis,
//   D[j][b] = max{U_G(T) : |T| = j, Σ_T w = b}, with one decision bit per (item, j, b).
import { ldf, ldi, ldu8, stf, sti, stu8 } from './memory';

/** "a is worse than b": smaller score, or equal score and larger index (ties → smaller index wins). */
function worse(score: usize, a: i32, b: i32): bool {
  const sa = ldf(score, a);
  const sb = ldf(score, b);
  return sa < sb || (sa == sb && a > b);
}

/**
 * Indices of the `k` largest `score[i]` over `pool` (i32[m]), ties to the smaller index, written to
 * `heap` (i32[k]) sorted ascending by index. Min-heap of size k, then heapsort: O(m log k). Returns
 * min(k, m).
 */
export function topK(score: usize, pool: usize, m: i32, k: i32, heap: usize): i32 {
  let size = 0;
  for (let t = 0; t < m; t++) {
    const i = ldi(pool, t);
    if (size < k) {
      let pos = size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        const hp = ldi(heap, parent);
        if (!worse(score, i, hp)) break;
        sti(heap, pos, hp);
        pos = parent;
      }
      sti(heap, pos, i);
    } else if (worse(score, ldi(heap, 0), i)) {
      siftDownWorse(score, heap, size, 0, i);
    }
  }
  sortAscending(heap, size);
  return size;
}

function siftDownWorse(score: usize, heap: usize, size: i32, start: i32, x: i32): void {
  let pos = start;
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && worse(score, ldi(heap, r), ldi(heap, l)) ? r : l;
    const hc = ldi(heap, c);
    if (!worse(score, hc, x)) break;
    sti(heap, pos, hc);
    pos = c;
  }
  sti(heap, pos, x);
}

/** In-place heapsort of i32[len] ascending. */
function sortAscending(a: usize, len: i32): void {
  for (let s = (len >> 1) - 1; s >= 0; s--) siftDownMax(a, len, s);
  for (let end = len - 1; end > 0; end--) {
    const t = ldi(a, 0);
    sti(a, 0, ldi(a, end));
    sti(a, end, t);
    siftDownMax(a, end, 0);
  }
}

function siftDownMax(a: usize, len: i32, start: i32): void {
  let pos = start;
  const x = ldi(a, pos);
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= len) break;
    const r = l + 1;
    const c = r < len && ldi(a, r) > ldi(a, l) ? r : l;
    const v = ldi(a, c);
    if (v <= x) break;
    sti(a, pos, v);
    pos = c;
  }
  sti(a, pos, x);
}

function sumOver(v: usize, sel: usize, len: i32): f64 {
  let s: f64 = 0;
  for (let t = 0; t < len; t++) s += ldf(v, ldi(sel, t));
  return s;
}

/**
 * λ-sweep top-k. Layout: `g`, `f` f64[n]; `pool` i32[m] (candidate items, any order); `lambdas` f64[L];
 * scratch `score` f64[n], `heap` i32[k]; out `uG`, `uF`, `h` f64[L] per λ, `best` i32[k] (the set of
 * largest product, ascending; first λ wins ties), `norms` f64[2] = (G⁺, F⁺). Normalisers: G⁺ is the
 * sum of the top-k g over the pool (1 when that is 0), F⁺ likewise. Returns the best λ's index.
 * O(L · m log k).
 */
export function nashLambdaSweep(
  n: i32,
  g: usize,
  f: usize,
  pool: usize,
  m: i32,
  k: i32,
  lambdas: usize,
  L: i32,
  score: usize,
  heap: usize,
  uG: usize,
  uF: usize,
  h: usize,
  best: usize,
  norms: usize,
): i32 {
  let kk = topK(g, pool, m, k, heap);
  let Gp = sumOver(g, heap, kk);
  kk = topK(f, pool, m, k, heap);
  let Fp = sumOver(f, heap, kk);
  if (!(Gp > 0)) Gp = 1;
  if (!(Fp > 0)) Fp = 1;
  stf(norms, 0, Gp);
  stf(norms, 1, Fp);
  let bestL = -1;
  let bestV: f64 = -Infinity;
  for (let l = 0; l < L; l++) {
    const lam = ldf(lambdas, l);
    const a = lam / Gp;
    const b = (1 - lam) / Fp;
    for (let t = 0; t < m; t++) {
      const i = ldi(pool, t);
      stf(score, i, a * ldf(g, i) + b * ldf(f, i));
    }
    kk = topK(score, pool, m, k, heap);
    const sg = sumOver(g, heap, kk);
    const sf = sumOver(f, heap, kk);
    stf(uG, l, sg);
    stf(uF, l, sf);
    stf(h, l, (lam * sg) / Gp + ((1 - lam) * sf) / Fp);
    const v = sg * sf;
    if (v > bestV) {
      bestV = v;
      bestL = l;
      memory.copy(best, heap, (<usize>kk) << 2);
    }
  }
  return bestL;
}

/**
 * Swap local search from `sel` (i32[k], in/out, any order; positions are kept): for each position in
 * turn, replace its item by the non-member of `pool` (i32[m], scanned in order, strict improvement
 * over product·(1 + 1e−12)) that maximises the product; repeat until a pass improves nothing or
 * `maxPasses` passes. Scratch `inSet` u8[n]. Returns the number of passes run. O(passes · k · m).
 */
export function nashSwap(
  n: i32,
  g: usize,
  f: usize,
  pool: usize,
  m: i32,
  k: i32,
  sel: usize,
  inSet: usize,
  maxPasses: i32,
): i32 {
  memory.fill(inSet, 0, <usize>n);
  let G: f64 = 0;
  let F: f64 = 0;
  for (let s = 0; s < k; s++) {
    const i = ldi(sel, s);
    stu8(inSet, i, 1);
    G += ldf(g, i);
    F += ldf(f, i);
  }
  let pass = 0;
  while (pass < maxPasses) {
    pass++;
    let improved = false;
    for (let s = 0; s < k; s++) {
      const i = ldi(sel, s);
      const G0 = G - ldf(g, i);
      const F0 = F - ldf(f, i);
      const cur = G * F;
      let bj = -1;
      let bv = cur * (1 + 1e-12);
      for (let t = 0; t < m; t++) {
        const j = ldi(pool, t);
        if (ldu8(inSet, j) != 0) continue;
        const v = (G0 + ldf(g, j)) * (F0 + ldf(f, j));
        if (v > bv) {
          bv = v;
          bj = j;
        }
      }
      if (bj >= 0) {
        stu8(inSet, i, 0);
        stu8(inSet, bj, 1);
        sti(sel, s, bj);
        G = G0 + ldf(g, bj);
        F = F0 + ldf(f, bj);
        improved = true;
      }
    }
    if (!improved) break;
  }
  return pass;
}

/**
 * Cardinality-constrained DP over bucketed U_F. Layout: `gq` f64[m] (g of the DP's items, in item
 * order), `w` i32[m] (bucket weights); `cap` i32[k+1] (cap[j] = largest bucket sum of j items, ≤ B);
 * `off` f64[k+2] (bit offset of row j inside an item's layer; layer = off[k+1]); scratch `table`
 * f64[(k+1)·(B+1)], `bits` i32[⌈m·layer/32⌉+1]; out `sel` i32[k] (item positions, ascending),
 * `out` f64[3] = (D[k][b̂], b̂, upper = max_b D[k][b]·min((b+k)δ, F⁺)).
 * b̂ maximises the pessimistic product D[k][b]·bδ (smallest b on ties). Returns b̂, −1 when no
 * k-subset fits, −2 if the reconstruction failed (a bug). O(m · k · B).
 */
export function nashDp(
  m: i32,
  gq: usize,
  w: usize,
  k: i32,
  B: i32,
  cap: usize,
  off: usize,
  table: usize,
  bits: usize,
  delta: f64,
  Fp: f64,
  sel: usize,
  out: usize,
): i32 {
  const W = B + 1;
  const layer = <u64>ldf(off, k + 1);
  const cells = (k + 1) * W;
  for (let c = 0; c < cells; c++) stf(table, c, -Infinity);
  stf(table, 0, 0);
  const words = (<u64>m * layer + 31) >> 5;
  memory.fill(bits, 0, (<usize>(words + 1)) << 2);
  for (let t = 0; t < m; t++) {
    const wt = ldi(w, t);
    const v = ldf(gq, t);
    const jHi = min(t + 1, k);
    const jLo = max(1, k - (m - 1 - t));
    for (let j = jHi; j >= jLo; j--) {
      const bMax = min(ldi(cap, j), ldi(cap, j - 1) + wt);
      const cur = j * W;
      const prev = (j - 1) * W - wt;
      const bitBase = <u64>t * layer + <u64>ldf(off, j);
      for (let b = bMax; b >= wt; b--) {
        const cand = ldf(table, prev + b) + v;
        if (cand > ldf(table, cur + b)) {
          stf(table, cur + b, cand);
          const idx = bitBase + <u64>b;
          const wp = bits + ((<usize>(idx >> 5)) << 2);
          const sh = <u32>(idx & 31);
          const mask: u32 = 1;
          store<u32>(wp, load<u32>(wp) | (mask << sh));
        }
      }
    }
  }
  const top = k * W;
  let bHat = -1;
  let pess: f64 = -Infinity;
  let upper: f64 = 0;
  const capK = ldi(cap, k);
  for (let b = 0; b <= capK; b++) {
    const d = ldf(table, top + b);
    if (!(d > -Infinity)) continue;
    const lo = d * (<f64>b * delta);
    if (lo > pess) {
      pess = lo;
      bHat = b;
    }
    const hiF = <f64>(b + k) * delta;
    const hi = d * (hiF < Fp ? hiF : Fp);
    if (hi > upper) upper = hi;
  }
  stf(out, 2, upper);
  if (bHat < 0) return -1;
  stf(out, 0, ldf(table, top + bHat));
  stf(out, 1, <f64>bHat);
  let j = k;
  let b = bHat;
  for (let t = m - 1; t >= 0 && j > 0; t--) {
    const idx = <u64>t * layer + <u64>ldf(off, j) + <u64>b;
    const word = load<u32>(bits + ((<usize>(idx >> 5)) << 2));
    const sh = <u32>(idx & 31);
    if (((word >>> sh) & 1) != 0) {
      sti(sel, --j, t);
      b -= ldi(w, t);
    }
  }
  if (j != 0 || b != 0) return -2;
  return bHat;
}
