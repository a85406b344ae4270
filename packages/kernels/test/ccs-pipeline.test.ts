/**
 * The `ccs.random-graph` pipeline: the WebAssembly generator draws byte-identical instances to core's
 * generators (PRNG inside the module), and the WASM pipeline, the TS pipeline and the experiment's
 * `solveCcs` path give identical numbers; registration through the `ccsPipeline` kernel family.
 */
import { Rng, resolveKernels, withBackendScope } from '@mechlab/core';
import {
  CCS_PIPELINE_OUTPUTS,
  cachedCcsPipeline,
  ccsRandomGraph,
  ccsRandomGraphParams,
  createCcsPipeline,
  createCcsPipelineTs,
  randomCcsInstanceEdgeList,
  solveCcs,
  type CcsDistribution,
  type CcsInstance,
  type CcsPipelineOptions,
  type CcsRandomGraphParams,
} from '@mechlab/ccs';
import { createCcsPipelineWasm, registerWasmBackend } from '@mechlab/kernels';
import { randomCcsInstanceWasm } from '../src/ccs-pipeline';

registerWasmBackend();

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function mismatch(a: CcsInstance, b: CcsInstance): string | undefined {
  if (a.graph.edgeCount !== b.graph.edgeCount)
    return `edgeCount ${a.graph.edgeCount} vs ${b.graph.edgeCount}`;
  if (!sameBytes(a.theta, b.theta)) return 'theta';
  if (!sameBytes(a.cost, b.cost)) return 'cost';
  for (const k of ['inStart', 'inFrom', 'inWeight', 'outStart', 'outTo', 'outWeight'] as const) {
    if (!sameBytes(a.graph[k], b.graph[k])) return k;
  }
  return undefined;
}

const DISTS: readonly (CcsDistribution | undefined)[] = [
  undefined,
  { kind: 'uniform', min: 0.25, max: 3 },
  { kind: 'exponential', mean: 0.5 },
  { kind: 'constant', value: 0.7 },
];

function randomCase(pick: Rng, c: number): CcsPipelineOptions {
  const rhos = [0, 1, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.1, 0.3, 0.5, 0.9];
  return {
    n: c % 9 === 0 ? 1 + pick.int(3) : 2 + pick.int(c % 4 === 0 ? 300 : 80),
    rho: c % 3 === 0 ? pick.next() : rhos[pick.int(rhos.length)]!,
    theta: DISTS[pick.int(DISTS.length)],
    weight: DISTS[pick.int(DISTS.length)],
    cost: DISTS[pick.int(DISTS.length)],
  };
}

describe('WebAssembly CCS generator', () => {
  it('draws byte-identical instances to core on 300 seeded (n, ρ, seed, marginals) cases', () => {
    const pick = Rng.seed('wasm-generator-cases');
    let edges = 0;
    for (let c = 0; c < 300; c++) {
      const opts = randomCase(pick, c);
      const rng = Rng.fromPath(['wasm-gen', c]);
      const ref = randomCcsInstanceEdgeList(rng, opts);
      const bad = mismatch(ref, randomCcsInstanceWasm(rng, opts));
      if (bad !== undefined) throw new Error(`case ${c} (n=${opts.n}, rho=${opts.rho}): ${bad} differs`);
      edges += ref.graph.edgeCount;
    }
    expect(edges).toBeGreaterThan(50_000); // reaches the skip table's log1p tail (p ≈ 1e-4 per edge)
  });

  it('matches at the sweep size n = 1000, ρ = 0.1', () => {
    const rng = Rng.fromPath([1, 'ccs.random-graph', 0, 3]);
    const opts = { n: 1000, rho: 0.1 };
    expect(mismatch(randomCcsInstanceEdgeList(rng, opts), randomCcsInstanceWasm(rng, opts))).toBe(undefined);
  });
});

describe('ccs.random-graph pipeline', () => {
  it('WASM = TS pipeline = solveCcs(gcs, equal) on 200 seeded cases, with reused buffers', () => {
    const pick = Rng.seed('pipeline-cases');
    const a = new Float64Array(CCS_PIPELINE_OUTPUTS);
    const b = new Float64Array(CCS_PIPELINE_OUTPUTS);
    let activeSeen = 0;
    for (let c = 0; c < 40; c++) {
      const opts = randomCase(pick, c);
      const wasm = createCcsPipelineWasm(opts);
      const ts = createCcsPipelineTs(opts);
      expect(wasm.backend).toBe('wasm');
      for (let r = 0; r < 5; r++) {
        const rng = Rng.fromPath(['pipe', c, r]);
        wasm.run(rng, a, 0);
        ts.run(rng, b, 0);
        const inst = randomCcsInstanceEdgeList(rng, opts);
        const g = solveCcs(inst, { algo: 'gcs', backend: 'ts' });
        const e = solveCcs(inst, { algo: 'equal', backend: 'ts' });
        const ref = [g.welfare, g.active.length, e.welfare, e.active.length];
        expect(Array.from(b)).toEqual(ref);
        expect(Array.from(a)).toEqual(ref);
        activeSeen += g.active.length;
      }
    }
    expect(activeSeen).toBeGreaterThan(0);
  });

  it('stays correct when other WebAssembly kernels re-lay out memory between runs', () => {
    const opts = { n: 200, rho: 0.1 };
    const wasm = createCcsPipelineWasm(opts);
    const ts = createCcsPipelineTs(opts);
    const a = new Float64Array(8);
    const b = new Float64Array(8);
    for (let r = 0; r < 4; r++) {
      const rng = Rng.fromPath(['relayout', r]);
      wasm.run(rng, a, 4);
      ts.run(rng, b, 4);
      expect(Array.from(a)).toEqual(Array.from(b));
      solveCcs(randomCcsInstanceEdgeList(Rng.seed(r), { n: 300, rho: 0.2 }), {
        algo: 'gcs',
        backend: 'wasm',
      });
    }
  });

  it('is a kernel family of the registry: wasm by default once registered, ts on request', () => {
    expect(resolveKernels('ccsPipeline').name).toBe('wasm');
    expect(resolveKernels('ccsPipeline', 'ts').name).toBe('ts');
    expect(createCcsPipeline({ n: 10, rho: 0.5 }).backend).toBe('wasm');
    expect(createCcsPipeline({ n: 10, rho: 0.5 }, 'ts').backend).toBe('ts');
    const custom: CcsDistribution = { kind: 'custom', sample: (r) => r.next(), mean: 0.5 };
    expect(createCcsPipeline({ n: 10, rho: 0.5, cost: custom }).backend).toBe('ts');
  });

  it('rejects bad options at creation, like the reference', () => {
    expect(() => createCcsPipelineWasm({ n: 0, rho: 0.1 })).toThrow(/n/);
    expect(() => createCcsPipelineWasm({ n: 5, rho: 2 })).toThrow(/rho/);
    expect(() => createCcsPipelineWasm({ n: 5, rho: 0.1, costMax: -1 })).toThrow(/costMax/);
  });
});

