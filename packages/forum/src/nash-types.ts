/** Options, results and instances of the Nash-product benchmark (nash.ts). */
import type { BackendName } from '@mechlab/core';

/** Which solver `solveNash` runs. */
export type NashMethod = 'heuristics' | 'certified';

/** Options of `solveNash`. */
export interface NashOptions {
  /** `heuristics` (default) or `certified`. */
  method?: NashMethod;
  /** Certified method's relative accuracy ε ∈ (0, 1) (default 0.01). */
  epsilon?: number;
  /** Points of the λ grid in [0, 1] (default 21, i.e. steps of 0.05). */
  lambdaGrid?: number;
  /** Tangent refinements of the λ-sweep upper bound (default 8). */
  hullRefinements?: number;
  /** Passes of swap local search (default 100). */
  maxSwapPasses?: number;
  /** Largest DP decision table, in bits, before `ERR_TOO_LARGE` (default 2^31 = 256 MiB). */
  maxDpBits?: number;
  /** Return every heuristic's set in `candidates` (used by the EURR benchmark; default false). */
  candidates?: boolean;
  /**
   * Backend of the `nash` kernels (top-k, swap search, the DP table): `'ts'` or `'wasm'` (after
   * `registerWasmBackend()` from `@mechlab/kernels`); default: the registry's. Identical answers.
   */
  backend?: BackendName;
}

/** One method's set for the same instance. */
export interface NashCandidate {
  /** `top-uG`, `top-uF`, `lambda-sweep`, `greedy`, `swap` or `certified`. */
  name: string;
  /** Selected indices, ascending. */
  selected: Int32Array;
  uG: number;
  uF: number;
  product: number;
}

/** Result of `solveNash` — the fields of FORMATS.md `mechlab solve nash --json`, plus diagnostics. */
export interface NashSolution {
  /** The best set found, 0-based indices, ascending. */
  selected: Int32Array;
  /** U_G(selected). */
  uG: number;
  /** U_F(selected). */
  uF: number;
  /** uG · uF. */
  product: number;
  /** A proven upper bound on the optimal product (Lemma 2, and Theorem 3 when certified). */
  upperBound: number;
  /** The method run. */
  method: NashMethod;
  /** 1 − product/upperBound ∈ [0, 1] (0 when upperBound is 0): product ≥ (1 − gap)·OPT. */
  gap: number;
  /** ε of the certified method (certified only). */
  epsilon?: number;
  /** The name of the candidate that won. */
  best: string;
  /** The backend whose `nash` kernels ran. */
  backend: BackendName;
  /** Every candidate set (only with `candidates: true`). */
  candidates?: NashCandidate[];
  /** Sizes: the pool, Lemma 1's reduced pool, and the DP's bucket count (certified only). */
  stats: {
    poolSize: number;
    /** Lemma 1's pool. */
    reducedSize: number;
    /** Lemma 4: items fixed in, and items left to the DP (certified only). */
    fixed?: number;
    free?: number;
    /** DP buckets and decision bits (certified only). */
    buckets?: number;
    dpBits?: number;
  };
}

/** Instance accepted by `solveNash` (FORMATS.md `nash-instance`; typed arrays allowed). */
export interface NashInstanceInput {
  uG: ArrayLike<number>;
  uF: ArrayLike<number>;
  k: number;
}
