// The per-instance pipeline of `ccs.random-graph` (seed 004 §6, Figure 1): draw, GCS, both designs'
// greatest equilibria and the measurements in one call — the twin of `runCcsPipelineTs`
// (packages/ccs/src/pipeline.ts).
import { clampBudget } from '../gcs';
import { isActive, ldf, ldi, ldu8, stf, sti, stu8 } from '../memory';
import {
  C_CD,
  C_COST,
  C_DD,
  C_DFULL,
  C_KIND_COST,
  C_KIND_THETA,
  C_N,
  C_ON,
  C_ORDER,
  C_OUT_START,
  C_OUT_TO,
  C_OUT_WEIGHT,
  C_P,
  C_QUEUE,
  C_SORT_IDX,
  C_SORT_KEYS,
  C_THETA,
  F_BASE,
  F_COST_A,
  F_OUT,
  F_THETA_A,
  slot,
} from './context';
import { sample, seed } from './instance';
import { drawEdges } from './instance';

/**
 * One instance of `ccs.random-graph`: generate (out-CSR and in-degree sums only), GCS portions,
 * greatest equilibrium of GCS and of Equal Allocation (p = 1/n), measurements into the f64 outputs
 * (welfare, active count per design). Returns |E| or −1 as {@link ccsGenerate}.
 *
 * The solvers here are gcs.ts's `gcsPortionsSorted` and equilibrium.ts's `eqBinaryCsr` +
 * `welfareCsr` with every in-list loop replaced by a push over out-lists in ascending source order:
 * a target's terms arrive in its in-list order, so every sum is the same float as the reference's
 * (an inactive source's `w·0 = +0` term leaves a sum unchanged, so skipping it is exact). No in-CSR
 * means half the edge memory and no scatter pass. O(n + |E|) plus the sort.
 */
export function ccsPipeline(ctx: usize): i32 {
  const n = <i32>slot(ctx, C_N);
  const theta = slot(ctx, C_THETA);
  const cost = slot(ctx, C_COST);
  seed(ctx, 0);
  const f = ctx + F_BASE;
  const tk = <i32>slot(ctx, C_KIND_THETA);
  const ta = ldf(f, F_THETA_A);
  const tb = ldf(f, F_THETA_A + 1);
  for (let i = 0; i < n; i++) stf(theta, i, sample(tk, ta, tb));
  seed(ctx, 1);
  const ck = <i32>slot(ctx, C_KIND_COST);
  const ca = ldf(f, F_COST_A);
  const cb = ldf(f, F_COST_A + 1);
  for (let i = 0; i < n; i++) stf(cost, i, sample(ck, ca, cb));
  seed(ctx, 2);
  const m = drawEdges(ctx, n, true);
  if (m < 0) return m;
  const dfull = slot(ctx, C_DFULL);
  const outStart = slot(ctx, C_OUT_START);
  const outTo = slot(ctx, C_OUT_TO);
  const outWeight = slot(ctx, C_OUT_WEIGHT);
  const p = slot(ctx, C_P);
  const cd = slot(ctx, C_CD);
  const dd = slot(ctx, C_DD);
  const on = slot(ctx, C_ON);
  const queue = slot(ctx, C_QUEUE);
  const order = slot(ctx, C_ORDER);
  sortByCost(n, cost, order, slot(ctx, C_SORT_KEYS), slot(ctx, C_SORT_IDX));
  gcsLean(n, theta, cost, dfull, outStart, outTo, outWeight, order, cd, dd, p);
  let active = eqLean(n, cost, p, dfull, outStart, outTo, outWeight, dd, on, queue);
  stf(f, F_OUT, welfareLean(n, theta, outStart, outTo, outWeight, on, dd));
  stf(f, F_OUT + 1, <f64>active);
  const share = 1.0 / <f64>n;
  for (let i = 0; i < n; i++) stf(p, i, share);
  active = eqLean(n, cost, p, dfull, outStart, outTo, outWeight, dd, on, queue);
  stf(f, F_OUT + 2, welfareLean(n, theta, outStart, outTo, outWeight, on, dd));
  stf(f, F_OUT + 3, <f64>active);
  return m;
}

const FILTER_TOL: f64 = 1e-6;
const SUM_TOL: f64 = 1e-12;

function termOf(c: f64, d: f64): f64 {
  return c <= 0 ? 0 : c > d ? -1 : c / d;
}

