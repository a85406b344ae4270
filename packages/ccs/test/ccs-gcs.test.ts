import { Rng } from '@mechlab/core';
import {
  createCcsInstance,
  gcsPortions,
  graphEdges,
  randomCcsInstance,
  solveCcs,
  type CcsInstance,
} from '@mechlab/ccs';
import { greatestEquilibriumBinary } from '../src/equilibrium';
import { sortIndicesByKey } from '../src/solvers/gcs';
import { naiveGcs, smallInstance, total } from './ccs-naive';

/** GCS recomputed from scratch for every k on the CSR graph: O(n · (n + |E|)), no incremental state. */
function fromScratchGcs(inst: CcsInstance): { k: number; p: Float64Array } {
  const { n, theta, cost, graph } = inst;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cost[a]! - cost[b]! || a - b);
  const rank = new Int32Array(n);
  order.forEach((v, t) => (rank[v] = t));
  for (let k = n; k >= 1; k--) {
    const p = new Float64Array(n);
    let s = 0;
    let ok = true;
    for (let t = 0; t < k && ok; t++) {
      const i = order[t]!;
      if (cost[i] === 0) continue;
      let d = theta[i]!;
      for (let e = graph.inStart[i]!; e < graph.inStart[i + 1]!; e++)
        if (rank[graph.inFrom[e]!]! < k) d += graph.inWeight[e]!;
      if (!(d > 0)) ok = false;
      p[i] = cost[i]! / d;
      s += p[i]!;
    }
    if (ok && s <= 1 + 1e-12) return { k, p };
  }
  return { k: 0, p: new Float64Array(n) };
}

/**
 * A big sparse instance built directly in typed arrays with an inline xorshift32 — not with `Rng`, whose
 * per-draw `Math.imul` global lookups are ~100× slower under jest's vm sandbox (the generator's own scale
 * is tested in ccs-generator.test.ts). Player j sends two edges, to (j + a) mod n and (j + b) mod n with
 * random offsets 1 ≤ a < b ≤ n − 1: no loops, no repeats, |E| = 2n. θ, c, w ~ U[0, 1].
 */
function bigSparse(n: number, seed: number): CcsInstance {
  let s = seed | 0 || 1;
  const u = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const theta = new Float64Array(n);
  const cost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    theta[i] = u();
    cost[i] = u();
  }
  const m = 2 * n;
  const outStart = new Int32Array(n + 1);
  const outTo = new Int32Array(m);
  const outWeight = new Float64Array(m);
  const inStart = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) {
    let a = 1 + ((u() * (n - 1)) | 0);
    let b = 1 + ((u() * (n - 2)) | 0);
    if (b >= a) b++;
    else [a, b] = [b, a];
    const x = (j + a) % n,
      y = (j + b) % n;
    outStart[j + 1] = 2 * (j + 1);
    outTo[2 * j] = x < y ? x : y;
    outTo[2 * j + 1] = x < y ? y : x;
    outWeight[2 * j] = u();
    outWeight[2 * j + 1] = u();
    inStart[x + 1]!++;
    inStart[y + 1]!++;
  }
  for (let i = 0; i < n; i++) inStart[i + 1]! += inStart[i]!;
  const fill = inStart.slice(0, n);
  const inFrom = new Int32Array(m);
  const inWeight = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    for (let e = 2 * j; e < 2 * j + 2; e++) {
      const at = fill[outTo[e]!]!++;
      inFrom[at] = j;
      inWeight[at] = outWeight[e]!;
    }
  }
  return {
    n,
    theta,
    cost,
    costFamily: 'linear',
    quality: { kind: 'graph' },
    graph: { n, edgeCount: m, inStart, inFrom, inWeight, outStart, outTo, outWeight },
  };
}

