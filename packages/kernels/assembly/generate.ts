// Random CCS instances and the per-instance pipeline of the `ccs.random-graph` experiment (seed 004
// §6, Figure 1; MODELS.md §1.4) inside the module — the twin of core's `randomCcsInstanceInto`
// (packages/core/src/ccs/generator.ts) and `runCcsPipelineTs` (packages/core/src/ccs/pipeline.ts).
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
import { eqBinaryCsr } from './equilibrium';
import { gcsPortions, gcsPortionsSorted } from './gcs';
import { ldf, ldi, stf, sti } from './memory';

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
  return drawEdges(ctx, n);
}

function drawEdges(ctx: usize, n: i32): i32 {
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
  memory.fill(inStart, 0, (<usize>(n + 1)) << 2);
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
      if (s >= rowEnd) {
        const f2 = <i32>(s / nm1);
        for (let j = src + 1; j <= f2; j++) sti(outStart, j, m);
        src = f2;
        rowStart = <i64>src * nm1;
        rowEnd = rowStart + nm1;
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
      sti(inStart, to + 1, ldi(inStart, to + 1) + 1);
      m++;
    }
  }
  for (let j = src + 1; j <= n; j++) sti(outStart, j, m);
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
 * One instance of `ccs.random-graph`: generate, GCS portions, greatest equilibrium of GCS and of
 * Equal Allocation (p = 1/n), measurements into the f64 outputs (welfare, active count per design).
 * Returns |E| or −1 as {@link ccsGenerate}. Same float operations as the TS pipeline. O(n + |E|)
 * plus GCS's sort.
 */
export function ccsPipeline(ctx: usize): i32 {
  const m = ccsGenerate(ctx);
  if (m < 0) return m;
  const n = <i32>slot(ctx, C_N);
  const f = ctx + F_BASE;
  const theta = slot(ctx, C_THETA);
  const cost = slot(ctx, C_COST);
  const inStart = slot(ctx, C_IN_START);
  const inFrom = slot(ctx, C_IN_FROM);
  const inWeight = slot(ctx, C_IN_WEIGHT);
  const outStart = slot(ctx, C_OUT_START);
  const outTo = slot(ctx, C_OUT_TO);
  const outWeight = slot(ctx, C_OUT_WEIGHT);
  const p = slot(ctx, C_P);
  const denom = slot(ctx, C_DENOM);
  const on = slot(ctx, C_ON);
  const queue = slot(ctx, C_QUEUE);
  const efforts = slot(ctx, C_EFFORTS);
  const active = slot(ctx, C_ACTIVE);
  const acount = slot(ctx, C_ACOUNT);
  const order = slot(ctx, C_ORDER);
  if (n <= MERGE_SORT_MAX_N) {
    sortByCost(n, cost, order, slot(ctx, C_SORT_KEYS), slot(ctx, C_SORT_IDX));
    gcsPortionsSorted(
      n,
      theta,
      cost,
      inStart,
      inFrom,
      inWeight,
      outStart,
      outTo,
      outWeight,
      order,
      slot(ctx, C_CD),
      p,
    );
  } else {
    gcsPortions(
      n,
      theta,
      cost,
      inStart,
      inFrom,
      inWeight,
      outStart,
      outTo,
      outWeight,
      order,
      slot(ctx, C_CD),
      p,
      slot(ctx, C_TMP),
      slot(ctx, C_LO),
      slot(ctx, C_HI),
      slot(ctx, C_LO2),
      slot(ctx, C_HI2),
      slot(ctx, C_COUNT),
    );
  }
  let w = eqBinaryCsr(
    n,
    theta,
    cost,
    p,
    inStart,
    inFrom,
    inWeight,
    outStart,
    outTo,
    outWeight,
    denom,
    on,
    queue,
    efforts,
    active,
    acount,
  );
  stf(f, F_OUT, w);
  stf(f, F_OUT + 1, <f64>ldi(acount, 0));
  const share = 1.0 / <f64>n;
  for (let i = 0; i < n; i++) stf(p, i, share);
  w = eqBinaryCsr(
    n,
    theta,
    cost,
    p,
    inStart,
    inFrom,
    inWeight,
    outStart,
    outTo,
    outWeight,
    denom,
    on,
    queue,
    efforts,
    active,
    acount,
  );
  stf(f, F_OUT + 2, w);
  stf(f, F_OUT + 3, <f64>ldi(acount, 0));
  return m;
}

/**
 * Up to this n the pipeline sorts players by cost with a merge sort: the radix sort of gcs.ts clears
 * and scans four 65 537-entry histograms per call (≈ 1 MiB of traffic), which dominated the whole
 * instance at n = 100.
 */
const MERGE_SORT_MAX_N = 1 << 16;
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
