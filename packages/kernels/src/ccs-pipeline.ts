/**
 * The `ccs.random-graph` per-instance pipeline in WebAssembly (seed 004 §6; MODELS.md §1.4) — the
 * wrapper of assembly/generate.ts and the `ccsPipeline` kernel family of the `'wasm'` backend, twin of
 * core's `createCcsPipelineTs`.
 *
 * Per sweep point the wrapper lays out, once, a context block, θ/c, both CSR views (edge capacity
 * E|E| + 6σ, grown on overflow), GCS and equilibrium scratch, and core's exact geometric-skip table
 * for ρ. Per instance it writes the three stream seeds (`hashKeys` of the stream paths, as core's
 * `Rng` seeds them) and makes **one** call, `ccsPipeline(ctx)`, which generates, designs, plays and
 * measures inside the module. Results are identical to the TS pipeline (differential tests in
 * test/ccs-pipeline.test.ts).
 */
import { hashKeys, rangeError, type Rng } from '@mechlab/core';
import {
  createCcsPipelineTs,
  geometricSkipTable,
  validateCcsPipelineOptions,
  type CcsDistribution,
  type CcsPipeline,
  type CcsPipelineKernels,
  type CcsPipelineOptions,
  type CcsInstance,
} from '@mechlab/ccs';
import { loadKernels, type Kernels } from './wasm';

// Context block layout (assembly/generate.ts): u32 slots, then f64 slots from byte 256.
const C = {
  n: 0,
  cap: 1,
  K: 2,
  theta: 3,
  cost: 4,
  inStart: 5,
  inFrom: 6,
  inWeight: 7,
  outStart: 8,
  outTo: 9,
  outWeight: 10,
  fill: 11,
  T: 12,
  buckets: 13,
  order: 14,
  cd: 15,
  p: 16,
  tmp: 17,
  lo: 18,
  hi: 19,
  lo2: 20,
  hi2: 21,
  count: 22,
  denom: 23,
  on: 24,
  queue: 25,
  efforts: 26,
  active: 27,
  acount: 28,
  kindTheta: 29,
  kindCost: 30,
  kindWeight: 31,
  seeds: 32,
  sortKeys: 44,
  sortIdx: 45,
  dfull: 46,
  dd: 47,
} as const;
const F_BASE = 256;
const F = { rho: 0, lq: 1, theta: 2, cost: 4, weight: 6, out: 8 } as const;
const CTX_BYTES = F_BASE + 16 * 8;
const BUCKETS = 4096;

type BuiltIn = Exclude<CcsDistribution, { kind: 'custom' }>;

function resolve(
  d: CcsDistribution | undefined,
  max: number | undefined,
  field: string,
): BuiltIn | undefined {
  if (d === undefined) {
    const x = max ?? 1;
    if (!(typeof x === 'number' && Number.isFinite(x) && x >= 0))
      throw rangeError(field, 'a finite number ≥ 0', x);
    return { kind: 'uniform', min: 0, max: x };
  }
  return d.kind === 'custom' ? undefined : d;
}

/** (kind, a, b) of a marginal as assembly/generate.ts reads it. */
function encode(d: BuiltIn): [number, number, number] {
  switch (d.kind) {
    case 'uniform':
      return [0, d.min, d.max];
    case 'constant':
      return [1, d.value, 0];
    case 'exponential':
      return [2, 1 / d.mean, 0]; // the rate, as `Rng.exponential(1 / mean)` divides by it
  }
}

interface Layout {
  readonly ctx: number;
  readonly cap: number;
  readonly generation: number;
  /** Views of the seed words and the outputs (remade when the memory grows: a new buffer). */
  seeds: Uint32Array;
  outputs: Float64Array;
}

/** The WASM pipeline of one sweep point. */
class WasmCcsPipeline implements CcsPipeline {
  readonly backend = 'wasm' as const;
  private readonly k: Kernels;
  private layout: Layout | undefined;
  private cap: number;
  private readonly kinds: [number, number, number][];
  private readonly pathBuf: (string | number)[] = [];

