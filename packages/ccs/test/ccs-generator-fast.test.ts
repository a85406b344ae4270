import { Rng } from '@mechlab/core';
import {
  geometricSkipTable,
  randomCcsInstance,
  randomCcsInstanceEdgeList,
  type CcsDistribution,
  type CcsInstance,
} from '@mechlab/ccs';
import { CcsWorkspace } from '../src/generator/workspace';
import { randomCcsInstanceInto } from '../src/generator/random-instance';
import { type RandomCcsOptions } from '../src/generator/distribution';

/** Byte-for-byte equality of two typed arrays (NaN payloads and −0 included). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

const KEYS = ['inStart', 'inFrom', 'inWeight', 'outStart', 'outTo', 'outWeight'] as const;

function mismatch(a: CcsInstance, b: CcsInstance): string | undefined {
  if (a.n !== b.n) return 'n';
  if (a.graph.edgeCount !== b.graph.edgeCount)
    return `edgeCount ${a.graph.edgeCount} vs ${b.graph.edgeCount}`;
  if (!sameBytes(a.theta, b.theta)) return 'theta';
  if (!sameBytes(a.cost, b.cost)) return 'cost';
  for (const k of KEYS) if (!sameBytes(a.graph[k], b.graph[k])) return k;
  if (a.costFamily !== b.costFamily) return 'costFamily';
  return undefined;
}

const DISTS: readonly (CcsDistribution | undefined)[] = [
  undefined,
  { kind: 'uniform', min: 0.25, max: 3 },
  { kind: 'exponential', mean: 0.5 },
  { kind: 'constant', value: 0.7 },
];

describe('randomCcsInstance straight into CSR (threshold-table skips)', () => {
  it('is byte-identical to the edge-list reference on 600 seeded (n, ρ, seed, marginals) cases', () => {
    const pick = Rng.seed('generator-fast-cases');
    const rhos = [0, 1, 1e-4, 9e-4, 1e-3, 0.003, 0.01, 0.05, 0.1, 0.1, 0.1, 0.25, 0.5, 0.9, 0.999];
    const ws = new CcsWorkspace(); // starts empty: exercises growth and the views
    let checked = 0;
    let edges = 0;
    for (let c = 0; c < 600; c++) {
      const n = c % 7 === 0 ? 1 + pick.int(3) : 2 + pick.int(c % 5 === 0 ? 400 : 120);
      const rho = c % 3 === 0 ? pick.next() : rhos[pick.int(rhos.length)]!;
      const opts: RandomCcsOptions = {
        n,
        rho,
        theta: DISTS[pick.int(DISTS.length)],
        weight: DISTS[pick.int(DISTS.length)],
        cost: DISTS[pick.int(DISTS.length)],
        costFamily: c % 11 === 0 ? 'quadratic' : 'linear',
      };
      const rng = Rng.fromPath(['gen', c, n]);
      const ref = randomCcsInstanceEdgeList(rng, opts);
      const fresh = randomCcsInstance(rng, opts);
      const into = randomCcsInstanceInto(rng, opts, ws);
      const bad = mismatch(ref, fresh) ?? mismatch(ref, into);
      if (bad !== undefined) throw new Error(`case ${c} (n=${n}, rho=${rho}): ${bad} differs`);
      checked++;
      edges += ref.graph.edgeCount;
    }
    expect(checked).toBe(600);
    expect(edges).toBeGreaterThan(100_000); // the table's log1p tail (p ≈ 1e-4 per edge) is reached
  });

  it('matches the reference at the sweep sizes (n = 1000, ρ = 0.1 and 0.01) with a reused workspace', () => {
    const ws = new CcsWorkspace(1000, 0.1);
    for (let r = 0; r < 6; r++) {
      for (const rho of [0.1, 0.01]) {
        const rng = Rng.fromPath([7, 'ccs.random-graph', rho, r]);
        const opts = { n: 1000, rho };
        expect(mismatch(randomCcsInstanceEdgeList(rng, opts), randomCcsInstanceInto(rng, opts, ws))).toBe(
          undefined,
        );
      }
    }
  });

  it('custom distributions take the reference path (same result)', () => {
    const custom: CcsDistribution = { kind: 'custom', sample: (r) => r.next() * 2, mean: 1 };
    const opts = { n: 40, rho: 0.2, weight: custom };
    const rng = Rng.seed(5);
    expect(mismatch(randomCcsInstanceEdgeList(rng, opts), randomCcsInstance(rng, opts))).toBe(undefined);
  });

  it('the skip table reproduces ⌊log1p(−u)/log1p(−ρ)⌋ exactly at and around every threshold', () => {
    const P53 = 2 ** 53;
    for (const rho of [0.001, 0.01, 0.1, 0.37, 0.5, 0.9, 0.999]) {
      const t = geometricSkipTable(rho)!;
      expect(t.size).toBeGreaterThan(0);
      const lq = Math.log1p(-rho);
      const g = (U: number): number => Math.floor(Math.log1p(-(U / P53)) / lq);
      for (let k = 1; k <= t.size; k++) {
        const T = t.thresholds[k]!;
        expect(Number.isSafeInteger(T)).toBe(true);
        expect(g(T)).toBeGreaterThanOrEqual(k);
        expect(g(T - 1)).toBeLessThan(k);
      }
    }
    expect(geometricSkipTable(1)).toBeUndefined();
    expect(geometricSkipTable(1e-4)).toBeUndefined();
    expect(geometricSkipTable(0.1)).toBe(geometricSkipTable(0.1)); // cached per ρ
  });

  it('rejects bad input like the reference', () => {
    const ws = new CcsWorkspace();
    expect(() => randomCcsInstanceInto(Rng.seed(1), { n: 0, rho: 0.1 }, ws)).toThrow(/n/);
    expect(() => randomCcsInstanceInto(Rng.seed(1), { n: 5, rho: 1.5 }, ws)).toThrow(/rho/);
  });
});
