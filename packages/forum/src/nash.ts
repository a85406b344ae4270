/**
 * The full-information cooperative benchmark of the GenAI–forum game (seed 000 §2.1; MODELS.md §2):
 *
 *     S* ∈ argmax_{S ⊆ Q, |S| = k}  U_G(S) · U_F(S),   U_G(S) = Σ_{q∈S} g_q,  U_F(S) = Σ_{q∈S} f_q,  g, f ≥ 0,
 *
 * the Nash product of two additive utilities under a cardinality constraint (NP-hard, seed 000 §2.1).
 *
 * The hot building blocks — top-k, swap local search and Theorem 3's DP table — are the `nash` kernel
 * family of `@mechlab/core` and run on any registered backend (`opts.backend`); this module keeps the
 * orchestration and the certification (Lemmas 1, 2 and 4, the choice of the DP's box and buckets).
 *
 * Two methods:
 * - `heuristics` — the paper's set H: top-k by g, top-k by f, a λ-sweep (top-k by λ·g/G⁺ + (1−λ)·f/F⁺
 *   over a grid plus tangent refinements), greedy marginal Nash product, and swap local search from the
 *   best of those. Returns the best set and an upper bound from the λ-sweep's supporting lines.
 * - `certified` — the heuristics, then a cardinality-constrained DP over a discretised U_F axis whose
 *   answer is provably ≥ (1 − ε)·OPT, and a second upper bound read off the same DP table. The reported
 *   `gap = 1 − product / upperBound` is then a certificate: product ≥ (1 − gap)·OPT (and gap ≲ ε).
 *
 * ## Lemma 1 (k-dominance reduction)
 * Order items by (g desc, f desc, index asc) and let d(i) = #{j before i : f_j ≥ f_i} (each such j has
 * g_j ≥ g_i and f_j ≥ f_i). Let P = {i : d(i) < k}. Some optimal set lies inside P, for the Nash
 * product and for every linear objective a·U_G + b·U_F with a, b ≥ 0.
 * Proof: among optimal sets take one minimising the sum of order positions. If it held i ∉ P, i has ≥ k
 * such predecessors and the set holds only k − 1 other items, so some predecessor j is outside it;
 * swapping i for j changes no sum downwards (the objective is non-decreasing in both sums), keeps
 * optimality and lowers the position sum — a contradiction. ∎ Computed in O(n log n) with a Fenwick tree.
 *
 * ## Lemma 2 (λ upper bound)
 * For λ ∈ [0, 1] and normalised x = U_G(S)/G⁺, y = U_F(S)/F⁺ (G⁺, F⁺ the top-k sums), every feasible S
 * satisfies λx + (1−λ)y ≤ h(λ), where h(λ) is the value of the top-k set for that linear objective (the
 * exact maximum of a linear objective under |S| = k). So every feasible (x, y) lies in the polygon
 * Π = {x, y ≥ 0 : λ_l x + (1−λ_l) y ≤ h(λ_l) ∀l}, and OPT ≤ G⁺F⁺ · max_Π xy. The maximum of the
 * quasi-concave xy over the convex polygon is on its boundary: at a vertex, or at the stationary point
 * (h/2λ, h/2(1−λ)) of an edge's line. All those candidates are enumerated (O(m³) for m lines), with a
 * lenient feasibility test so rounding can only enlarge the bound. Each refinement adds the line tangent
 * to the hyperbola through the current maximiser (λ = y* ÷ (x* + y*)), which tightens Π where it matters.
 *
 * ## Theorem 3 (certified DP)
 * Let P_h > 0 be the best heuristic product and R = Π ∩ {xy ≥ P_h/(G⁺F⁺)}; every set at least as good as
 * P_h — in particular S* — has its point in R, so U_G(S*) ≤ G⁺·x̄ and U_F(S*) ≤ F⁺·ȳ with x̄, ȳ the
 * largest coordinates over R (attained at polygon vertices or line–hyperbola intersections). Hence
 * U_F(S*) = OPT/U_G(S*) ≥ L := P_h / (G⁺·x̄). Round f down to buckets of width δ = ε·L/k:
 * w_q = ⌊f_q/δ⌋, so w_q·δ ≤ f_q < (w_q+1)·δ. The DP (Lemma 1's P, any item order)
 *
 *     D[j][b] = max{ U_G(T) : T ⊆ P, |T| = j, Σ_T w = b },   b ≤ B := ⌊F⁺ȳ/δ⌋,
 *
 * is the standard 0/1 recurrence D[j][b] ← max(D[j][b], D[j−1][b−w_q] + g_q) with j and b descending,
 * one decision bit per (item, j, b) for reconstruction. Time O(|P|·k·B), bits O(|P|·k·B), table O(k·B),
 * where B ≤ (k/ε)·x̄ȳ/(P_h/(G⁺F⁺)) — small when the heuristics are good.
 * Guarantee: let b* = Σ_{S*} w. Then D[k][b*] ≥ U_G(S*), and the reconstructed T with Σ_T w = b̂
 * maximising D[k][b]·b·δ has U_G(T)·U_F(T) ≥ D[k][b̂]·b̂δ ≥ D[k][b*]·b*δ ≥ U_G(S*)·(U_F(S*) − kδ)
 * ≥ U_G(S*)·U_F(S*)·(1 − ε) = (1 − ε)·OPT, because kδ = εL ≤ ε·U_F(S*). ∎
 * Upper bound: any k-subset T ⊆ P with bucket sum b has U_G(T) ≤ D[k][b] and U_F(T) < (b + k)δ, so
 * U_G·U_F ≤ max_b D[k][b]·min((b+k)δ, F⁺); subsets outside R (including those with b > B) have product
 * < P_h. Hence OPT ≤ max(that, P_h), and the reported bound is the minimum of it and Lemma 2's.
 *
 * ## Lemma 4 (bound fixing) and the reduced DP
 * Replacing each line's h(λ) by the best linear value of k-sets that contain (avoid) item i gives a
 * polygon holding every set that contains (avoids) i; if Lemma 2 on it is below P_h, no optimal set
 * contains i (pruned), resp. every optimal set contains i (fixed). See `boundReduction`. Theorem 3 then
 * runs on the free items only, choosing k' = k − |fixed| of them with δ = ε·L/k' and values
 * (G₀ + D[k'][b])·(F₀ + bδ), where G₀, F₀ are the fixed items' sums; the proof is unchanged (the
 * rounding loss is k'δ = εL). On the paper-scale pools this leaves a few dozen items and k' ≈ 10–20, so
 * the DP costs less than the heuristics (benchmarks/forum).
 * Floating point: w_q is corrected so w_q·δ ≤ f_q holds in doubles, and bounds carry a 1e-9 relative slack.
 * A degenerate instance whose best product underflows next to G⁺F⁺ would need astronomically many
 * buckets; the method then throws `ERR_TOO_LARGE` instead of running.
 */