  constructor(
    private readonly opts: CcsPipelineOptions,
    dists: [BuiltIn, BuiltIn, BuiltIn],
    edgeCapacity?: number,
  ) {
    this.k = loadKernels();
    const { n, rho } = opts;
    const slots = n * (n - 1);
    this.cap =
      edgeCapacity ?? Math.max(16, Math.min(slots, Math.ceil(rho * slots + 6 * Math.sqrt(rho * slots) + 16)));
    this.kinds = dists.map(encode);
  }

  /** Lay out (again) when absent, outgrown, or overwritten by another kernel's layout since. */
  private ensureLayout(): Layout {
    const l = this.layout;
    if (l !== undefined && l.cap === this.cap && l.generation === this.k.layouts) return l;
    const { n, rho } = this.opts;
    const table = geometricSkipTable(rho);
    const K = table ? table.size : 0;
    const m = this.cap;
    const a = this.k.arena();
    const ctx = a.u8(CTX_BYTES);
    const ptr: Record<keyof typeof C, number> = {
      n,
      cap: m,
      K,
      theta: a.f64(n),
      cost: a.f64(n),
      inStart: a.i32(n + 1),
      outStart: a.i32(n + 1),
      fill: a.i32(n),
      order: a.i32(n),
      cd: a.f64(2 * n),
      p: a.f64(n),
      tmp: a.i32(n),
      lo: a.i32(n),
      hi: a.i32(n),
      lo2: a.i32(n),
      hi2: a.i32(n),
      count: a.i32(65537),
      denom: a.f64(n),
      on: a.u8(n),
      queue: a.i32(n),
      efforts: a.f64(n),
      active: a.i32(n),
      acount: a.i32(4),
      T: a.f64(K + 1),
      buckets: a.u16(BUCKETS),
      inFrom: a.i32(m),
      outTo: a.i32(m),
      inWeight: a.f64(m),
      outWeight: a.f64(m),
      kindTheta: this.kinds[0]![0],
      kindCost: this.kinds[1]![0],
      kindWeight: this.kinds[2]![0],
      seeds: 0,
      sortKeys: a.f64(2 * n),
      sortIdx: a.i32(n),
      dfull: a.f64(n),
      dd: a.f64(n),
    };
    const k = a.commit();
    const buf = k.memory.buffer;
    const u32 = new Uint32Array(buf, ctx, F_BASE / 4);
    for (const key of Object.keys(C) as (keyof typeof C)[]) {
      if (key !== 'seeds') u32[C[key]] = ptr[key];
    }
    const f = new Float64Array(buf, ctx + F_BASE, 16);
    f[F.rho] = rho;
    f[F.lq] = rho < 1 ? Math.log1p(-rho) : 0;
    for (const [i, at] of [F.theta, F.cost, F.weight].entries()) {
      f[at] = this.kinds[i]![1];
      f[at + 1] = this.kinds[i]![2];
    }
    if (table) {
      const T = new BigUint64Array(buf, ptr.T, K + 1);
      for (let t = 0; t <= K; t++) T[t] = BigInt(table.thresholds[t]!);
      new Uint16Array(buf, ptr.buckets, BUCKETS).set(table.bucketStart);
    }
    const layout: Layout = {
      ctx,
      cap: m,
      generation: k.layouts,
      seeds: new Uint32Array(buf, ctx + C.seeds * 4, 12),
      outputs: new Float64Array(buf, ctx + F_BASE + F.out * 8, 5),
    };
    this.layout = layout;
    return layout;
  }

  /** Write the three stream seeds of `rng` and make the call; grows and retries on edge overflow. */
  private call(rng: Rng, fn: 'ccsPipeline' | 'ccsGenerate'): Layout {
    for (;;) {
      const l = this.ensureLayout();
      if (l.seeds.buffer !== this.k.memory.buffer) {
        // Another kernel grew the memory without re-laying out over this region: new views.
        l.seeds = new Uint32Array(this.k.memory.buffer, l.ctx + C.seeds * 4, 12);
        l.outputs = new Float64Array(this.k.memory.buffer, l.ctx + F_BASE + F.out * 8, 5);
      }
      const seeds = l.seeds;
      const path = this.pathBuf;
      path.length = 0;
      for (const key of rng.path) path.push(key);
      path.push('theta');
      seeds.set(hashKeys(path), 0);
      path[path.length - 1] = 'cost';
      seeds.set(hashKeys(path), 4);
      path[path.length - 1] = 'edges';
      seeds.set(hashKeys(path), 8);
      if (this.k.exports[fn](l.ctx) >= 0) return l;
      this.cap *= 2;
    }
  }

