// Random CCS instances and the per-instance pipeline of the `ccs.random-graph` experiment (seed 004
// §6, Figure 1; MODELS.md §1.4) inside the module — the twin of core's `randomCcsInstanceInto`
// (packages/ccs/src/generator/random-instance.ts) and `runCcsPipelineTs` (packages/ccs/src/pipeline.ts).
//
// The PRNG is xoshiro128** stepped here, seeded with the states core's `Rng` derives from the stream
// paths (`hashKeys([...path, 'theta' | 'cost' | 'edges'])`, computed by the wrapper), so the three
// streams, the geometric skips (exact integer thresholds, see core's `geometricSkipTable`) and every
// array are byte-identical to the TS generator. `log1p` (the skip table's tail, exponential
// marginals) is the host's `Math.log1p`, imported, because the reference's floats come from it.
//
// One call per instance: draw θ, c and the CSR graph into the buffers the wrapper laid out once per
// sweep point, design GCS portions, play both designs' greatest equilibria (GCS, Equal Allocation)
// and write the four measurements. Layout: a context block `ctx` of u32 slots (offsets, sizes, seed
// states) followed at `ctx + 256` by f64 slots (ρ, log1p(−ρ), marginal parameters, outputs).
import { clampBudget } from './gcs';
import { isActive, ldf, ldi, ldu8, stf, sti, stu8 } from './memory';

declare function log1p(x: f64): f64;

// u32 slots of the context block.
const C_N = 0;
const C_CAP = 1;
const C_K = 2;
const C_THETA = 3;
const C_COST = 4;
const C_IN_START = 5;
const C_IN_FROM = 6;
const C_IN_WEIGHT = 7;
const C_OUT_START = 8;
const C_OUT_TO = 9;
const C_OUT_WEIGHT = 10;
const C_FILL = 11;
const C_T = 12;
const C_BUCKETS = 13;
const C_ORDER = 14;
const C_CD = 15;
const C_P = 16;
const C_TMP = 17;
const C_LO = 18;
const C_HI = 19;
const C_LO2 = 20;
const C_HI2 = 21;
const C_COUNT = 22;
const C_DENOM = 23;
const C_ON = 24;
const C_QUEUE = 25;
const C_EFFORTS = 26;
const C_ACTIVE = 27;
const C_ACOUNT = 28;
const C_KIND_THETA = 29;
const C_KIND_COST = 30;
const C_KIND_WEIGHT = 31;
const C_SEEDS = 32; // 12 words: theta s0..s3, cost s0..s3, edges s0..s3
const C_SORT_KEYS = 44; // f64[2n] merge-sort scratch
const C_SORT_IDX = 45; // i32[n] merge-sort scratch
const C_DFULL = 46; // f64[n]: θ_i + Σ_j w_ji (the pipeline's in-degree sums)
const C_DD = 47; // f64[n] scratch
// f64 slots from ctx + 256.
const F_BASE: usize = 256;
const F_RHO = 0;
const F_LQ = 1;
const F_THETA_A = 2; // (a, b) per marginal: uniform (min, max), constant (value, –), exponential (rate, –)
const F_COST_A = 4;
const F_WEIGHT_A = 6;
const F_OUT = 8; // gcs welfare, gcs active, equal welfare, equal active, |E|

const KIND_UNIFORM = 0;
const KIND_CONSTANT = 1;
const KIND_EXPONENTIAL = 2;
const BUCKET_BITS = 12;
const TWO_POW_M53: f64 = 1.0 / 9007199254740992.0;

function slot(ctx: usize, i: i32): usize {
  return <usize>load<u32>(ctx + ((<usize>i) << 2));
}

// xoshiro128** state (one stream at a time; the module is single-threaded).
let x0: u32 = 0;
let x1: u32 = 0;
let x2: u32 = 0;
let x3: u32 = 0;

function seed(ctx: usize, stream: i32): void {
  const at = ctx + ((<usize>(C_SEEDS + 4 * stream)) << 2);
  x0 = load<u32>(at);
  x1 = load<u32>(at + 4);
  x2 = load<u32>(at + 8);
  x3 = load<u32>(at + 12);
}

function nextU32(): u32 {
  const r = rotl<u32>(x1 * 5, 7) * 9;
  const t = x1 << 9;
  x2 ^= x0;
  x3 ^= x1;
  x1 ^= x2;
  x0 ^= x3;
  x2 ^= t;
  x3 = rotl<u32>(x3, 11);
  return r;
}

/** `Rng.next()`: 27 + 26 random bits as a 53-bit integer (the float is this times 2⁻⁵³). */
function next53(): u64 {
  const hi = <u64>(nextU32() >>> 5);
  const lo = <u64>(nextU32() >>> 6);
  return (hi << 26) | lo;
}

function nextF64(): f64 {
  // Signed conversion: the value is < 2⁵³, and f64.convert_i64_s is cheaper than the unsigned one.
  return <f64>(<i64>next53()) * TWO_POW_M53;
}

/** core's `sampleDistribution` for the built-in kinds (same expression, same draws). */
function sample(kind: i32, a: f64, b: f64): f64 {
  if (kind == KIND_UNIFORM) return a + (b - a) * nextF64();
  if (kind == KIND_CONSTANT) return a;
  return -log1p(-nextF64()) / a;
}

/**
 * Draw one instance into the context's buffers. Returns |E|, or −1 when the edges outgrow the
 * capacity `C_CAP` (the wrapper grows it and calls again: the streams restart from the seeds).
 * O(n + |E|).
 */
export function ccsGenerate(ctx: usize): i32 {
  const n = <i32>slot(ctx, C_N);
  const f = ctx + F_BASE;
  const theta = slot(ctx, C_THETA);
  const cost = slot(ctx, C_COST);
  seed(ctx, 0);
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
  return drawEdges(ctx, n, false);
}

