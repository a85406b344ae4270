/**
 * Naive, independent reference implementations for the CCS solver tests: dense matrices, plain loops,
 * no incremental tricks. Only the binary tie rule (`isActive`) is shared with the library, because it
 * *defines* the model's tie-breaking.
 */
import { Rng } from '@mechlab/core';
import { createCcsInstance, graphEdges, type CcsInstance, type Edge } from '@mechlab/ccs';
import { isActive } from '../src/best-response';

/** Dense spillover matrix: w[j][i] = weight of j → i (0 when absent). */
export function denseWeights(inst: CcsInstance): number[][] {
  const w = Array.from({ length: inst.n }, () => new Array<number>(inst.n).fill(0));
  for (const [j, i, x] of graphEdges(inst.graph)) w[j]![i] = x;
  return w;
}

/** Greatest equilibrium by Jacobi best-response iteration from all ones (binary best responses). */
export function naiveEquilibrium(inst: CcsInstance, p: ArrayLike<number>): { x: number[]; welfare: number } {
  const n = inst.n;
  const w = denseWeights(inst);
  let x = new Array<number>(n).fill(1);
  for (let it = 0; it <= n + 1; it++) {
    const next = x.map((_, i) => {
      let d = inst.theta[i]!;
      for (let j = 0; j < n; j++) if (j !== i) d += w[j]![i]! * x[j]!;
      return isActive(p[i]!, d, inst.cost[i]!) ? 1 : 0;
    });
    if (next.every((v, i) => v === x[i])) break;
    x = next;
  }
  let welfare = 0;
  for (let i = 0; i < n; i++) {
    if (x[i] === 0) continue;
    let d = inst.theta[i]!;
    for (let j = 0; j < n; j++) if (j !== i) d += w[j]![i]! * x[j]!;
    welfare += d;
  }
  return { x, welfare };
}

/** Tight-portion cost and value of an active set (mask), or null if not implementable. */
export function setCostValue(
  inst: CcsInstance,
  w: number[][],
  inS: boolean[],
): { cost: number; value: number } | null {
  let cost = 0;
  let value = 0;
  for (let i = 0; i < inst.n; i++) {
    if (!inS[i]) continue;
    let d = inst.theta[i]!;
    for (let j = 0; j < inst.n; j++) if (j !== i && inS[j]) d += w[j]![i]!;
    value += d;
    const c = inst.cost[i]!;
    if (c === 0) continue;
    if (!(d > 0)) return null;
    cost += c / d;
  }
  return { cost, value };
}

/** Exact optimum by enumerating all 2^n active sets. */
export function bruteForceExact(inst: CcsInstance): number {
  const n = inst.n;
  const w = denseWeights(inst);
  let best = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    const inS = Array.from({ length: n }, (_, i) => ((mask >> i) & 1) === 1);
    const r = setCostValue(inst, w, inS);
    if (r && r.cost <= 1 + 1e-12 && r.value > best) best = r.value;
  }
  return best;
}

/** Best greatest-equilibrium welfare over all grid portion vectors k/D with Σk ≤ D (and a filter). */
export function bruteForceGrid(
  inst: CcsInstance,
  D: number,
  accept: (p: number[], x: number[]) => boolean = () => true,
): number {
  const n = inst.n;
  const k = new Array<number>(n).fill(0);
  let best = 0;
  const rec = (i: number, left: number): void => {
    if (i === n) {
      const p = k.map((v) => v / D);
      const eq = naiveEquilibrium(inst, p);
      if (eq.welfare > best && accept(p, eq.x)) best = eq.welfare;
      return;
    }
    for (let v = 0; v <= left; v++) {
      k[i] = v;
      rec(i + 1, left - v);
    }
    k[i] = 0;
  };
  rec(0, D);
  return best;
}

/** GCS re-implemented naively: O(n) sets × O(n²) denominators. */
export function naiveGcs(inst: CcsInstance): { p: number[]; k: number } {
  const n = inst.n;
  const w = denseWeights(inst);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => inst.cost[a]! - inst.cost[b]! || a - b);
  for (let k = n; k >= 1; k--) {
    const inS = new Array<boolean>(n).fill(false);
    for (let t = 0; t < k; t++) inS[order[t]!] = true;
    const p = new Array<number>(n).fill(0);
    let sum = 0;
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      if (!inS[i]) continue;
      let d = inst.theta[i]!;
      for (let j = 0; j < n; j++) if (j !== i && inS[j]) d += w[j]![i]!;
      const c = inst.cost[i]!;
      if (c === 0) continue;
      if (!(d > 0)) ok = false;
      else {
        p[i] = c / d;
        sum += c / d;
      }
    }
    if (ok && sum <= 1 + 1e-12) return { p, k };
  }
  return { p: new Array<number>(n).fill(0), k: 0 };
}

/** Small random binary instance with assorted degenerate features (zero θ, zero costs, w = 0 edges). */
export function smallInstance(
  rng: Rng,
  n: number,
  opts: { rho?: number; costMax?: number } = {},
): CcsInstance {
  const rho = opts.rho ?? rng.next();
  const costMax = opts.costMax ?? [0.2, 0.5, 1, 2][rng.int(4)]!;
  const zeroTheta = rng.next() < 0.15;
  const zeroCost = rng.next() < 0.1;
  const theta = Array.from({ length: n }, () => (zeroTheta && rng.next() < 0.5 ? 0 : rng.next()));
  const cost = Array.from({ length: n }, () => (zeroCost && rng.next() < 0.5 ? 0 : costMax * rng.next()));
  const edges: Edge[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++)
      if (i !== j && rng.next() < rho) edges.push([j, i, rng.next() < 0.05 ? 0 : rng.next()]);
  }
  return createCcsInstance({ theta, cost, edges });
}

/** Σ of an array-like. */
export function total(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}