import {
  MechlabError,
  kDominanceFilter,
  parseNashInstance,
  pickNashDp,
  planNashDp,
  rangeError,
  reconstructNashDp,
  resolveKernels,
  topKTs,
  typeError,
} from '@mechlab/core';
import type { BackendName, NashKernels } from '@mechlab/core';

// Lemma 1's filter and top-k are the `nash` kernel family's shared reference (core/src/nash); they are
// re-exported under the names this package has always used.
export { kDominanceFilter, topKTs as topK };

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { abs, ceil, floor, max, min, sqrt } = Math;

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

const SLACK = 1e-9;

/**
 * Choose `k` items maximising (Σ uG)·(Σ uF) (seed 000 §2.1; MODELS.md §2 benchmark).
 *
 * Complexity: heuristics O(n log n + (grid + refinements)·n log k + passes·k·|P|) with |P| ≤ n the
 * reduced pool of Lemma 1; certified adds O(|P|·k·B) time and bits (Theorem 3).
 * @throws MechlabError `ERR_INVALID_TYPE` / `ERR_OUT_OF_RANGE` naming the field (`instance.uF[2] must be
 * ≥ 0, got -1`, `epsilon must be in (0, 1), got 2`); `ERR_TOO_LARGE` when the DP table would exceed
 * `maxDpBits` (raise ε).
 * @example
 * solveNash({ uG: [3.1, 2.0, 5.2], uF: [0.1, 0.9, 0.05], k: 2 }, { method: 'certified' })
 * // { selected: Int32Array [1, 2], uG: 7.2, uF: 0.95, product: 6.84, upperBound: 6.84…, gap: 0, … }
 */
export function solveNash(instance: NashInstanceInput, opts: NashOptions = {}): NashSolution {
  const { uG, uF, k } = validateInstance(instance);
  return solveNashArrays(uG, uF, k, opts);
}

