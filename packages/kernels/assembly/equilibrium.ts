// Greatest pure Nash equilibrium under Provisional Allocation (MODELS.md §1.2; seed 004 Theorem 5) —
// the WebAssembly twin of packages/ccs/src/equilibrium.ts for graph quality, on sparse (CSR)
// and dense (n×n) spillover graphs:
// - binary best responses (linear cost): the deletion cascade of `greatestEquilibriumBinary` (a
//   player whose incentive p_i·D_i falls below c_i leaves and lowers its out-neighbours' D);
// - quadratic cost: best-response iteration from x = 1 (Gauss–Seidel or Jacobi) with the closed form
//   x_i = min(1, p_i·D_i/c_i) (c_i = 0 ⇒ 1) of `praBestResponseUnchecked`, stopping when no effort
//   moves by more than `tol`.
// The CSR kernels perform the reference's float operations in the reference's order (identical
// results). The dense kernels sum column entries in ascending source order, which can differ from a
// CSR edge order in the last bits (see the README, "float reductions").
import { isActive, ldf, ldi, ldu8, stf, sti, stu8 } from './memory';

/** Σ_i x_i (θ_i + Σ_{j→i} w_ji x_j) over CSR in-lists — core's `graphWelfare`. */
export function welfareCsr(
  n: i32,
  theta: usize,
  inStart: usize,
  inFrom: usize,
  inWeight: usize,
  x: usize,
): f64 {
  let sw: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xi = ldf(x, i);
    if (xi == 0) continue;
    let d = ldf(theta, i);
    const e1 = ldi(inStart, i + 1);
    for (let k = ldi(inStart, i); k < e1; k++) d += ldf(inWeight, k) * ldf(x, ldi(inFrom, k));
    sw += xi * d;
  }
  return sw;
}

/** Σ_i x_i (θ_i + Σ_j W[j·n+i] x_j), sources j ascending; `acc` f64[n] scratch. */
export function welfareDense(n: i32, theta: usize, W: usize, x: usize, acc: usize): f64 {
  memory.copy(acc, theta, (<usize>n) << 3);
  for (let j = 0; j < n; j++) {
    const xj = ldf(x, j);
    if (xj == 0) continue;
    const row = W + ((<usize>j * <usize>n) << 3);
    for (let i = 0; i < n; i++) stf(acc, i, ldf(acc, i) + ldf(row, i) * xj);
  }
  let sw: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xi = ldf(x, i);
    if (xi == 0) continue;
    sw += xi * ldf(acc, i);
  }
  return sw;
}

/** Active players (x > 0) ascending into `active`; returns their number. */
function activeSet(n: i32, x: usize, active: usize): i32 {
  let a = 0;
  for (let i = 0; i < n; i++) if (ldf(x, i) > 0) sti(active, a++, i);
  return a;
}

/**
 * Binary greatest equilibrium on a CSR graph (deletion cascade). Layout: `theta`, `cost`, `p` f64[n];
 * CSR as in gcs.ts; scratch `denom` f64[n], `on` u8[n], `queue` i32[n]; out `efforts` f64[n],
 * `active` i32[n], `count` i32[1]. Returns the welfare. O(n + |E|).
 */
export function eqBinaryCsr(
  n: i32,
  theta: usize,
  cost: usize,
  p: usize,
  inStart: usize,
  inFrom: usize,
  inWeight: usize,
  outStart: usize,
  outTo: usize,
  outWeight: usize,
  denom: usize,
  on: usize,
  queue: usize,
  efforts: usize,
  active: usize,
  count: usize,
): f64 {
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    let d = ldf(theta, i);
    const e1 = ldi(inStart, i + 1);
    for (let k = ldi(inStart, i); k < e1; k++) d += ldf(inWeight, k);
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
  for (let i = 0; i < n; i++) stf(efforts, i, ldu8(on, i) == 1 ? 1.0 : 0.0);
  sti(count, 0, activeSet(n, efforts, active));
  return welfareCsr(n, theta, inStart, inFrom, inWeight, efforts);
}

/**
 * Binary greatest equilibrium on a dense graph `W` f64[n·n], `W[j·n+i]` = spillover j → i (diagonal
 * ignored by the caller's validation: it must be 0). Same cascade; a leaving player's row is
 * subtracted from every denominator. Scratch `denom` f64[n], `on` u8[n], `queue` i32[n]; out as
 * {@link eqBinaryCsr}. O(n²).
 */
