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
import { z } from 'zod';
import { kDominanceFilter, parseWithSchema, resolveKernels, topKTs } from '@mechlab/core';
import type { NashOptions, NashCandidate, NashSolution, NashInstanceInput } from './nash-types';
import { greedyMarginal } from './greedy-marginal';
import { SLACK, maxProductOnPolygon, regionBox, type SweepLine } from './nash-polygon';
import { boundReduction } from './nash-reduction';
import { certifiedDp } from './nash-dp';
import { validateInstance } from './nash-instance';

// Lemma 1's filter and top-k are the `nash` kernel family's shared reference (core/src/nash); they are
// re-exported under the names this package has always used.
export { kDominanceFilter, topKTs as topK };

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { max, min } = Math;

/**
 * `NashOptions`, checked once per solve (a few fields; the solve itself is O(n log n) or more). Fields
 * are named bare (`epsilon must be < 1, got 2`), as in FORMATS.md's `nash` flags.
 */
const nashOptionsSchema = z.object({
  method: z.enum(['heuristics', 'certified']).optional(),
  epsilon: z.number().gt(0).lt(1).optional(),
  lambdaGrid: z.number().int().min(2).optional(),
  hullRefinements: z.number().int().min(0).optional(),
  maxSwapPasses: z.number().int().min(0).max(0x7fffffff).optional(),
  // A bit budget may be unbounded (Infinity), unlike the other numbers.
  maxDpBits: z
    .custom<number>((x) => typeof x === 'number' && x > 0, { params: { expected: 'a positive number' } })
    .optional(),
});

/**
 * Choose `k` items maximising (Σ uG)·(Σ uF) (seed 000 §2.1; MODELS.md §2 benchmark).
 *
 * Complexity: heuristics O(n log n + (grid + refinements)·n log k + passes·k·|P|) with |P| ≤ n the
 * reduced pool of Lemma 1; certified adds O(|P|·k·B) time and bits (Theorem 3).
 * @throws MechlabError `ERR_INVALID_TYPE` / `ERR_OUT_OF_RANGE` naming the field (`instance.uF[2] must be
 * ≥ 0, got -1`, `epsilon must be < 1, got 2`); `ERR_TOO_LARGE` when the DP table would exceed
 * `maxDpBits` (raise ε).
 * @example
 * solveNash({ uG: [3.1, 2.0, 5.2], uF: [0.1, 0.9, 0.05], k: 2 }, { method: 'certified' })
 * // { selected: Int32Array [1, 2], uG: 7.2, uF: 0.95, product: 6.84, upperBound: 6.84…, gap: 0, … }
 */
export function solveNash(instance: NashInstanceInput, opts: NashOptions = {}): NashSolution {
  const { uG, uF, k } = validateInstance(instance);
  return solveNashArrays(uG, uF, k, opts);
}

/**
 * `solveNash` on validated typed arrays (no copies, arrays not re-checked) — the simulation's hot path,
 * once per round. Preconditions: equal lengths n ≥ 1, entries finite and ≥ 0, 1 ≤ k ≤ n. `opts` is
 * still parsed by its schema: a few fields, microseconds beside the O(n log n) solve.
 */
export function solveNashArrays(
  g: Float64Array,
  f: Float64Array,
  k: number,
  opts: NashOptions = {},
): NashSolution {
  const o = parseWithSchema(nashOptionsSchema, opts, '');
  const method = o.method ?? 'heuristics';
  const eps = o.epsilon ?? 0.01;
  const grid = o.lambdaGrid ?? 21;
  const refinements = o.hullRefinements ?? 8;
  const maxPasses = o.maxSwapPasses ?? 100;
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
        : certifiedDp(kern, g, f, red, k, eps, best.product, Gp, Fp, box, o.maxDpBits ?? 2 ** 31);
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
