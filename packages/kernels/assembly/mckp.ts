// Multiple-choice knapsack DP — the WebAssembly twin of packages/ccs/src/mckp.ts (mckpGeneralTs,
// mckpDenseTs). Same recurrence, same tie rule, same float operations, so values and choices are
// identical to the TS reference bit for bit:
//   V_i(b) = max over items t of class i with w_t ≤ b of V_{i−1}(b − w_t) + p_t   (−∞ if none),
// scanning items in index order with a strict `>` (lowest index wins ties). The TS reference loops
// item-outer / budget-inner and stores into the row; so does the general kernel here, two budgets per
// f64x2 SIMD lane pair (value and argmax blended by the same `>` mask) — per cell the same candidates
// in the same order with the same strict `>`, hence the same result. The dense kernel loops
// budget-outer / item-inner so the running maximum of a cell stays in registers. (Measured: for dense,
// budget-outer plus a pointer walk over interleaved (profit, byte offset) pairs is ~30% faster under V8
// than indexed loads; see the README's benchmark notes.)
import { ldf, ldi, stf, sti } from './memory';

function storeArg<T>(arg: usize, cell: i32, v: i32): void {
  store<T>(arg + ((<usize>cell) << alignof<T>()), <T>v);
}
function loadArg<T>(arg: usize, cell: i32): i32 {
  return <i32>load<T>(arg + ((<usize>cell) << alignof<T>()));
}

function generalT<T>(
  n: i32,
  C: i32,
  classStart: usize,
  weights: usize,
  profits: usize,
  arg: usize,
  rows: usize,
  choice: usize,
  out: usize,
): f64 {
  const width = C + 1;
  let prev = rows;
  let cur = rows + ((<usize>width) << 3);
  // The current row's argmax as f64 (−1 = none), blended with the same SIMD mask as the values and
  // narrowed into `arg` once per class.
  const argF = rows + ((<usize>(2 * width)) << 3);
  memory.fill(prev, 0, (<usize>width) << 3); // V_{−1}(b) = 0
  const ninf = f64x2.splat(-Infinity);
  const none = f64x2.splat(-1.0);
  for (let i = 0; i < n; i++) {
    const s = ldi(classStart, i);
    const e = ldi(classStart, i + 1);
    const row = i * width;
    let b = 0;
    for (; b + 1 <= C; b += 2) {
      v128.store(cur + ((<usize>b) << 3), ninf);
      v128.store(argF + ((<usize>b) << 3), none);
    }
    for (; b <= C; b++) {
      stf(cur, b, -Infinity);
      stf(argF, b, -1.0);
    }
    // Item-outer, budget-inner, two budgets per f64x2: for each cell the candidates are still met in
    // item order with a strict `>`, so the value and the (lowest-index) argmax are the scalar ones.
    for (let t = s; t < e; t++) {
      const w = ldi(weights, t);
      if (w > C) continue;
      const pt = ldf(profits, t);
      const pv = f64x2.splat(pt);
      const lf = <f64>(t - s);
      const lv = f64x2.splat(lf);
      let pp = prev;
      let pc = cur + ((<usize>w) << 3);
      let pa = argF + ((<usize>w) << 3);
      const stop = cur + ((<usize>C) << 3); // pc < stop ⇔ both lanes ≤ C
      while (pc < stop) {
        const cand = f64x2.add(v128.load(pp), pv);
        const c = v128.load(pc);
        const m = f64x2.gt(cand, c);
        v128.store(pc, v128.bitselect(cand, c, m));
        v128.store(pa, v128.bitselect(lv, v128.load(pa), m));
        pp += 16;
        pc += 16;
        pa += 16;
      }
      if (pc == stop) {
        const cand = load<f64>(pp) + pt;
        if (cand > load<f64>(pc)) {
          store<f64>(pc, cand);
          store<f64>(pa, lf);
        }
      }
    }
    for (let c = 0; c <= C; c++) storeArg<T>(arg, row + c, <i32>ldf(argF, c));
    const tmp = prev;
    prev = cur;
    cur = tmp;
  }
  const value = n == 0 ? 0.0 : ldf(prev, C);
  if (value == -Infinity) return value;
  let b = C;
  let weight = 0;
  for (let i = n - 1; i >= 0; i--) {
    const local = loadArg<T>(arg, i * width + b);
    sti(choice, i, local);
    const w = ldi(weights, ldi(classStart, i) + local);
    weight += w;
    b -= w;
  }
  sti(out, 0, weight);
  return value;
}