/**
 * The edge loop. `lean`: the pipeline's variant — no in-CSR at all; instead `dfull[i] = θ_i + Σ_j
 * w_ji`, accumulated in draw order, which for each target is its in-list order (sources ascending),
 * so every float equals the one the in-list loops of gcs.ts / equilibrium.ts compute.
 */
function drawEdges(ctx: usize, n: i32, lean: bool): i32 {
  const f = ctx + F_BASE;
  const rho = ldf(f, F_RHO);
  const lq = ldf(f, F_LQ);
  const cap = <i32>slot(ctx, C_CAP);
  const K = <i32>slot(ctx, C_K);
  const T = slot(ctx, C_T);
  const buckets = slot(ctx, C_BUCKETS);
  const inStart = slot(ctx, C_IN_START);
  const outStart = slot(ctx, C_OUT_START);
  const outTo = slot(ctx, C_OUT_TO);
  const outWeight = slot(ctx, C_OUT_WEIGHT);
  const wk = <i32>slot(ctx, C_KIND_WEIGHT);
  const wa = ldf(f, F_WEIGHT_A);
  const wb = ldf(f, F_WEIGHT_A + 1);
  const wSpan = wb - wa;
  const dfull = slot(ctx, C_DFULL);
  if (lean) memory.copy(dfull, slot(ctx, C_THETA), (<usize>n) << 3);
  else memory.fill(inStart, 0, (<usize>(n + 1)) << 2);
  sti(outStart, 0, 0);
  const nm1 = <i64>(n - 1);
  const slots = <i64>n * nm1;
  let m = 0;
  let src = 0;
  let rowStart: i64 = 0;
  let rowEnd: i64 = nm1;
  let s: i64 = -1;
  // The stream's state lives in locals here (xoshiro128** steps written out): globals would put a
  // store/load on the dependency chain of every step.
  let s0 = x0;
  let s1 = x1;
  let s2 = x2;
  let s3 = x3;
  let t: u32 = 0;
  let a: u32 = 0;
  let b: u32 = 0;
  if (rho > 0 && slots > 0) {
    while (true) {
      if (rho < 1) {
        a = rotl<u32>(s1 * 5, 7) * 9;
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = rotl<u32>(s3, 11);
        b = rotl<u32>(s1 * 5, 7) * 9;
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = rotl<u32>(s3, 11);
        // `Rng.next()`'s 53-bit integer: 27 high bits, 26 low bits.
        const U = ((<u64>(a >>> 5)) << 26) | (<u64>(b >>> 6));
        let g: i64;
        if (K > 0) {
          let k = <i32>load<u16>(buckets + ((<usize>(U >> (53 - BUCKET_BITS))) << 1));
          while (k < K && U >= load<u64>(T + ((<usize>(k + 1)) << 3))) k++;
          g = k < K ? <i64>k : <i64>Math.floor(log1p(-(<f64>(<i64>U) * TWO_POW_M53)) / lq);
        } else {
          g = <i64>Math.floor(log1p(-(<f64>(<i64>U) * TWO_POW_M53)) / lq);
        }
        s += 1 + g;
      } else {
        s += 1;
      }
      if (!(s < slots)) break;
      // Next source row(s): a step per row passed (each writes that row's start anyway), no division.
      while (s >= rowEnd) {
        sti(outStart, ++src, m);
        rowStart = rowEnd;
        rowEnd += nm1;
      }
      if (m == cap) return -1;
      const r = <i32>(s - rowStart);
      const to = r < src ? r : r + 1;
      sti(outTo, m, to);
      let w: f64;
      if (wk == KIND_UNIFORM) {
        a = rotl<u32>(s1 * 5, 7) * 9;
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = rotl<u32>(s3, 11);
        b = rotl<u32>(s1 * 5, 7) * 9;
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = rotl<u32>(s3, 11);
        const u = <f64>(<i64>(((<u64>(a >>> 5)) << 26) | (<u64>(b >>> 6)))) * TWO_POW_M53;
        w = wa + wSpan * u;
      } else {
        x0 = s0;
        x1 = s1;
        x2 = s2;
        x3 = s3;
        w = sample(wk, wa, wb);
        s0 = x0;
        s1 = x1;
        s2 = x2;
        s3 = x3;
      }
      stf(outWeight, m, w);
      if (lean) stf(dfull, to, ldf(dfull, to) + w);
      else sti(inStart, to + 1, ldi(inStart, to + 1) + 1);
      m++;
    }
  }
  for (let j = src + 1; j <= n; j++) sti(outStart, j, m);
  if (lean) {
    stf(f, F_OUT + 4, <f64>m);
    return m;
  }
  for (let i = 0; i < n; i++) sti(inStart, i + 1, ldi(inStart, i + 1) + ldi(inStart, i));
  // Counting sort by target, stable in slot order (the layout of core's `buildGraph`).
  const fill = slot(ctx, C_FILL);
  memory.copy(fill, inStart, (<usize>n) << 2);
  const inFrom = slot(ctx, C_IN_FROM);
  const inWeight = slot(ctx, C_IN_WEIGHT);
  for (let j = 0; j < n; j++) {
    const end = ldi(outStart, j + 1);
    for (let e = ldi(outStart, j); e < end; e++) {
      const t = ldi(outTo, e);
      const a = ldi(fill, t);
      sti(fill, t, a + 1);
      sti(inFrom, a, j);
      stf(inWeight, a, ldf(outWeight, e));
    }
  }
  stf(f, F_OUT + 4, <f64>m);
  return m;
}

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
