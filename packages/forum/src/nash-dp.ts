/** Theorem 3's certified DP of the Nash-product benchmark (nash.ts module comment). */
import {
  MechlabError,
  kDominanceFilter,
  pickNashDp,
  planNashDp,
  reconstructNashDp,
  resolveKernels,
  topKTs,
} from '@mechlab/core';
import type { BackendName, NashKernels } from '@mechlab/core';
import { SLACK } from './nash-polygon';
import type { Reduction } from './nash-reduction';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { ceil, floor, max, min } = Math;

export interface DpResult {
  selected: Int32Array | null;
  upperBound: number;
  buckets: number;
  bits: number;
}

/**
 * Theorem 3's DP on the reduction of Lemma 4: the fixed items are in, the DP chooses k' = k − |fixed|
 * of the free items, and the rounding loss is k'·δ with δ = ε·L/k'. See the module comment.
 */
export function certifiedDp(
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

export function sumOver(a: Float64Array, sel: Int32Array): number {
  let s = 0;
  for (let t = 0; t < sel.length; t++) s += a[sel[t]!]!;
  return s;
}

export function productOf(g: Float64Array, f: Float64Array, sel: Int32Array): number {
  return sumOver(g, sel) * sumOver(f, sel);
}