function validateInstance(instance: NashInstanceInput): { uG: Float64Array; uF: Float64Array; k: number } {
  if (instance === null || typeof instance !== 'object') throw typeError('instance', 'an object', instance);
  if (Array.isArray(instance.uG) && Array.isArray(instance.uF)) {
    const doc = parseNashInstance(instance);
    return { uG: Float64Array.from(doc.uG), uF: Float64Array.from(doc.uF), k: doc.k };
  }
  const out = { uG: new Float64Array(0), uF: new Float64Array(0) };
  for (const key of ['uG', 'uF'] as const) {
    const a = instance[key];
    if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
      throw typeError(`instance.${key}`, 'an array of numbers', a);
    }
    if (a.length < 1) throw rangeError(`instance.${key}`, 'non-empty', a);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v !== 'number' || Number.isNaN(v)) throw typeError(`instance.${key}[${i}]`, 'a number', v);
      if (!(v >= 0) || v === Infinity) throw rangeError(`instance.${key}[${i}]`, '≥ 0 and finite', v);
    }
    out[key] = Float64Array.from(a);
  }
  if (out.uF.length !== out.uG.length) {
    throw rangeError('instance.uF', `the same length as uG (${out.uG.length})`, instance.uF);
  }
  const k = instance.k;
  if (typeof k !== 'number' || !Number.isInteger(k)) throw typeError('instance.k', 'an integer', k);
  if (k < 1 || k > out.uG.length) throw rangeError('instance.k', `in [1, ${out.uG.length}]`, k);
  return { uG: out.uG, uF: out.uF, k };
}

/**
 * `solveNash` on validated typed arrays (no copies, no validation) — the simulation's hot path.
 * Preconditions: equal lengths n ≥ 1, entries finite and ≥ 0, 1 ≤ k ≤ n.
 */