export function eqBinaryDense(
  n: i32,
  theta: usize,
  cost: usize,
  p: usize,
  W: usize,
  denom: usize,
  on: usize,
  queue: usize,
  efforts: usize,
  active: usize,
  count: usize,
): f64 {
  memory.copy(denom, theta, (<usize>n) << 3);
  for (let j = 0; j < n; j++) {
    const row = W + ((<usize>j * <usize>n) << 3);
    for (let i = 0; i < n; i++) stf(denom, i, ldf(denom, i) + ldf(row, i));
  }
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    if (!isActive(ldf(p, i), ldf(denom, i), ldf(cost, i))) {
      stu8(on, i, 0);
      sti(queue, tail++, i);
    } else stu8(on, i, 1);
  }
  while (head < tail) {
    const j = ldi(queue, head++);
    const row = W + ((<usize>j * <usize>n) << 3);
    for (let i = 0; i < n; i++) {
      const w = ldf(row, i);
      if (w == 0) continue;
      const d = ldf(denom, i) - w;
      stf(denom, i, d);
      if (ldu8(on, i) == 1 && !isActive(ldf(p, i), d, ldf(cost, i))) {
        stu8(on, i, 0);
        sti(queue, tail++, i);
      }
    }
  }
  for (let i = 0; i < n; i++) stf(efforts, i, ldu8(on, i) == 1 ? 1.0 : 0.0);
  sti(count, 0, activeSet(n, efforts, active));
  return welfareDense(n, theta, W, efforts, denom);
}

function bestResponse(linear: bool, pi: f64, agg: f64, c: f64): f64 {
  if (linear) return isActive(pi, agg, c) ? 1.0 : 0.0;
  if (c == 0) return 1.0;
  const t = (pi * agg) / c;
  return t >= 1 ? 1.0 : t;
}

/**
 * Best-response iteration from x = 1 on a CSR graph (any cost family of graph quality). `jacobi != 0`
 * responds to the previous sweep (`next` f64[n] scratch), otherwise Gauss–Seidel in place. Out:
 * `x` f64[n] efforts, `active` i32[n], `out` f64[2] = (welfare, active count). Returns the number of
 * sweeps including the confirming one, or −1 after `maxIter` sweeps without convergence.
 * O(sweeps · (n + |E|)).
 */
export function eqIterateCsr(
  n: i32,
  linear: i32,
  theta: usize,
  cost: usize,
  p: usize,
  inStart: usize,
  inFrom: usize,
  inWeight: usize,
  jacobi: i32,
  tol: f64,
  maxIter: i32,
  x: usize,
  next: usize,
  active: usize,
  out: usize,
): i32 {
  const lin = linear != 0;
  for (let i = 0; i < n; i++) stf(x, i, 1.0);
  let cur = x;
  let nxt = jacobi != 0 ? next : x;
  for (let it = 1; it <= maxIter; it++) {
    let delta: f64 = 0;
    for (let i = 0; i < n; i++) {
      const old = ldf(cur, i);
      let agg = ldf(theta, i);
      const e1 = ldi(inStart, i + 1);
      for (let k = ldi(inStart, i); k < e1; k++) agg += ldf(inWeight, k) * ldf(cur, ldi(inFrom, k));
      const br = bestResponse(lin, ldf(p, i), agg, ldf(cost, i));
      const d = abs<f64>(br - old);
      if (d > delta) delta = d;
      stf(nxt, i, br);
    }
    if (nxt != cur) {
      const t = cur;
      cur = nxt;
      nxt = t;
    }
    if (delta <= tol) {
      if (cur != x) memory.copy(x, cur, (<usize>n) << 3);
      stf(out, 0, welfareCsr(n, theta, inStart, inFrom, inWeight, x));
      stf(out, 1, <f64>activeSet(n, x, active));
      return it;
    }
  }
  return -1;
}

/**
 * {@link eqIterateCsr} on a dense graph `W` f64[n·n] (`W[j·n+i]` = spillover j → i); `acc` f64[n]
 * scratch for the welfare. O(sweeps · n²).
 */
export function eqIterateDense(
  n: i32,
  linear: i32,
  theta: usize,
  cost: usize,
  p: usize,
  W: usize,
  jacobi: i32,
  tol: f64,
  maxIter: i32,
  x: usize,
  next: usize,
  active: usize,
  out: usize,
  acc: usize,
): i32 {
  const lin = linear != 0;
  for (let i = 0; i < n; i++) stf(x, i, 1.0);
  let cur = x;
  let nxt = jacobi != 0 ? next : x;
  for (let it = 1; it <= maxIter; it++) {
    let delta: f64 = 0;
    for (let i = 0; i < n; i++) {
      const old = ldf(cur, i);
      let agg = ldf(theta, i);
      const col = W + ((<usize>i) << 3);
      const stride = (<usize>n) << 3;
      for (let j = 0; j < n; j++) agg += load<f64>(col + <usize>j * stride) * ldf(cur, j);
      const br = bestResponse(lin, ldf(p, i), agg, ldf(cost, i));
      const d = abs<f64>(br - old);
      if (d > delta) delta = d;
      stf(nxt, i, br);
    }
    if (nxt != cur) {
      const t = cur;
      cur = nxt;
      nxt = t;
    }
    if (delta <= tol) {
      if (cur != x) memory.copy(x, cur, (<usize>n) << 3);
      stf(out, 0, welfareDense(n, theta, W, x, acc));
      stf(out, 1, <f64>activeSet(n, x, active));
      return it;
    }
  }
  return -1;
}