/**
 * General MCKP. Layout (byte offsets): `classStart` i32[n+1], `weights` i32[items] (≥ 0),
 * `profits` f64[items], `arg` T[n·(C+1)] (T = i16 when `wide == 0`, else i32), `rows` f64[3·(C+1)]
 * scratch (two value rows and the argmax row), `choice` i32[n] out, `out` i32[1] out (total weight). Returns the optimal value, or −∞ when
 * no choice fits (then `choice`/`out` are not written). O(Σ items · (C+1)).
 */
export function mckpGeneral(
  n: i32,
  C: i32,
  classStart: usize,
  weights: usize,
  profits: usize,
  wide: i32,
  arg: usize,
  rows: usize,
  choice: usize,
  out: usize,
): f64 {
  return wide != 0
    ? generalT<i32>(n, C, classStart, weights, profits, arg, rows, choice, out)
    : generalT<i16>(n, C, classStart, weights, profits, arg, rows, choice, out);
}

function denseT<T>(
  n: i32,
  D: i32,
  profits: usize,
  arg: usize,
  rows: usize,
  listK: usize,
  list: usize,
  choice: usize,
): f64 {
  const width = D + 1;
  let prev = rows;
  let cur = rows + ((<usize>width) << 3);
  memory.fill(prev, 0, (<usize>width) << 3);
  for (let i = 0; i < n; i++) {
    const base = i * width;
    const p0 = ldf(profits, base);
    // Undominated items: a heavier item matters only if its profit strictly beats every lighter one
    // (value rows are non-decreasing in b, float addition is monotone, ties go to the lower index).
    // Kept as interleaved (profit, byte offset k·8) pairs so the hot loop walks one pointer.
    let cnt = 0;
    let bestP = p0;
    for (let k = 1; k <= D; k++) {
      const pk = ldf(profits, base + k);
      if (pk > bestP) {
        bestP = pk;
        sti(listK, cnt, k);
        const at = list + ((<usize>cnt) << 4);
        store<f64>(at, pk);
        store<i64>(at, (<i64>k) << 3, 8);
        cnt++;
      }
    }
    // V_i(b) = max(V_{i−1}(b) + p_0, max over undominated k ≤ b of V_{i−1}(b − k) + p_k), k ascending,
    // strict > (lowest k wins ties). `lim` = number of undominated items with k ≤ b.
    let lim = 0;
    for (let b = 0; b <= D; b++) {
      while (lim < cnt && ldi(listK, lim) <= b) lim++;
      const pb = prev + ((<usize>b) << 3);
      let v = load<f64>(pb) + p0;
      let a: usize = 0;
      const end = list + ((<usize>lim) << 4);
      for (let pp = list; pp < end; pp += 16) {
        const off = <usize>load<i64>(pp, 8);
        const cand = load<f64>(pb - off) + load<f64>(pp);
        if (cand > v) {
          v = cand;
          a = off;
        }
      }
      stf(cur, b, v);
      storeArg<T>(arg, base + b, <i32>(a >> 3));
    }
    const tmp = prev;
    prev = cur;
    cur = tmp;
  }
  let b = D;
  for (let i = n - 1; i >= 0; i--) {
    const k = loadArg<T>(arg, i * width + b);
    sti(choice, i, k);
    b -= k;
  }
  return n == 0 ? 0.0 : ldf(prev, D);
}

/**
 * Dense NSR-layout MCKP: `n` classes of items `k = 0..D` (weight k), capacity D. Layout: `profits`
 * f64[n·(D+1)], `arg` T[n·(D+1)] (i16 when `wide == 0`), `rows` f64[2·(D+1)], `listK` i32[D+1],
 * `list` f64[2·(D+1)] scratch, `choice` i32[n] out. Returns the optimal value (always feasible).
 * O(n · (D+1) · undominated items) ≤ O(n · D²).
 */
export function mckpDense(
  n: i32,
  D: i32,
  profits: usize,
  wide: i32,
  arg: usize,
  rows: usize,
  listK: usize,
  list: usize,
  choice: usize,
): f64 {
  return wide != 0
    ? denseT<i32>(n, D, profits, arg, rows, listK, list, choice)
    : denseT<i16>(n, D, profits, arg, rows, listK, list, choice);
}
