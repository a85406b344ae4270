// Greedy Cost Selection (seed 004 Algorithm 2, MODELS.md §1.3.4) — the WebAssembly twin of
// packages/ccs/src/solvers/gcs.ts (`gcsPortions`): same order (cost ascending, ties by index),
// same incremental (cost, denominator) bookkeeping with a counted "big term" set and a
// Neumaier-compensated running sum used as a filter, same from-scratch confirmation and budget clamp —
// the same float operations in the same order, so `p` and `k` are identical to the reference.
import { ldf, ldi, ldu32, stf, sti, stu32 } from './memory';

const FILTER_TOL: f64 = 1e-6;
const SUM_TOL: f64 = 1e-12;

/** Tight-portion term c/d, or −1 for a "big" term (> 1, including c > 0 with d ≤ 0). */
function termOf(c: f64, d: f64): f64 {
  return c <= 0 ? 0 : c > d ? -1 : c / d;
}

/**
 * Indices 0..n−1 sorted by `keys` (f64 ≥ 0, no NaN) ascending, ties by index, written to `order`.
 * Insertion sort for n ≤ 64; otherwise an LSD radix sort on the IEEE-754 bit pattern (non-negative
 * doubles order like their unsigned bit patterns; −0 is mapped to +0) with four stable 16-bit passes.
 * Scratch: `tmp` i32[n], `lo`, `hi`, `lo2`, `hi2` u32[n], `count` i32[65537].
 */
