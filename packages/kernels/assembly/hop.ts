// HOP tree DP (seed 004 Theorem 11/21, Algorithms 3–5) — the WebAssembly twin of the DP part of
// packages/ccs/src/solvers/hop.ts (`hopPortions`). The TypeScript wrapper does the O(n) set-up
// exactly as the reference (forest check and heavy-first post-order, parent weights, incentive costs
// π_i(0), π_i(1) via minGridUnits) and this kernel runs the value functions, the SCBA folds and the
// top-down extraction with the same loops and float operations, so `units` and the objective are
// identical to the reference. Iterative (no recursion); accumulators live in a pool of
// `maxSlots` rows of 2·(D+1) doubles (heavy-first order keeps at most ⌊log₂ n⌋ + 3 open).
import { ldf, ldi, ldu16, ldu8, stf, sti, stu16, stu8 } from './memory';

/**
 * Layout (byte offsets; W = D + 1, W2 = 2W):
 * in  `parent` i32[n] (−1 for roots), `postOrder` i32[n], `pw` f64[n] (parent spillover),
 *     `pi0`, `pi1` i32[n] (incentive costs in grid units, 0x7fffffff = never), `theta` f64[n];
 * tmp `dec` u8[n·W2], `split` u16[n·W2], `slots` f64[maxSlots·W2], `freeList` i32[maxSlots],
 *     `accSlot` i32[n+1], `V` f64[W2], `zeros` f64[W2], `T` f64[W] and `S` i64[W] (one folded row and its
 *     splits), `rem` i32[n+1], `eff` u8[n+1];
 * out `units` i32[n].
 * Returns the DP optimum, or NaN if the accumulator pool was too small (never with the bound above).
 */
