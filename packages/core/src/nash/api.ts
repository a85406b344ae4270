/**
 * Public entry points of the `nash` kernel family (MODELS.md §2; seed 000 §2.1), on any registered
 * backend: the TypeScript reference (./reference.ts) or WebAssembly (`@mechlab/kernels`,
 * assembly/nash.ts). Choose `k` items of
 * utilities `g, f ≥ 0` maximising `U_G(S)·U_F(S)`:
 * - {@link lambdaSweepTopK}: top-k by `λ·g/G⁺ + (1−λ)·f/F⁺` over a λ grid (the supporting lines of
 *   the λ-sweep upper bound, and its best set);
 * - {@link swapLocalSearch}: swap local search from a start set;
 * - {@link nashCardinalityDp}: the cardinality-constrained DP over a discretised `U_F` axis, with a
 *   `(1 − ε)` guarantee and an upper bound read off the same table.
 * Every function validates its input (fields named as in FORMATS.md `nash-instance`), runs on
 * `opts.backend` (default: the registry's, see backend.ts) and reports `backend`.
 * Both backends give identical answers.
 */
import { defineKernelFamily, registerKernels, resolveKernels } from '../backend-impl';
import { type BackendName } from '../backend';
import { MechlabError, rangeError, typeError } from '../errors';
import { planNashDp, pickNashDp, reconstructNashDp } from './dp';
import { topKTs } from './top-k';
import { tsNashKernels, type NashKernels } from './reference';

defineKernelFamily('nash', { what: 'the Nash kernels' });
registerKernels('ts', 'nash', tsNashKernels, { priority: 0 });

/**
 * The Nash kernels of a backend: `'ts'`, `'wasm'` (registered by `registerWasmBackend()` from
 * `@mechlab/kernels`), or — omitted — the registry's default (the innermost backend scope, else the
 * highest-priority registered backend).
 * @throws MechlabError naming `backend` (unknown, unregistered, unavailable), listing what is available.
 */
export function nashKernels(backend?: BackendName): NashKernels {
  return resolveKernels('nash', backend).kernels;
}

/** Options shared by the Nash entry points. */
export interface NashKernelOptions {
  /** `'ts'` or `'wasm'`; default: the registry's (WebAssembly once registered and loadable). */
  readonly backend?: BackendName;
  /** Candidate items (distinct indices); default all. Results only ever contain pool items. */
  readonly pool?: ArrayLike<number>;
}

/** A set with its utilities. */
export interface NashSet {
  /** Selected indices, ascending. */
  readonly selected: Int32Array;
  readonly uG: number;
  readonly uF: number;
  /** uG · uF. */
  readonly product: number;
}

/** Result of {@link lambdaSweepTopK}. */
export interface LambdaSweepResult {
  readonly lambdas: Float64Array;
  /** Per λ: U_G and U_F of the top-k set, and h(λ) = λ·U_G/G⁺ + (1−λ)·U_F/F⁺. */
  readonly uG: Float64Array;
  readonly uF: Float64Array;
  readonly h: Float64Array;
  /** Normalisers: top-k sums of g and f over the pool (1 when 0). */
  readonly G: number;
  readonly F: number;
  /** The λ set of largest product (first λ on ties), and its λ. */
  readonly best: NashSet & { readonly lambda: number };
  readonly backend: BackendName;
}

/**
 * λ-sweep top-k (the heuristic and the supporting lines of MODELS.md §2's λ-sweep upper bound): for
 * each λ, the top-k set of `λ·g/G⁺ + (1−λ)·f/F⁺` over the pool (ties to the smaller index). Every
 * feasible S satisfies `λ·U_G(S)/G⁺ + (1−λ)·U_F(S)/F⁺ ≤ h(λ)`.
 *
 * Complexity O(L · m log k) for L λs over a pool of m.
 * @throws MechlabError naming `uG`, `uF`, `k`, `lambdas[3]` (must lie in [0, 1]), `pool[2]`, `backend`.
 * @example
 * lambdaSweepTopK([3.1, 2.0, 5.2], [0.1, 0.9, 0.05], 2, [0, 0.5, 1]).best
 * // → { lambda: 0.5, selected: [1, 2], uG: 7.2, uF: 0.95, product: 6.84 }
 */
export function lambdaSweepTopK(
  uG: ArrayLike<number>,
  uF: ArrayLike<number>,
  k: number,
  lambdas: ArrayLike<number>,
  opts: NashKernelOptions = {},
): LambdaSweepResult {
  const { g, f, pool } = checkNash(uG, uF, k, opts);
  const lam = new Float64Array(lambdas.length);
  if (lambdas.length < 1) throw rangeError('lambdas', 'a non-empty array of numbers in [0, 1]', lambdas);
  for (let l = 0; l < lambdas.length; l++) {
    const v = lambdas[l];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw rangeError(`lambdas[${l}]`, 'in [0, 1]', v);
    lam[l] = v;
  }
  const kern = nashKernels(opts.backend);
  const r = kern.lambdaSweep(g, f, pool, k, lam);
  const sel = r.best;
  return {
    lambdas: lam,
    uG: r.uG,
    uF: r.uF,
    h: r.h,
    G: r.G,
    F: r.F,
    best: { lambda: lam[r.bestIndex]!, ...setOf(g, f, sel) },
    backend: kern.backend,
  };
}