export function sortIndicesByKey(
  n: i32,
  keys: usize,
  order: usize,
  tmp: usize,
  lo: usize,
  hi: usize,
  lo2: usize,
  hi2: usize,
  count: usize,
): void {
  if (n <= 64) {
    for (let i = 0; i < n; i++) {
      const k = ldf(keys, i) + 0.0;
      let j = i;
      while (j > 0) {
        const o = ldi(order, j - 1);
        if (!(ldf(keys, o) + 0.0 > k)) break;
        sti(order, j, o);
        j--;
      }
      sti(order, j, i);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const bits = reinterpret<u64>(ldf(keys, i) + 0.0);
    stu32(lo, i, <u32>bits);
    stu32(hi, i, <u32>(bits >>> 32));
    sti(order, i, i);
  }
  let src = order;
  let dst = tmp;
  let sLo = lo;
  let sHi = hi;
  let dLo = lo2;
  let dHi = hi2;
  for (let pass = 0; pass < 4; pass++) {
    const digits = pass < 2 ? sLo : sHi;
    const shift: u32 = (pass & 1) * 16;
    memory.fill(count, 0, 65537 << 2);
    for (let t = 0; t < n; t++) {
      const d = <i32>((ldu32(digits, t) >>> shift) & 0xffff);
      sti(count, d + 1, ldi(count, d + 1) + 1);
    }
    if (ldi(count, 1 + <i32>((ldu32(digits, 0) >>> shift) & 0xffff)) == n) continue;
    for (let b = 0; b < 65536; b++) sti(count, b + 1, ldi(count, b + 1) + ldi(count, b));
    for (let t = 0; t < n; t++) {
      const d = <i32>((ldu32(digits, t) >>> shift) & 0xffff);
      const at = ldi(count, d);
      sti(count, d, at + 1);
      sti(dst, at, ldi(src, t));
      stu32(dLo, at, ldu32(sLo, t));
      stu32(dHi, at, ldu32(sHi, t));
    }
    let x = src;
    src = dst;
    dst = x;
    x = sLo;
    sLo = dLo;
    dLo = x;
    x = sHi;
    sHi = dHi;
    dHi = x;
  }
  if (src != order) memory.copy(order, src, (<usize>n) << 2);
}

/**
 * GCS portions. Layout: `theta`, `cost` f64[n]; CSR `inStart` i32[n+1], `inFrom` i32[m],
 * `inWeight` f64[m], `outStart` i32[n+1], `outTo` i32[m], `outWeight` f64[m]; `order` i32[n] out
 * (sorted players); `cd` f64[2n] scratch; `p` f64[n] out; sort scratch as {@link sortIndicesByKey}.
 * Returns k = |T_k| (0 when no k is feasible; then p = 0). O(n + |E|) plus the sort.
 */
export function gcsPortions(
  n: i32,
  theta: usize,
  cost: usize,
  inStart: usize,
  inFrom: usize,
  inWeight: usize,
  outStart: usize,
  outTo: usize,
  outWeight: usize,
  order: usize,
  cd: usize,
  p: usize,
  tmp: usize,
  lo: usize,
  hi: usize,
  lo2: usize,
  hi2: usize,
  count: usize,
): i32 {
  sortIndicesByKey(n, cost, order, tmp, lo, hi, lo2, hi2, count);
  for (let i = 0; i < n; i++) {
    let d = ldf(theta, i);
    const e1 = ldi(inStart, i + 1);
    for (let e = ldi(inStart, i); e < e1; e++) d += ldf(inWeight, e);
    stf(cd, 2 * i, ldf(cost, i) + 0.0);
    stf(cd, 2 * i + 1, d);
  }
  let big = 0;
  let acc0: f64 = 0;
  let acc1: f64 = 0;
  for (let i = 0; i < n; i++) {
    const t = termOf(ldf(cd, 2 * i), ldf(cd, 2 * i + 1));
    if (t < 0) big++;
    else {
      const s = acc0;
      const u = s + t;
      acc1 += abs<f64>(s) >= abs<f64>(t) ? s - u + t : t - u + s;
      acc0 = u;
    }
  }
  for (let k = n; k >= 1; k--) {
    if (
      big == 0 &&
      acc0 + acc1 <= 1 + FILTER_TOL &&
      confirm(n, theta, cost, inStart, inFrom, inWeight, order, k, cd, p)
    ) {
      clampBudget(n, p);
      return k;
    }
    const r = ldi(order, k - 1);
    const tr = termOf(ldf(cd, 2 * r), ldf(cd, 2 * r + 1));
    if (tr < 0) big--;
    else {
      const x = -tr;
      const s = acc0;
      const u = s + x;
      acc1 += abs<f64>(s) >= abs<f64>(x) ? s - u + x : x - u + s;
      acc0 = u;
    }
    stf(cd, 2 * r, -1);
    const e1 = ldi(outStart, r + 1);
    for (let e = ldi(outStart, r); e < e1; e++) {
      const i2 = 2 * ldi(outTo, e);
      const c = ldf(cd, i2);
      if (c < 0) continue;
      const before = termOf(c, ldf(cd, i2 + 1));
      const d = ldf(cd, i2 + 1) - ldf(outWeight, e);
      stf(cd, i2 + 1, d);
      const after = termOf(c, d);
      if (before == after) continue;
      if (before < 0) big--;
      else {
        const x = -before;
        const s = acc0;
        const u = s + x;
        acc1 += abs<f64>(s) >= abs<f64>(x) ? s - u + x : x - u + s;
        acc0 = u;
      }
      if (after < 0) big++;
      else {
        const s = acc0;
        const u = s + after;
        acc1 += abs<f64>(s) >= abs<f64>(after) ? s - u + after : after - u + s;
        acc0 = u;
      }
    }
  }
  memory.fill(p, 0, (<usize>n) << 3);
  return 0;
}

function confirm(
  n: i32,
  theta: usize,
  cost: usize,
  inStart: usize,
  inFrom: usize,
  inWeight: usize,
  order: usize,
  k: i32,
  cd: usize,
  p: usize,
): bool {
  memory.fill(p, 0, (<usize>n) << 3);
  let s: f64 = 0;
  let comp: f64 = 0;
  for (let t = 0; t < k; t++) {
    const i = ldi(order, t);
    const c = ldf(cost, i);
    if (c <= 0) continue;
    let d = ldf(theta, i);
    const e1 = ldi(inStart, i + 1);
    for (let e = ldi(inStart, i); e < e1; e++) {
      if (ldf(cd, 2 * ldi(inFrom, e)) >= 0) d += ldf(inWeight, e);
    }
    if (!(d > 0)) return false;
    const x = c / d;
    stf(p, i, x);
    const u = s + x;
    comp += abs<f64>(s) >= abs<f64>(x) ? s - u + x : x - u + s;
    s = u;
  }
  return s + comp <= 1 + SUM_TOL;
}

/** Core's `clampBudget`: rescale p so that its Neumaier-compensated sum is ≤ 1. O(n). */
export function clampBudget(n: i32, p: usize): void {
  let s: f64 = 0;
  let comp: f64 = 0;
  for (let i = 0; i < n; i++) {
    const x = ldf(p, i);
    const t = s + x;
    comp += abs<f64>(s) >= abs<f64>(x) ? s - t + x : x - t + s;
    s = t;
  }
  const total = s + comp;
  if (total > 1) {
    const f = 1 / total;
    for (let i = 0; i < n; i++) stf(p, i, ldf(p, i) * f);
  }
}