describe('GCS (Greedy Cost Selection, Algorithm 2)', () => {
  it('equals a naive O(n³) re-implementation on 400 random instances', () => {
    const rng = Rng.seed('ccs-gcs/naive');
    for (let rep = 0; rep < 400; rep++) {
      const n = 1 + rng.int(14);
      let inst = smallInstance(rng, n);
      if (rep % 4 === 0) {
        // cost ties: GCS breaks them by index
        inst = createCcsInstance({
          theta: inst.theta,
          cost: Array.from(inst.cost, (c) => Math.round(c * 4) / 4),
          edges: graphEdges(inst.graph),
        });
      }
      const ref = naiveGcs(inst);
      const r = gcsPortions(inst);
      expect(r.k).toBe(ref.k);
      for (let i = 0; i < n; i++) expect(r.p[i]).toBeCloseTo(ref.p[i]!, 12);
      const sol = solveCcs(inst, { algo: 'gcs' });
      expect(sol.welfare).toBe(greatestEquilibriumBinary(inst, sol.p).welfare);
      expect(total(sol.p)).toBeLessThanOrEqual(1 + 1e-9);
      expect(sol.meta?.targeted).toBe(ref.k);
      // Corollary 14: the targeted set T_k is active in the greatest equilibrium
      const act = new Set(sol.active);
      for (let t = 0; t < r.k; t++) expect(act.has(r.order[t]!)).toBe(true);
    }
  });

  it('equals a from-scratch implementation on medium sparse instances, with near-zero denominators', () => {
    const rng = Rng.seed('ccs-gcs/scratch');
    for (let rep = 0; rep < 6; rep++) {
      const n = 800 + rng.int(400);
      const tiny = rep % 2 === 1;
      const inst = randomCcsInstance(rng.split(rep), {
        n,
        rho: 0.005 + 0.01 * rng.next(),
        costMax: [0.05, 0.2, 1][rep % 3],
        // tiny thetas: terms c/θ are astronomically large until spillovers arrive — the incremental
        // sum must not be poisoned by adding and removing them
        theta: tiny ? { kind: 'uniform', min: 0, max: 1e-12 } : undefined,
      });
      const ref = fromScratchGcs(inst);
      const r = gcsPortions(inst);
      expect(r.k).toBe(ref.k);
      for (let i = 0; i < n; i++) expect(r.p[i]).toBeCloseTo(ref.p[i]!, 12);
    }
  });

  it('returns p = 0 when even the cheapest player alone is too expensive', () => {
    const inst = createCcsInstance({ theta: [0.1, 0.2], cost: [0.5, 0.9], edges: [[0, 1, 0.1]] });
    const r = gcsPortions(inst);
    expect(r.k).toBe(0);
    expect(Array.from(r.p)).toEqual([0, 0]);
    expect(solveCcs(inst, { algo: 'gcs' }).welfare).toBe(0);
  });

  it('documented example', () => {
    const r = gcsPortions(createCcsInstance({ theta: [1, 1, 1], cost: [0.2, 0.4, 0.9] }));
    expect(r.k).toBe(2);
    expect(Array.from(r.p)).toEqual([0.2, 0.4, 0]);
  });

  it('n = 10⁶ with |E| = 2·10⁶ finishes in a few seconds', () => {
    const inst = bigSparse(1_000_000, 12345);
    const t0 = performance.now();
    const sol = solveCcs(inst, { algo: 'gcs' });
    const ms = performance.now() - t0;
    const k = sol.meta!.targeted!;
    expect(k).toBeGreaterThan(0);
    expect(sol.active.length).toBe(k);
    expect(total(sol.p)).toBeLessThanOrEqual(1 + 1e-9);
    // every targeted player's portion is tight: p_i · D_i(T_k) = c_i
    const r = gcsPortions(inst);
    const inT = new Uint8Array(inst.n);
    for (let t = 0; t < k; t++) inT[r.order[t]!] = 1;
    for (let t = 0; t < k; t += 97) {
      const i = r.order[t]!;
      let d = inst.theta[i]!;
      for (let e = inst.graph.inStart[i]!; e < inst.graph.inStart[i + 1]!; e++) {
        if (inT[inst.graph.inFrom[e]!] === 1) d += inst.graph.inWeight[e]!;
      }
      expect(r.p[i]! * d).toBeCloseTo(inst.cost[i]!, 12);
    }
    expect(ms).toBeLessThan(15_000);
  });
});

describe('sortIndicesByKey', () => {
  it('radix path (n > 2048) equals a stable comparison sort, with ties and -0', () => {
    const rng = Rng.seed('ccs-gcs/sort');
    for (const n of [10, 2048, 2049, 50_000]) {
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const u = rng.next();
        keys[i] =
          u < 0.1
            ? 0
            : u < 0.15
              ? -0
              : u < 0.3
                ? Math.round(rng.next() * 10) / 10
                : rng.next() * 1e3 ** rng.int(3);
      }
      const ref = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
      expect(Array.from(sortIndicesByKey(keys))).toEqual(ref);
    }
  });
});
