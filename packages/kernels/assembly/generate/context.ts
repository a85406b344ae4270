// The context block the wrapper (packages/kernels/src/ccs-pipeline.ts) lays out once per sweep point:
// u32 slots (offsets, sizes, seed states) followed at `ctx + 256` by f64 slots (ρ, log1p(−ρ), marginal
// parameters, outputs). Both sides must agree on every index here.

// u32 slots of the context block.
export const C_N = 0;
export const C_CAP = 1;
export const C_K = 2;
export const C_THETA = 3;
export const C_COST = 4;
export const C_IN_START = 5;
export const C_IN_FROM = 6;
export const C_IN_WEIGHT = 7;
export const C_OUT_START = 8;
export const C_OUT_TO = 9;
export const C_OUT_WEIGHT = 10;
export const C_FILL = 11;
export const C_T = 12;
export const C_BUCKETS = 13;
export const C_ORDER = 14;
export const C_CD = 15;
export const C_P = 16;
export const C_TMP = 17;
export const C_LO = 18;
export const C_HI = 19;
export const C_LO2 = 20;
export const C_HI2 = 21;
export const C_COUNT = 22;
export const C_DENOM = 23;
export const C_ON = 24;
export const C_QUEUE = 25;
export const C_EFFORTS = 26;
export const C_ACTIVE = 27;
export const C_ACOUNT = 28;
export const C_KIND_THETA = 29;
export const C_KIND_COST = 30;
export const C_KIND_WEIGHT = 31;
export const C_SEEDS = 32; // 12 words: theta s0..s3, cost s0..s3, edges s0..s3
export const C_SORT_KEYS = 44; // f64[2n] merge-sort scratch
export const C_SORT_IDX = 45; // i32[n] merge-sort scratch
export const C_DFULL = 46; // f64[n]: θ_i + Σ_j w_ji (the pipeline's in-degree sums)
export const C_DD = 47; // f64[n] scratch
// f64 slots from ctx + 256.
export const F_BASE: usize = 256;
export const F_RHO = 0;
export const F_LQ = 1;
export const F_THETA_A = 2; // (a, b) per marginal: uniform (min, max), constant (value, –), exponential (rate, –)
export const F_COST_A = 4;
export const F_WEIGHT_A = 6;
export const F_OUT = 8; // gcs welfare, gcs active, equal welfare, equal active, |E|

export const KIND_UNIFORM = 0;
export const KIND_CONSTANT = 1;
export const KIND_EXPONENTIAL = 2;
export const BUCKET_BITS = 12;
export const TWO_POW_M53: f64 = 1.0 / 9007199254740992.0;

export function slot(ctx: usize, i: i32): usize {
  return <usize>load<u32>(ctx + ((<usize>i) << 2));
}