export function solveNashArrays(
  g: Float64Array,
  f: Float64Array,
  k: number,
  opts: NashOptions = {},
): NashSolution {
  const method = opts.method ?? 'heuristics';
  if (method !== 'heuristics' && method !== 'certified') {
    throw rangeError('method', '"heuristics" or "certified"', method);
  }
  const eps = opts.epsilon ?? 0.01;
  if (!(eps > 0 && eps < 1)) throw rangeError('epsilon', 'in (0, 1)', eps);
  const grid = opts.lambdaGrid ?? 21;
  if (!(Number.isInteger(grid) && grid >= 2)) throw rangeError('lambdaGrid', 'an integer ≥ 2', grid);
  const refinements = opts.hullRefinements ?? 8;
  const maxPasses = opts.maxSwapPasses ?? 100;
  const { name: backend, kernels: kern } = resolveKernels('nash', opts.backend);
  const topK = kern.topK;
  const n = g.length;

  const P = kDominanceFilter(g, f, k);
  const cands: NashCandidate[] = [];
  const add = (name: string, sel: Int32Array): NashCandidate => {
    const s = Int32Array.from(sel).sort();
    let sg = 0,
      sf = 0;
    for (let i = 0; i < s.length; i++) {
      sg += g[s[i]!]!;
      sf += f[s[i]!]!;
    }
    const c = { name, selected: s, uG: sg, uF: sf, product: sg * sf };
    cands.push(c);
    return c;
  };

  const topG = add('top-uG', topK(g, P, k));
  const topF = add('top-uF', topK(f, P, k));
  const Gp = topG.uG;
  const Fp = topF.uF;

  // λ-sweep on normalised utilities, then tangent refinements (Lemma 2).
  const lines: SweepLine[] = [];
  const sweep: { best: NashCandidate | null } = { best: null };
  let ub = Infinity;
  if (Gp > 0 && Fp > 0) {
    const score = new Float64Array(n);
    const lambdaSet = (lam: number): void => {
      const a = lam / Gp,
        b = (1 - lam) / Fp;
      for (let t = 0; t < P.length; t++) {
        const i = P[t]!;
        score[i] = a * g[i]! + b * f[i]!;
      }
      const sel = topK(score, P, k);
      const member = new Uint8Array(n);
      let sg = 0,
        sf = 0,
        sk = Infinity,
        sk1 = -Infinity;
      for (let t = 0; t < k; t++) {
        const i = sel[t]!;
        member[i] = 1;
        sg += g[i]!;
        sf += f[i]!;
        if (score[i]! < sk) sk = score[i]!;
      }
      for (let t = 0; t < P.length; t++) {
        const i = P[t]!;
        if (!member[i] && score[i]! > sk1) sk1 = score[i]!;
      }
      lines.push({ a: lam, b: 1 - lam, h: (lam * sg) / Gp + ((1 - lam) * sf) / Fp, member, sk, sk1 });
      const c = { name: 'lambda-sweep', selected: sel, uG: sg, uF: sf, product: sg * sf };
      if (sweep.best === null || c.product > sweep.best.product) sweep.best = c;
    };
    for (let l = 0; l < grid; l++) lambdaSet(l / (grid - 1));
    let hull = maxProductOnPolygon(lines);
    for (let r = 0; r < refinements && hull.value > 0; r++) {
      const lam = hull.y / (hull.x + hull.y);
      if (!(lam > 0 && lam < 1)) break;
      lambdaSet(lam);
      const next = maxProductOnPolygon(lines);
      const improved = next.value < hull.value * (1 - 1e-12);
      hull = next;
      if (!improved) break;
    }
    ub = hull.value * Gp * Fp * (1 + SLACK);
  } else {
    ub = 0; // one utility is zero on every k-set, so is every product
  }
  if (sweep.best !== null) add('lambda-sweep', sweep.best.selected);
  add('greedy', greedyMarginal(g, f, P, k));
  let start = cands[0]!;
  for (const c of cands) if (c.product > start.product) start = c;
  add('swap', kern.swap(g, f, P, start.selected, maxPasses).sel);

  let best = cands[0]!;
  for (const c of cands) if (c.product > best.product) best = c;
  const stats: NashSolution['stats'] = { poolSize: n, reducedSize: P.length };

  if (method === 'certified' && ub > 0 && best.product < ub) {
    const red = boundReduction(g, f, P, k, lines, best, Gp, Fp);
    stats.fixed = red.fixed.length;
    stats.free = red.free.length;
    const box = regionBox(lines, best.product / (Gp * Fp));
    const dp =
      box === null
        ? { selected: null, upperBound: best.product * (1 + SLACK), buckets: 0, bits: 0 } // R empty: P_h is optimal
        : certifiedDp(kern, g, f, red, k, eps, best.product, Gp, Fp, box, opts.maxDpBits ?? 2 ** 31);
    stats.buckets = dp.buckets;
    stats.dpBits = dp.bits;
    if (dp.selected !== null) {
      const c = add('certified', dp.selected);
      if (c.product > best.product) best = c;
    }
    ub = min(ub, max(dp.upperBound, best.product * (1 + SLACK)));
  } else if (method === 'certified') {
    add('certified', best.selected);
  }
  ub = max(ub, best.product);
  const sol: NashSolution = {
    selected: best.selected,
    uG: best.uG,
    uF: best.uF,
    product: best.product,
    upperBound: ub,
    method,
    gap: ub > 0 ? max(0, 1 - best.product / ub) : 0,
    best: best.name,
    backend,
    stats,
  };
  if (method === 'certified') sol.epsilon = eps;
  if (opts.candidates) sol.candidates = cands;
  return sol;
}

// ---------------------------------------------------------------------------------------------------
// Building blocks

/** Greedy marginal Nash product: add the item maximising (G+g_i)(F+f_i), k times. O(k·|pool|). */
export function greedyMarginal(g: Float64Array, f: Float64Array, pool: Int32Array, k: number): Int32Array {
  const used = new Uint8Array(g.length);
  const sel = new Int32Array(k);
  let G = 0,
    F = 0;
  for (let s = 0; s < k; s++) {
    let bi = -1,
      bv = -Infinity,
      bl = -Infinity;
    for (let t = 0; t < pool.length; t++) {
      const i = pool[t]!;
      if (used[i]) continue;
      const v = (G + g[i]!) * (F + f[i]!);
      // Tie-break by the normalised linear gain so the all-zero start still makes progress.
      const l = g[i]! + f[i]!;
      if (v > bv || (v === bv && l > bl)) {
        bv = v;
        bl = l;
        bi = i;
      }
    }
    used[bi] = 1;
    sel[s] = bi;
    G += g[bi]!;
    F += f[bi]!;
  }
  return sel;
}

/** A supporting line a·x + b·y ≤ h in normalised coordinates (a, b ≥ 0). */
interface Line {
  a: number;
  b: number;
  h: number;
}