describe('edge capacity overflow', () => {
  it('grows and redraws from the same seeds: same instance, same measurements', () => {
    const opts = { n: 120, rho: 0.3 };
    const rng = Rng.seed('overflow');
    const ref = randomCcsInstanceEdgeList(rng, opts);
    expect(mismatch(ref, randomCcsInstanceWasm(rng, opts, { edgeCapacity: 16 }))).toBe(undefined);
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    createCcsPipelineWasm(opts, { edgeCapacity: 16 }).run(rng, a, 0);
    createCcsPipelineTs(opts).run(rng, b, 0);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('cachedCcsPipeline', () => {
  it('returns the same pipeline for the same point and backend, a new one when either changes', () => {
    const a = cachedCcsPipeline({ n: 50, rho: 0.2 });
    expect(cachedCcsPipeline({ n: 50, rho: 0.2 })).toBe(a);
    expect(a.backend).toBe('wasm');
    const b = cachedCcsPipeline({ n: 50, rho: 0.3 });
    expect(b).not.toBe(a);
    const c = withBackendScope('ts', () => cachedCcsPipeline({ n: 50, rho: 0.3 }));
    expect(c.backend).toBe('ts');
    expect(cachedCcsPipeline({ n: 50, rho: 0.3, cost: { kind: 'exponential', mean: 0.5 } })).not.toBe(b);
    const out = new Float64Array(8);
    cachedCcsPipeline({ n: 50, rho: 0.3 }).run(Rng.seed(3), out, 0);
    c.run(Rng.seed(3), out, 4);
    expect(Array.from(out.subarray(0, 4))).toEqual(Array.from(out.subarray(4)));
  });
});

describe('ccs.random-graph runs on the pipeline', () => {
  /** The experiment's metrics the way it computed them before issue 14 (edge list + solveCcs on ts). */
  function reference(rng: Rng, p: CcsRandomGraphParams): number[] {
    const dist = (kind: string, scale: number): CcsDistribution =>
      kind === 'uniform'
        ? { kind: 'uniform', min: 0, max: scale }
        : kind === 'exponential'
          ? scale > 0
            ? { kind: 'exponential', mean: scale / 2 }
            : { kind: 'constant', value: 0 }
          : { kind: 'constant', value: scale / 2 };
    const inst = randomCcsInstanceEdgeList(rng, {
      n: p.n,
      rho: p.rho,
      theta: dist(p.thetaDist, p.thetaMax),
      weight: dist(p.weightDist, p.wMax),
      cost: dist(p.costDist, p.costMax),
    });
    const g = solveCcs(inst, { algo: 'gcs', backend: 'ts' });
    const e = solveCcs(inst, { algo: 'equal', backend: 'ts' });
    const row = [g.welfare, g.active.length, e.welfare, e.active.length];
    if (p.exactMaxN > 0) {
      if (p.n <= p.exactMaxN) {
        const x = solveCcs(inst, { algo: 'exact', exactMaxN: p.exactMaxN, backend: 'ts' });
        row.push(x.welfare, x.active.length);
      } else row.push(NaN, NaN);
    }
    return row;
  }

  it.each(['wasm', 'ts'] as const)(
    'gives the pre-issue-14 numbers on %s (presets, marginals, exactMaxN)',
    (b) => {
      const cases: Partial<CcsRandomGraphParams>[] = [
        {},
        { n: 500, rho: 0.05 },
        { n: 60, rho: 0.7, costMax: 4 },
        { n: 40, thetaDist: 'exponential', weightDist: 'constant', costDist: 'exponential', wMax: 2 },
        { n: 12, rho: 0.3, exactMaxN: 14 },
        { n: 30, rho: 0.3, exactMaxN: 14 },
        { n: 50, costMax: 0 },
      ];
      withBackendScope(b, () => {
        for (const [c, partial] of cases.entries()) {
          const p = ccsRandomGraphParams.parse(partial);
          const width = p.exactMaxN > 0 ? 6 : 4;
          const out = new Float64Array(3 * width);
          for (let r = 0; r < 3; r++) {
            const rng = Rng.fromPath([2026, 'ccs.random-graph', c, r]);
            ccsRandomGraph.run(rng, p, out, r * width);
            expect(Array.from(out.subarray(r * width, (r + 1) * width))).toEqual(reference(rng, p));
          }
        }
      });
    },
  );
});
