// One CCS instance drawn into the context's buffers: θ, c and the CSR graph (seed 004 §6; MODELS.md §1.4),
// the twin of the TS `randomCcsInstanceInto` (packages/ccs/src/generator/random-instance.ts).
// Its PRNG is xoshiro128** stepped here, seeded with the states core's `Rng` derives from the stream
// paths, so every draw equals the TS reference's.
import { ldf, ldi, stf, sti } from '../memory';
import {
  BUCKET_BITS,
  C_BUCKETS,
  C_CAP,
  C_COST,
  C_DFULL,
  C_FILL,
  C_IN_FROM,
  C_IN_START,
  C_IN_WEIGHT,
  C_K,
  C_KIND_COST,
  C_KIND_THETA,
  C_KIND_WEIGHT,
  C_N,
  C_OUT_START,
  C_OUT_TO,
  C_OUT_WEIGHT,
  C_SEEDS,
  C_T,
  C_THETA,
  F_BASE,
  F_COST_A,
  F_LQ,
  F_OUT,
  F_RHO,
  F_THETA_A,
  F_WEIGHT_A,
  KIND_CONSTANT,
  KIND_UNIFORM,
  TWO_POW_M53,
  slot,
} from './context';
import { log1p } from './host';

// xoshiro128** state (one stream at a time; the module is single-threaded).
let x0: u32 = 0;
let x1: u32 = 0;
let x2: u32 = 0;
let x3: u32 = 0;

export function seed(ctx: usize, stream: i32): void {
  const at = ctx + ((<usize>(C_SEEDS + 4 * stream)) << 2);
  x0 = load<u32>(at);
  x1 = load<u32>(at + 4);
  x2 = load<u32>(at + 8);
  x3 = load<u32>(at + 12);
}

export function nextU32(): u32 {
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
export function next53(): u64 {
  const hi = <u64>(nextU32() >>> 5);
  const lo = <u64>(nextU32() >>> 6);
  return (hi << 26) | lo;
}

export function nextF64(): f64 {
  // Signed conversion: the value is < 2⁵³, and f64.convert_i64_s is cheaper than the unsigned one.
  return <f64>(<i64>next53()) * TWO_POW_M53;
}

/** core's `sampleDistribution` for the built-in kinds (same expression, same draws). */
export function sample(kind: i32, a: f64, b: f64): f64 {
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
export function drawEdges(ctx: usize, n: i32, lean: bool): i32 {
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