/** A λ-sweep line with its top-k set and the k-th / (k+1)-th scores (for Lemma 4). */
interface SweepLine extends Line {
  member: Uint8Array;
  sk: number;
  sk1: number;
}

function feasible(lines: readonly Line[], x: number, y: number): boolean {
  if (x < -SLACK || y < -SLACK) return false;
  for (const l of lines) if (l.a * x + l.b * y > l.h * (1 + SLACK) + 1e-12) return false;
  return true;
}

/** Pairwise intersections of the lines that lie in the polygon (with slack). O(m³). */
function vertices(lines: readonly Line[]): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < lines.length; p++) {
    for (let q = p + 1; q < lines.length; q++) {
      const L1 = lines[p]!,
        L2 = lines[q]!;
      const det = L1.a * L2.b - L2.a * L1.b;
      if (abs(det) < 1e-14) continue;
      const x = (L1.h * L2.b - L2.h * L1.b) / det;
      const y = (L1.a * L2.h - L2.a * L1.h) / det;
      if (feasible(lines, x, y)) out.push([x, y]);
    }
  }
  return out;
}

/** max xy over Π = {x, y ≥ 0, all lines} (Lemma 2), with its maximiser. O(m³). */
function maxProductOnPolygon(lines: readonly Line[]): { value: number; x: number; y: number } {
  let best = { value: 0, x: 0, y: 0 };
  const consider = (x: number, y: number): void => {
    const v = x * y;
    if (v > best.value) best = { value: v, x, y };
  };
  for (const [x, y] of vertices(lines)) consider(x, y);
  for (const l of lines) {
    if (l.a > 0 && l.b > 0) {
      const x = l.h / (2 * l.a),
        y = l.h / (2 * l.b);
      if (feasible(lines, x, y)) consider(x, y);
    }
  }
  return best;
}

/**
 * Largest x and y over R = Π ∩ {xy ≥ c} (Theorem 3): attained at polygon vertices in R or at
 * intersections of a line with the hyperbola xy = c. Returns null when R is (numerically) empty.
 */
function regionBox(lines: readonly Line[], c: number): { xMax: number; yMax: number } | null {
  let xMax = -1,
    yMax = -1;
  const consider = (x: number, y: number): void => {
    if (x * y >= c * (1 - SLACK)) {
      if (x > xMax) xMax = x;
      if (y > yMax) yMax = y;
    }
  };
  for (const [x, y] of vertices(lines)) consider(x, y);
  for (const l of lines) {
    // a x + b c / x = h  ⇔  a x² − h x + b c = 0 (a > 0); x = b c / h when a = 0.
    if (l.a === 0) {
      if (l.h > 0) {
        const y = l.h / l.b;
        if (feasible(lines, c / y, y)) consider(c / y, y);
      }
      continue;
    }
    const disc = l.h * l.h - 4 * l.a * l.b * c;
    if (disc < 0) continue;
    const sq = sqrt(disc);
    for (const x of [(l.h - sq) / (2 * l.a), (l.h + sq) / (2 * l.a)]) {
      if (x > 0 && feasible(lines, x, c / x)) consider(x, c / x);
    }
  }
  return xMax < 0 ? null : { xMax: xMax * (1 + SLACK), yMax: yMax * (1 + SLACK) };
}

/** Lemma 4's outcome: items every optimal set holds, and the items the DP still has to decide. */
interface Reduction {
  fixed: Int32Array;
  free: Int32Array;
}

/**
 * Lemma 4 (bound fixing). For a sweep line l and an item i, the best k-set containing i has linear
 * value h(l) if i is in l's top-k set, else h(l) − s_k + s_i; the best k-set avoiding i has h(l) if i is
 * outside, else h(l) − s_i + s_{k+1} (s_k, s_{k+1}: the k-th and (k+1)-th scores). Replacing every h by
 * these values gives a polygon that holds all sets containing (resp. avoiding) i, so Lemma 2 bounds their
 * products. If the bound for "contains i" is below the best known product P_h, no optimal set holds i
 * (prune); if the bound for "avoids i" is below P_h, every optimal set holds i (fix). The best heuristic
 * set is never pruned nor left unfixed wrongly: it has product P_h itself. O(|P|·m³).
 */