/** gcs.ts's `gcsPortionsSorted` with the in-degree sums given and a push-based confirmation. */
function gcsLean(
  n: i32,
  theta: usize,
  cost: usize,
  dfull: usize,
  outStart: usize,
  outTo: usize,
  outWeight: usize,
  order: usize,
  cd: usize,
  dd: usize,
  p: usize,
): i32 {
  let big = 0;
  let acc0: f64 = 0;
  let acc1: f64 = 0;
  for (let i = 0; i < n; i++) {
    const c = ldf(cost, i) + 0.0;
    const d = ldf(dfull, i);
    stf(cd, 2 * i, c);
    stf(cd, 2 * i + 1, d);
    const t = termOf(c, d);
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
      confirmLean(n, theta, cost, outStart, outTo, outWeight, order, k, cd, dd, p)
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

/**
 * gcs.ts's `confirm`: `D_i(T_k) = θ_i + Σ_{j ∈ T_k} w_ji` (members are the players whose `cd` cost
 * slot is still ≥ 0), pushed from the members in ascending source order into `dd`.
 */
function confirmLean(
  n: i32,
  theta: usize,
  cost: usize,
  outStart: usize,
  outTo: usize,
  outWeight: usize,
  order: usize,
  k: i32,
  cd: usize,
  dd: usize,
  p: usize,
): bool {
  memory.fill(p, 0, (<usize>n) << 3);
  memory.copy(dd, theta, (<usize>n) << 3);
  for (let j = 0; j < n; j++) {
    if (ldf(cd, 2 * j) < 0) continue;
    const e1 = ldi(outStart, j + 1);
    for (let e = ldi(outStart, j); e < e1; e++) {
      const i = ldi(outTo, e);
      stf(dd, i, ldf(dd, i) + ldf(outWeight, e));
    }
  }
  let s: f64 = 0;
  let comp: f64 = 0;
  for (let t = 0; t < k; t++) {
    const i = ldi(order, t);
    const c = ldf(cost, i);
    if (c <= 0) continue;
    const d = ldf(dd, i);
    if (!(d > 0)) return false;
    const x = c / d;
    stf(p, i, x);
    const u = s + x;
    comp += abs<f64>(s) >= abs<f64>(x) ? s - u + x : x - u + s;
    s = u;
  }
  return s + comp <= 1 + SUM_TOL;
}

/** equilibrium.ts's `eqBinaryCsr` cascade from the in-degree sums; `on` u8[n] out; returns |active|. */
function eqLean(
  n: i32,
  cost: usize,
  p: usize,
  dfull: usize,
  outStart: usize,
  outTo: usize,
  outWeight: usize,
  denom: usize,
  on: usize,
  queue: usize,
): i32 {
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    const d = ldf(dfull, i);
    stf(denom, i, d);
    if (!isActive(ldf(p, i), d, ldf(cost, i))) {
      stu8(on, i, 0);
      sti(queue, tail++, i);
    } else stu8(on, i, 1);
  }
  while (head < tail) {
    const j = ldi(queue, head++);
    const e1 = ldi(outStart, j + 1);
    for (let k = ldi(outStart, j); k < e1; k++) {
      const i = ldi(outTo, k);
      const d = ldf(denom, i) - ldf(outWeight, k);
      stf(denom, i, d);
      if (ldu8(on, i) == 1 && !isActive(ldf(p, i), d, ldf(cost, i))) {
        stu8(on, i, 0);
        sti(queue, tail++, i);
      }
    }
  }
  return n - tail;
}

/** equilibrium.ts's `welfareCsr` for 0/1 efforts `on`, pushed from active sources; `acc` f64[n] scratch. */
function welfareLean(
  n: i32,
  theta: usize,
  outStart: usize,
  outTo: usize,
  outWeight: usize,
  on: usize,
  acc: usize,
): f64 {
  memory.copy(acc, theta, (<usize>n) << 3);
  for (let j = 0; j < n; j++) {
    if (ldu8(on, j) == 0) continue;
    const e1 = ldi(outStart, j + 1);
    // w·x_j with x_j = 1 is w itself.
    for (let e = ldi(outStart, j); e < e1; e++) {
      const i = ldi(outTo, e);
      stf(acc, i, ldf(acc, i) + ldf(outWeight, e));
    }
  }
  let sw: f64 = 0;
  for (let i = 0; i < n; i++) if (ldu8(on, i) == 1) sw += ldf(acc, i);
  return sw;
}

/**
 * The pipeline sorts players by cost with a merge sort, not gcs.ts's radix sort: that one clears and
 * scans four 65 537-entry histograms per call (≈ 1 MiB of traffic), which dominated the whole
 * instance at n = 100.
 */
const RUN = 16;

/**
 * Players by cost ascending, ties by index (core's `sortIndicesByKey` order), into `order` i32[n]:
 * insertion-sorted runs of 16, then bottom-up stable merges of (key, index) pairs. Scratch `keys`
 * f64[2n], `idx` i32[n]. O(n log n); `-0` counts as `+0`.
 */
function sortByCost(n: i32, cost: usize, order: usize, keys: usize, idx: usize): void {
  let ka = keys;
  let kb = keys + ((<usize>n) << 3);
  let ia = order;
  let ib = idx;
  for (let i = 0; i < n; i++) {
    stf(ka, i, ldf(cost, i) + 0.0);
    sti(ia, i, i);
  }
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const key = ldf(ka, i);
      const id = ldi(ia, i);
      let j = i - 1;
      while (j >= lo && ldf(ka, j) > key) {
        stf(ka, j + 1, ldf(ka, j));
        sti(ia, j + 1, ldi(ia, j));
        j--;
      }
      stf(ka, j + 1, key);
      sti(ia, j + 1, id);
    }
  }
  for (let width = RUN; width < n; width <<= 1) {
    for (let lo = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n);
      const hi = min(lo + (width << 1), n);
      let l = lo;
      let r = mid;
      let o = lo;
      while (l < mid && r < hi) {
        const x = ldf(ka, l);
        const y = ldf(ka, r);
        if (x <= y) {
          stf(kb, o, x);
          sti(ib, o++, ldi(ia, l++));
        } else {
          stf(kb, o, y);
          sti(ib, o++, ldi(ia, r++));
        }
      }
      while (l < mid) {
        stf(kb, o, ldf(ka, l));
        sti(ib, o++, ldi(ia, l++));
      }
      while (r < hi) {
        stf(kb, o, ldf(ka, r));
        sti(ib, o++, ldi(ia, r++));
      }
    }
    let t = ka;
    ka = kb;
    kb = t;
    t = ia;
    ia = ib;
    ib = t;
  }
  if (ia != order) memory.copy(order, ia, (<usize>n) << 2);
}