export function hopDp(
  n: i32,
  D: i32,
  parent: usize,
  postOrder: usize,
  pw: usize,
  pi0: usize,
  pi1: usize,
  theta: usize,
  dec: usize,
  split: usize,
  slots: usize,
  maxSlots: i32,
  freeList: usize,
  accSlot: usize,
  V: usize,
  zeros: usize,
  T: usize,
  S: usize,
  rem: usize,
  eff: usize,
  units: usize,
): f64 {
  const W = D + 1;
  const W2 = 2 * W;
  const slotBytes = (<usize>W2) << 3;
  memory.fill(dec, 0, <usize>n * <usize>W2);
  memory.fill(zeros, 0, slotBytes);
  memory.fill(accSlot, 0xff, (<usize>(n + 1)) << 2); // −1
  let nFree = 0;
  let nSlots = 0;

  for (let t = 0; t < n; t++) {
    const i = ldi(postOrder, t);
    const own = ldi(accSlot, i);
    const A: usize = own >= 0 ? slots + <usize>own * slotBytes : zeros;
    const isRoot = ldi(parent, i) < 0;
    const rows = isRoot ? 1 : 2; // a root's parent (the virtual root) never exerts effort
    const th = ldf(theta, i);
    const base = i * W2;
    for (let e = 0; e < rows; e++) {
      const pe = e == 0 ? ldi(pi0, i) : ldi(pi1, i);
      const gain = e == 0 ? th : th + ldf(pw, i);
      const row = e * W;
      // b < π: i cannot be incentivised, V = W(b, 0). b ≥ π: V = max(W(b, 0), gain + W(b − π, 1)),
      // ties → active (branch-free: both candidates, a select, and the decision bit stored as is).
      const split0 = pe < W ? pe : W;
      memory.copy(V + ((<usize>row) << 3), A, (<usize>split0) << 3);
      const Vr = V + ((<usize>row) << 3);
      const Dr = dec + <usize>(base + row);
      const A1 = A + ((<usize>(W - pe)) << 3); // A1[b] = A[W + b − π] = W_i(b − π, 1)
      const gains = f64x2.splat(gain);
      let b = split0;
      for (; b + 1 < W; b += 2) {
        const off = (<usize>b) << 3;
        const v0 = v128.load(A + off);
        const v1 = f64x2.add(gains, v128.load(A1 + off));
        const m = f64x2.ge(v1, v0);
        v128.store(Vr + off, v128.bitselect(v1, v0, m));
        const bits = i64x2.bitmask(m); // decision bytes of b and b + 1
        store<u16>(Dr + <usize>b, <u16>((bits & 1) | ((bits & 2) << 7)));
      }
      if (b < W) {
        const v0 = ldf(A, b);
        const v1 = gain + ldf(A1, b);
        const take = v1 >= v0;
        stf(Vr, b, select<f64>(v1, v0, take));
        store<u8>(Dr + <usize>b, <u8>take);
      }
    }
    if (own >= 0) {
      sti(freeList, nFree++, own);
      sti(accSlot, i, -1);
    }
    // Fold V_i into the parent's accumulator (SCBA step), recording the budget given to i.
    const par = isRoot ? n : ldi(parent, i);
    let ps = ldi(accSlot, par);
    if (ps < 0) {
      // First child: copy, and the smallest maximising split is the last breakpoint ≤ b.
      if (nFree > 0) ps = ldi(freeList, --nFree);
      else {
        if (nSlots >= maxSlots) return NaN;
        ps = nSlots++;
      }
      sti(accSlot, par, ps);
      const P = slots + <usize>ps * slotBytes;
      memory.fill(P, 0, slotBytes);
      for (let e = 0; e < rows; e++) {
        const row = e * W;
        const Vr = V + ((<usize>row) << 3);
        memory.copy(P + ((<usize>row) << 3), Vr, (<usize>W) << 3);
        let last = 0;
        let prevV = ldf(Vr, 0);
        stu16(split, base + row, 0);
        for (let b = 1; b < W; b++) {
          const vb = ldf(Vr, b);
          last = select<i32>(b, last, vb > prevV);
          prevV = vb;
          stu16(split, base + row + b, last);
        }
      }
      continue;
    }
    const P = slots + <usize>ps * slotBytes;
    for (let e = 0; e < rows; e++) {
      const row = e * W;
      const Vr = V + ((<usize>row) << 3);
      const Pr = P + ((<usize>row) << 3);
      // Out of place, breakpoint-outer: T(b) = P(b) + V(0) with split 0, then for every breakpoint a ≥ 1
      // (where V strictly increases — only those can win under the smallest-split tie rule), in
      // ascending order, T(b) = P(b − a) + V(a) where strictly larger. Same candidates and order per
      // cell as the reference's split-inner loop, hence the same values and splits; each pass is a
      // branch-free 2-lane stream.
      const v0 = ldf(Vr, 0);
      const v0s = f64x2.splat(v0);
      let b = 0;
      for (; b + 1 < W; b += 2) {
        const off = (<usize>b) << 3;
        v128.store(T + off, f64x2.add(v128.load(Pr + off), v0s));
      }
      if (b < W) stf(T, b, ldf(Pr, b) + v0);
      memory.fill(S, 0, (<usize>W) << 3);
      let prevV = v0;
      for (let a = 1; a < W; a++) {
        const va = ldf(Vr, a);
        if (!(va > prevV)) {
          prevV = va;
          continue;
        }
        prevV = va;
        const vas = f64x2.splat(va);
        const as = i64x2.splat(<i64>a);
        const src = Pr - ((<usize>a) << 3); // src(b) = P(b − a)
        let c = a;
        for (; c + 1 < W; c += 2) {
          const off = (<usize>c) << 3;
          const cand = f64x2.add(v128.load(src + off), vas);
          const cur = v128.load(T + off);
          const m = f64x2.gt(cand, cur);
          v128.store(T + off, v128.bitselect(cand, cur, m));
          v128.store(S + off, v128.bitselect(as, v128.load(S + off), m));
        }
        if (c < W) {
          const cand = ldf(src, c) + va;
          if (cand > ldf(T, c)) {
            stf(T, c, cand);
            store<i64>(S + ((<usize>c) << 3), <i64>a);
          }
        }
      }
      memory.copy(Pr, T, (<usize>W) << 3);
      for (let c = 0; c < W; c++) stu16(split, base + row + c, <i32>load<i64>(S + ((<usize>c) << 3)));
    }
  }
  const objective = ldf(slots + <usize>ldi(accSlot, n) * slotBytes, D);

  // Top-down extraction (Algorithm 5).
  memory.fill(rem, 0, (<usize>(n + 1)) << 2);
  memory.fill(eff, 0, <usize>(n + 1));
  memory.fill(units, 0, (<usize>n) << 2);
  sti(rem, n, D);
  for (let t = n - 1; t >= 0; t--) {
    const j = ldi(postOrder, t);
    const pj = ldi(parent, j);
    const par = pj >= 0 ? pj : n;
    const e = ldu8(eff, par);
    const B = ldi(rem, par);
    const row = j * W2 + e * W;
    const a = ldu16(split, row + B);
    sti(rem, par, B - a);
    if (ldu8(dec, row + a) == 1) {
      const c = e == 0 ? ldi(pi0, j) : ldi(pi1, j);
      sti(units, j, c);
      sti(rem, j, a - c);
      stu8(eff, j, 1);
    } else {
      sti(rem, j, a);
    }
  }
  return objective;
}