function boundReduction(
  g: Float64Array,
  f: Float64Array,
  P: Int32Array,
  k: number,
  lines: readonly SweepLine[],
  best: NashCandidate,
  Gp: number,
  Fp: number,
): Reduction {
  const inBest = new Uint8Array(g.length);
  for (let t = 0; t < best.selected.length; t++) inBest[best.selected[t]!] = 1;
  const fixed: number[] = [];
  const free: number[] = [];
  const li: Line[] = lines.map((l) => ({ a: l.a, b: l.b, h: l.h }));
  const scale = Gp * Fp * (1 + SLACK);
  for (let t = 0; t < P.length; t++) {
    const i = P[t]!;
    for (let l = 0; l < lines.length; l++) {
      const L = lines[l]!;
      const s = (L.a * g[i]!) / Gp + (L.b * f[i]!) / Fp;
      const h = inBest[i] ? (L.member[i] ? L.h - s + L.sk1 : L.h) : L.member[i] ? L.h : L.h - L.sk + s;
      li[l]!.h = max(0, h);
    }
    const bound = maxProductOnPolygon(li).value * scale;
    if (bound < best.product) {
      if (inBest[i]) fixed.push(i);
      // else: pruned
    } else free.push(i);
  }
  if (fixed.length > k || free.length < k - fixed.length) {
    // Only rounding could cause this; fall back to no reduction.
    return { fixed: new Int32Array(0), free: Int32Array.from(P) };
  }
  return { fixed: Int32Array.from(fixed), free: Int32Array.from(free) };
}

interface DpResult {
  selected: Int32Array | null;
  upperBound: number;
  buckets: number;
  bits: number;
}

/**
 * Theorem 3's DP on the reduction of Lemma 4: the fixed items are in, the DP chooses k' = k − |fixed|
 * of the free items, and the rounding loss is k'·δ with δ = ε·L/k'. See the module comment.
 */
function certifiedDp(
  kern: NashKernels,
  g: Float64Array,
  f: Float64Array,
  red: Reduction,
  k: number,
  eps: number,
  pBest: number,
  Gp: number,
  Fp: number,
  box: { xMax: number; yMax: number },
  maxBits: number,
): DpResult {
  const { fixed, free: Q } = red;
  let G0 = 0,
    F0 = 0;
  for (let t = 0; t < fixed.length; t++) {
    G0 += g[fixed[t]!]!;
    F0 += f[fixed[t]!]!;
  }
  const kk = k - fixed.length;
  const m = Q.length;
  const withFixed = (sel: Int32Array): Int32Array => {
    const out = new Int32Array(k);
    out.set(fixed);
    out.set(sel, fixed.length);
    return out;
  };
  if (kk === 0 || m === kk) {
    const sel = withFixed(Q.slice(0, kk));
    return { selected: sel, upperBound: productOf(g, f, sel) * (1 + SLACK), buckets: 0, bits: 0 };
  }
  // L ≤ U_F(S*) and U_F(S*) ≤ Fcap (Theorem 3); without a positive P_h, S* (if OPT > 0) holds an
  // item with f > 0, so the smallest positive f is a lower bound.
  let L = pBest / (Gp * box.xMax);
  const Fcap = min(Fp, Fp * box.yMax);
  if (!(L > 0)) {
    L = Infinity;
    for (let t = 0; t < m; t++) {
      const v = f[Q[t]!]!;
      if (v > 0 && v < L) L = v;
    }
    if (L === Infinity) return { selected: null, upperBound: 0, buckets: 0, bits: 0 };
  }
  const delta = (eps * L) / kk;
  const Bcap = max(0, floor(((Fcap - F0) * (1 + SLACK)) / delta));
  if (!(Bcap < 2 ** 28)) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `certified Nash DP needs ${Bcap.toPrecision(3)} buckets: the best product found (${pBest.toPrecision(3)}) is ` +
        `tiny next to the top-k sums; raise epsilon or use method "heuristics"`,
      'epsilon',
    );
  }
  // Bucket weights w_q = ⌊f_q/δ⌋ with w_q·δ ≤ f_q in doubles (items heavier than B never fit), the
  // row caps and bit offsets: the shared plan every backend's DP kernel runs on.
  const plan = planNashDp(g, f, Q, kk, delta, Bcap, Fp);
  const totalBits = plan.bits;
  if (totalBits > maxBits) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `certified Nash DP needs ${ceil(totalBits / 8 / 2 ** 20)} MiB of decision bits (pool ${m}, k ${kk}, ` +
        `${Bcap} buckets); raise epsilon or maxDpBits`,
      'epsilon',
    );
  }
  const W = Bcap + 1;
  const table = kern.dp(plan);
  // Pick b̂ by the pessimistic value (G₀ + D[k'][b])·(F₀ + bδ); bound by the optimistic one.
  const pick = pickNashDp(plan, table, G0, F0);
  if (pick.bucket < 0) return { selected: null, upperBound: Infinity, buckets: W, bits: totalBits };
  const reconstruct = (bEnd: number): Int32Array =>
    withFixed(Int32Array.from(reconstructNashDp(plan, table, bEnd), (t) => Q[t]!));
  let bestSel = reconstruct(pick.bucket);
  let bestVal = productOf(g, f, bestSel);
  // A few more states whose optimistic value could beat it (cheap: O(m) each).
  const top = table.top;
  const optimistic = (b: number): number => (G0 + top[b]!) * min(F0 + (b + kk) * delta, Fp);
  const order = Array.from(pick.reachable);
  order.sort((a, b) => optimistic(b) - optimistic(a));
  for (let r = 0; r < min(order.length, 16); r++) {
    const b = order[r]!;
    if (b === pick.bucket || optimistic(b) <= bestVal) continue;
    const sel = reconstruct(b);
    const v = productOf(g, f, sel);
    if (v > bestVal) {
      bestVal = v;
      bestSel = sel;
    }
  }
  return { selected: bestSel, upperBound: pick.upper * (1 + SLACK), buckets: W, bits: totalBits };
}