/**
 * Swap local search for the Nash product: repeatedly replace a member by the pool non-member that
 * maximises `U_G·U_F` when that improves it by more than a factor 1 + 1e-12.
 *
 * Complexity O(passes · k · m).
 * @throws MechlabError naming `start` (k distinct pool indices), `maxPasses`, and as {@link lambdaSweepTopK}.
 * @example swapLocalSearch([3.1, 2.0, 5.2], [0.1, 0.9, 0.05], [0, 2]).selected // → [1, 2]
 */
export function swapLocalSearch(
  uG: ArrayLike<number>,
  uF: ArrayLike<number>,
  start: ArrayLike<number>,
  opts: NashKernelOptions & { readonly maxPasses?: number } = {},
): NashSet & { passes: number; backend: BackendName } {
  const k = start.length;
  const { g, f, pool, inPool } = checkNash(uG, uF, k, opts);
  const st = new Int32Array(k);
  const seen = new Uint8Array(g.length);
  for (let s = 0; s < k; s++) {
    const i = start[s];
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= g.length || !inPool[i] || seen[i]) {
      throw rangeError(`start[${s}]`, 'a distinct index of the pool', i);
    }
    seen[i] = 1;
    st[s] = i;
  }
  const maxPasses = opts.maxPasses ?? 100;
  if (!Number.isSafeInteger(maxPasses) || maxPasses < 0 || maxPasses > 0x7fffffff) {
    throw rangeError('maxPasses', 'an integer in [0, 2^31)', maxPasses);
  }
  const kern = nashKernels(opts.backend);
  const r = kern.swap(g, f, pool, st, maxPasses);
  return { ...setOf(g, f, r.sel.sort()), passes: r.passes, backend: kern.backend };
}

/** Options of {@link nashCardinalityDp}. */
export interface NashDpOptions extends NashKernelOptions {
  /** Relative accuracy ε ∈ (0, 1) (default 0.01); ignored when `delta` is given. */
  readonly epsilon?: number;
  /** A lower bound L ≤ U_F(S*) (default: from a 11-point λ-sweep, L = P_h / G⁺); with ε gives δ = εL/k. */
  readonly lowerBound?: number;
  /** Bucket width δ > 0 directly (no guarantee unless δ ≤ ε·U_F(S*)/k). */
  readonly delta?: number;
  /** Largest decision table in bits before `ERR_TOO_LARGE` (default 2^31 = 256 MiB). */
  readonly maxBits?: number;
}

/** Result of {@link nashCardinalityDp}. */
export interface NashDpResult extends NashSet {
  /** Best bucket sum b̂ (U_F ≥ b̂·δ). */
  readonly bucket: number;
  /** An upper bound on the optimal product over k-subsets of the pool (before float slack). */
  readonly upperBound: number;
  readonly delta: number;
  /** Buckets B + 1 and decision bits of the table. */
  readonly buckets: number;
  readonly bits: number;
  readonly backend: BackendName;
}

/**
 * Cardinality-constrained DP over a discretised `U_F` axis (MODELS.md §2 "certified method"; the
 * forum package's Theorem 3): round `f` down to buckets of width δ = ε·L/k, compute
 * `D[j][b] = max{U_G(T) : |T| = j, Σ_T ⌊f/δ⌋ = b}` and return the set maximising `D[k][b]·bδ`.
 * If `L ≤ U_F(S*)` its product is ≥ (1 − ε)·OPT; `upperBound = max_b D[k][b]·min((b+k)δ, F⁺)` ≥ OPT.
 * When all products are 0 it returns the top-k set by g (product 0).
 *
 * Complexity O(m · k · B) time and bits, B = ⌊F⁺/δ⌋ (F⁺ = top-k sum of f).
 * @throws MechlabError as {@link lambdaSweepTopK}, `epsilon`/`delta`/`lowerBound` out of range, and
 *   `ERR_TOO_LARGE` naming `epsilon` when the table would exceed `maxBits`.
 * @example nashCardinalityDp([3.1, 2.0, 5.2], [0.1, 0.9, 0.05], 2).selected // → [1, 2]
 */