  run(rng: Rng, out: Float64Array, offset: number): void {
    const f = this.call(rng, 'ccsPipeline').outputs;
    out[offset] = f[0]!;
    out[offset + 1] = f[1]!;
    out[offset + 2] = f[2]!;
    out[offset + 3] = f[3]!;
  }

  /** The instance of `rng` as the module draws it (copied out; for the differential tests). */
  generate(rng: Rng): CcsInstance {
    const l = this.call(rng, 'ccsGenerate');
    const { n } = this.opts;
    const buf = this.k.memory.buffer;
    const u32 = new Uint32Array(buf, l.ctx, F_BASE / 4);
    const m = new Float64Array(buf, l.ctx + F_BASE, 16)[F.out + 4]!;
    const f64 = (at: number, len: number): Float64Array => new Float64Array(buf, u32[at], len).slice();
    const i32 = (at: number, len: number): Int32Array => new Int32Array(buf, u32[at], len).slice();
    return {
      n,
      theta: f64(C.theta, n),
      cost: f64(C.cost, n),
      costFamily: 'linear',
      quality: { kind: 'graph' },
      graph: {
        n,
        edgeCount: m,
        inStart: i32(C.inStart, n + 1),
        inFrom: i32(C.inFrom, m),
        inWeight: f64(C.inWeight, m),
        outStart: i32(C.outStart, n + 1),
        outTo: i32(C.outTo, m),
        outWeight: f64(C.outWeight, m),
      },
    };
  }
}

function builtIns(opts: CcsPipelineOptions): [BuiltIn, BuiltIn, BuiltIn] | undefined {
  const t = resolve(opts.theta, opts.thetaMax, 'thetaMax');
  const c = resolve(opts.cost, opts.costMax, 'costMax');
  const w = resolve(opts.weight, opts.wMax, 'wMax');
  return t && c && w ? [t, c, w] : undefined;
}

/**
 * A WebAssembly pipeline for one sweep point (custom marginals: the TS pipeline, `backend: 'ts'`).
 * Validates like the TS pipeline (core's `validateCcsPipelineOptions`: same inputs, same errors).
 * `edgeCapacity` sets the first edge capacity (default E|E| + 6σ + 16; tests use a tiny one to
 * exercise the grow-and-redraw path).
 *
 * Complexity O(n + E|E|) to lay out; per run O(n log n + |E|).
 * @throws MechlabError as `validateCcsPipelineOptions`; Error when the kernels are not built.
 * @example createCcsPipelineWasm({ n: 1000, rho: 0.1 }).run(Rng.seed(1), out, 0)
 */
export function createCcsPipelineWasm(
  opts: CcsPipelineOptions,
  { edgeCapacity }: { edgeCapacity?: number } = {},
): CcsPipeline {
  validateCcsPipelineOptions(opts);
  const dists = builtIns(opts);
  if (dists === undefined) return createCcsPipelineTs(opts);
  return new WasmCcsPipeline(opts, dists, edgeCapacity);
}

/**
 * The instance the WASM generator draws for `rng`, copied out (differential tests and benchmarks).
 * @throws MechlabError as `validateCcsPipelineOptions`, or for custom marginals.
 */
export function randomCcsInstanceWasm(
  rng: Rng,
  opts: CcsPipelineOptions,
  { edgeCapacity }: { edgeCapacity?: number } = {},
): CcsInstance {
  validateCcsPipelineOptions(opts);
  const dists = builtIns(opts);
  if (dists === undefined) throw rangeError('theta/cost/weight', 'built-in distributions', 'custom');
  return new WasmCcsPipeline(opts, dists, edgeCapacity).generate(rng);
}

/** The `ccsPipeline` kernel family of the `'wasm'` backend. */
export const wasmCcsPipelineKernels: CcsPipelineKernels = Object.freeze({
  backend: 'wasm',
  create: createCcsPipelineWasm,
});