/**
 * Theorem 3's DP alone — Lemma 1's pool, no bound fixing, the trivial box x̄ = ȳ = 1 — given a lower
 * bound `lowerBound` ≤ OPT (0 allowed). For tests and experiments: its answer is ≥ (1 − ε)·OPT whatever
 * the heuristics would have found. O(|P|·k·B).
 */
export function nashDp(
  g: Float64Array,
  f: Float64Array,
  k: number,
  epsilon: number,
  lowerBound: number,
  opts: { backend?: BackendName } = {},
): { selected: Int32Array | null; product: number; upperBound: number; buckets: number } {
  const kern = resolveKernels('nash', opts.backend).kernels;
  const P = kDominanceFilter(g, f, k);
  const Gp = sumOver(g, topKTs(g, P, k));
  const Fp = sumOver(f, topKTs(f, P, k));
  if (!(Gp > 0 && Fp > 0)) return { selected: null, product: 0, upperBound: 0, buckets: 0 };
  const r = certifiedDp(
    kern,
    g,
    f,
    { fixed: new Int32Array(0), free: P },
    k,
    epsilon,
    lowerBound,
    Gp,
    Fp,
    { xMax: 1, yMax: 1 },
    2 ** 31,
  );
  return {
    selected: r.selected,
    product: r.selected === null ? 0 : productOf(g, f, r.selected),
    upperBound: r.upperBound,
    buckets: r.buckets,
  };
}

function sumOver(a: Float64Array, sel: Int32Array): number {
  let s = 0;
  for (let t = 0; t < sel.length; t++) s += a[sel[t]!]!;
  return s;
}

function productOf(g: Float64Array, f: Float64Array, sel: Int32Array): number {
  return sumOver(g, sel) * sumOver(f, sel);
}

/**
 * Exact optimum by enumerating all C(n, k) subsets — ground truth for tests and tiny pools.
 * O(C(n,k)·k).
 * @throws MechlabError `ERR_TOO_LARGE` when C(n, k) > 5·10⁶.
 */
export function solveNashBruteForce(instance: NashInstanceInput): { selected: Int32Array; product: number } {
  const { uG: g, uF: f, k } = validateInstance(instance);
  const n = g.length;
  let count = 1;
  for (let i = 0; i < k; i++) count = (count * (n - i)) / (i + 1);
  if (count > 5e6)
    throw new MechlabError('ERR_TOO_LARGE', `C(${n}, ${k}) = ${count} subsets is too many`, 'instance');
  const idx = Int32Array.from({ length: k }, (_, i) => i);
  let best = -1;
  let bestSel = Int32Array.from(idx);
  for (;;) {
    const v = productOf(g, f, idx);
    if (v > best) {
      best = v;
      bestSel = Int32Array.from(idx);
    }
    let p = k - 1;
    while (p >= 0 && idx[p] === n - k + p) p--;
    if (p < 0) break;
    idx[p]!++;
    for (let q = p + 1; q < k; q++) idx[q] = idx[q - 1]! + 1;
  }
  return { selected: bestSel, product: best };
}