export function nashCardinalityDp(
  uG: ArrayLike<number>,
  uF: ArrayLike<number>,
  k: number,
  opts: NashDpOptions = {},
): NashDpResult {
  const { g, f, pool } = checkNash(uG, uF, k, opts);
  const kern = nashKernels(opts.backend);
  const F = sumOver(f, topKTs(f, pool, k));
  const maxBits = opts.maxBits ?? 2 ** 31;
  if (!(typeof maxBits === 'number' && maxBits > 0))
    throw rangeError('maxBits', 'a positive number', maxBits);
  let delta: number;
  if (opts.delta !== undefined) {
    delta = opts.delta;
    if (typeof delta !== 'number' || !(delta > 0 && Number.isFinite(delta))) {
      throw rangeError('delta', 'a finite number > 0', delta);
    }
  } else {
    const eps = opts.epsilon ?? 0.01;
    if (typeof eps !== 'number' || !(eps > 0 && eps < 1)) throw rangeError('epsilon', 'in (0, 1)', eps);
    let L = opts.lowerBound;
    if (L !== undefined && (typeof L !== 'number' || !(L > 0 && Number.isFinite(L)))) {
      throw rangeError('lowerBound', 'a finite number > 0', L);
    }
    if (L === undefined) {
      const lam = Float64Array.from({ length: 11 }, (_, l) => l / 10);
      const sw = kern.lambdaSweep(g, f, pool, k, lam);
      const best = setOf(g, f, sw.best);
      const G = sumOver(g, topKTs(g, pool, k));
      L = best.product > 0 && G > 0 ? best.product / G : minPositive(f, pool);
    }
    if (!(L > 0)) {
      // Every f in the pool is 0: every product is 0.
      const sel = topKTs(g, pool, k);
      return {
        ...setOf(g, f, sel),
        bucket: 0,
        upperBound: 0,
        delta: NaN,
        buckets: 0,
        bits: 0,
        backend: kern.backend,
      };
    }
    delta = (eps * L) / k;
  }
  const B = Math.floor((F * (1 + 1e-9)) / delta);
  if (!(B < 2 ** 28)) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `the Nash DP would need ${B.toPrecision(3)} buckets (F⁺/δ); raise epsilon or the lower bound`,
      'epsilon',
    );
  }
  const plan = planNashDp(g, f, pool, k, delta, B, F);
  if (plan.bits > maxBits || (k + 1) * (B + 1) > 2 ** 27) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `the Nash DP needs ${Math.ceil(plan.bits / 8 / 2 ** 20)} MiB of decision bits (pool ${pool.length}, k ${k}, ${B + 1} buckets); raise epsilon or maxBits`,
      'epsilon',
    );
  }
  const table = kern.dp(plan);
  const pick = pickNashDp(plan, table);
  const sel =
    pick.bucket < 0
      ? topKTs(g, pool, k)
      : Int32Array.from(reconstructNashDp(plan, table, pick.bucket), (t) => pool[t]!).sort();
  return {
    ...setOf(g, f, sel),
    bucket: pick.bucket,
    upperBound: pick.upper,
    delta,
    buckets: B + 1,
    bits: plan.bits,
    backend: kern.backend,
  };
}

function minPositive(f: Float64Array, pool: Int32Array): number {
  let L = Infinity;
  for (let t = 0; t < pool.length; t++) {
    const v = f[pool[t]!]!;
    if (v > 0 && v < L) L = v;
  }
  return L === Infinity ? 0 : L;
}

function sumOver(v: Float64Array, sel: Int32Array): number {
  let s = 0;
  for (let t = 0; t < sel.length; t++) s += v[sel[t]!]!;
  return s;
}

function setOf(g: Float64Array, f: Float64Array, sel: Int32Array): NashSet {
  const uG = sumOver(g, sel);
  const uF = sumOver(f, sel);
  return { selected: sel, uG, uF, product: uG * uF };
}

function checkNash(
  uG: ArrayLike<number>,
  uF: ArrayLike<number>,
  k: number,
  opts: NashKernelOptions,
): { g: Float64Array; f: Float64Array; pool: Int32Array; inPool: Uint8Array } {
  if (opts === null || typeof opts !== 'object') throw typeError('opts', 'an object', opts);
  const arrays: Float64Array[] = [];
  for (const [key, a] of [
    ['uG', uG],
    ['uF', uF],
  ] as const) {
    if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
      throw typeError(key, 'an array of numbers', a);
    }
    if (a.length < 1) throw rangeError(key, 'non-empty', a);
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v !== 'number' || Number.isNaN(v)) throw typeError(`${key}[${i}]`, 'a number', v);
      if (!(v >= 0) || v === Infinity) throw rangeError(`${key}[${i}]`, '≥ 0 and finite', v);
      out[i] = v;
    }
    arrays.push(out);
  }
  const g = arrays[0]!;
  const f = arrays[1]!;
  const n = g.length;
  if (f.length !== n) throw rangeError('uF', `the same length as uG (${n})`, uF);
  const inPool = new Uint8Array(n);
  let pool: Int32Array;
  if (opts.pool === undefined) {
    pool = Int32Array.from({ length: n }, (_, i) => i);
    inPool.fill(1);
  } else {
    const p = opts.pool;
    if (p === null || typeof p !== 'object' || typeof p.length !== 'number') {
      throw typeError('pool', 'an array of item indices', p);
    }
    pool = new Int32Array(p.length);
    for (let t = 0; t < p.length; t++) {
      const i = p[t];
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n || inPool[i]) {
        throw rangeError(`pool[${t}]`, `a distinct integer index in [0, ${n - 1}]`, i);
      }
      inPool[i] = 1;
      pool[t] = i;
    }
  }
  if (typeof k !== 'number' || !Number.isInteger(k)) throw typeError('k', 'an integer', k);
  if (k < 1 || k > pool.length) throw rangeError('k', `in [1, ${pool.length}] (the pool size)`, k);
  return { g, f, pool, inPool };
}
