/**
 * The shared conformance suite of the solver interface (STYLE.md §5, after tfjs `setup_test.ts`):
 * every backend runs the same cases, parameterised by backend name. Framework-free — each case is a
 * `run()` that throws an `Error` describing the first mismatch (with the seed path to reproduce it) —
 * so core needs no test-runner types; a test file maps cases to `it(...)`:
 *
 *     for (const c of backendConformanceCases('wasm')) (c.skip ? it.skip : it)(c.name, c.run);
 *
 * What "conformant" means (the contract of backend.ts):
 * - CCS: for every seeded instance, the backend's `p`, `efforts`, `active` and `meta` are identical to
 *   the TS reference's (bit for bit: every backend must perform the reference's float operations in the
 *   reference's order), `welfare` agrees to 1e-12 relative, and the solution names the backend;
 * - MCKP: status, value, choice and weight identical (same tie rule), `backend` reported;
 * - errors: the same code and message as the reference for the same bad input;
 * - oracles, which the reference must pass too: MCKP optimum = brute force on tiny instances, dense =
 *   general on the expanded instance, HOP objective = welfare of its design on forests, Σp ≤ 1.
 * Several thousand seeded instances in all at `scale: 1`; runtime is dominated by the TS reference.
 */
import { checkBackendName, listBackends, resolveKernels } from '../backend-impl';
import { type BackendName, type KernelFamily } from '../backend';
import { toDenseGame, type EquilibriumKernelOptions } from '../ccs/equilibrium-dense';
import { hopDpTs, hopPortions, planHop } from '../ccs/solvers/hop';
import { nashCardinalityDp } from '../nash/api';
import { planNashDp, type NashDpPlan } from '../nash/dp';
import { graphWelfare } from '../ccs/equilibrium';
import { chainInstance, randomForest } from '../ccs/generator/forest';
import { randomCcsInstance } from '../ccs/generator/random-instance';
import { createCcsInstance, type CcsInstance } from '../ccs/instance';
import type { CcsAlgo, CcsSolution } from '../ccs/solvers/common';
import { solveCcs, type CcsSolveOptions } from '../ccs/solvers/index';
import { isMechlabError } from '../errors';
import { solveMckp, solveMckpDense, type MckpItem, type MckpProblem } from '../mckp';
import { Rng } from '../rng';

const { abs, max, min, round } = Math;

/** One conformance case. `run` throws on the first mismatch; `skip` says why a case does not apply. */
export interface ConformanceCase {
  readonly name: string;
  readonly run: () => void;
  readonly skip?: string;
}

/** Options of {@link backendConformanceCases}. */
export interface ConformanceOptions {
  /** Multiplies the number of random instances per case (default 1; ≥ 0.01). */
  readonly scale?: number;
  /** Master seed of the instance streams (default `'backend-conformance'`). */
  readonly seed?: string;
}

/**
 * The conformance cases for `backend` (which must be registered when the cases run).
 *
 * Complexity: O(scale · a few thousand small instances) per full run.
 * @throws MechlabError `ERR_INVALID_TYPE` for an unknown backend name (when a case runs).
 * @example
 * for (const c of backendConformanceCases('ts')) c.run(); // the reference conforms to itself and the oracles
 */
export function backendConformanceCases(
  backend: BackendName,
  opts: ConformanceOptions = {},
): ConformanceCase[] {
  const scale = opts.scale ?? 1;
  const seed = opts.seed ?? 'backend-conformance';
  const count = (base: number): number => max(1, round(base * scale));
  const implemented = (algo: CcsAlgo): boolean => {
    checkBackendName(backend);
    return listBackends().some((b) => b.name === backend && b.ccs.includes(algo));
  };
  const ccsCase = (
    algo: CcsAlgo,
    name: string,
    gen: (rng: Rng, rep: number) => [CcsInstance, Omit<CcsSolveOptions, 'algo'>],
  ) => {
    return (reps: number): ConformanceCase => ({
      name: `ccs ${algo}: ${name} (${reps} seeded instances) match ts`,
      run: () => {
        if (!implemented(algo)) throw new Error(`backend "${backend}" does not implement ${algo}`);
        const rng = Rng.seed(seed).split('ccs', algo, name);
        for (let rep = 0; rep < reps; rep++) {
          const [inst, o] = gen(rng.split(rep), rep);
          compareCcs(inst, { ...o, algo }, backend, `${seed}/ccs/${algo}/${name}/${rep}`);
        }
      },
    });
  };

  const cases: ConformanceCase[] = [
    ccsCase('gcs', 'random graphs', (r) => [randomGraph(r, 60), {}])(count(600)),
    ccsCase('gcs', 'large sparse graphs (radix-sort path)', (r, rep) => [
      randomCcsInstance(r, { n: 3000 + 1000 * rep, rho: 3 / (3000 + 1000 * rep), costMax: 0.02 }),
      {},
    ])(count(4)),
    ccsCase('nsr', 'random graphs, linear and quadratic cost', (r) => [
      randomGraph(r, 40, r.next() < 0.4 ? 'quadratic' : 'linear'),
      { delta: 1 / [1, 2, 3, 10, 20, 50, 100][r.int(7)]! },
    ])(count(400)),
    ccsCase('equal', 'random graphs, linear and quadratic cost', (r) => [
      randomGraph(r, 60, r.next() < 0.4 ? 'quadratic' : 'linear'),
      {},
    ])(count(400)),
    ccsCase('exact', 'small random graphs', (r) => [randomGraph(r, 12), {}])(count(150)),
    ccsCase('hop', 'random forests', (r) => [
      randomForest(r, {
        n: 1 + r.int(300),
        shape: (['random', 'chain', 'star'] as const)[r.int(3)]!,
        rootProb: [0, 0.05, 0.3][r.int(3)]!,
        costMax: [0.02, 0.1, 0.5, 1][r.int(4)]!,
        ...(r.next() < 0.1 ? { theta: { kind: 'constant', value: 0 } as const } : {}),
      }),
      { delta: 1 / [1, 2, 5, 10, 20, 50, 100][r.int(7)]! },
    ])(count(500)),
    ccsCase('hop', 'deep chains and wide stars', (r, rep) => [
      rep % 2 === 0
        ? chainInstance(20000 + rep, { theta: 0.5, weight: 0.5, cost: 0.01 + 0.01 * r.next() })
        : randomForest(r, { n: 5000, shape: 'star', rootProb: 0, costMax: 0.01 }),
      { delta: rep % 2 === 0 ? 0.05 : 0.01 },
    ])(count(4)),
    {
      name: 'ccs: hand-made edge cases match ts (zero costs, zero θ, grid-point costs, n = 1)',
      run: () => {
        for (const [label, inst] of edgeInstances()) {
          for (const algo of ['exact', 'nsr', 'hop', 'gcs', 'equal'] as const) {
            if (!implemented(algo)) continue;
            for (const delta of [1, 0.5, 0.1, 0.01]) {
              const o = { algo, delta };
              const label2 = `edge/${label}/${algo}/${delta}`;
              const e = captureError(() => solveCcs(inst, { ...o, backend: 'ts' }));
              if (e === 'no error') compareCcs(inst, o, backend, label2);
              else {
                const a = captureError(() => solveCcs(inst, { ...o, backend }));
                if (a !== e) throw new Error(`${label2}: ${backend} failed with ${a}, ts with ${e}`);
              }
            }
          }
        }
      },
    },
    {
      name: 'ccs: invalid input fails with the same code and message as ts',
      run: () => {
        for (const [label, inst, o] of badCcsInputs()) {
          if (!implemented(o.algo)) continue;
          const a = captureError(() => solveCcs(inst, { ...o, backend }));
          const b = captureError(() => solveCcs(inst, { ...o, backend: 'ts' }));
          if (a !== b) throw new Error(`${label}: ${backend} failed with ${a}, ts with ${b}`);
        }
      },
    },
    {
      name: `mckp general: ${count(1000)} seeded instances (ties, infeasible, negative profits, heavy items) match ts`,
      run: () => {
        const rng = Rng.seed(seed).split('mckp-general');
        for (let rep = 0; rep < count(1000); rep++) {
          const inst = randomMckp(rng.split(rep));
          compareMckp(inst, backend, `${seed}/mckp-general/${rep}`);
        }
      },
    },
    {
      name: `mckp dense: ${count(500)} seeded instances match ts and the general solver`,
      run: () => {
        const rng = Rng.seed(seed).split('mckp-dense');
        for (let rep = 0; rep < count(500); rep++) {
          const r = rng.split(rep);
          const n = r.int(12);
          const D = r.int(r.next() < 0.1 ? 3 : 60);
          const profits = denseProfits(r, n, D);
          const label = `${seed}/mckp-dense/${rep}`;
          const a = solveMckpDense(n, D, profits, { backend });
          const b = solveMckpDense(n, D, profits, { backend: 'ts' });
          expectBackend(a.backend, backend, label);
          if (!Object.is(a.value, b.value) || a.weight !== b.weight || !sameInts(a.choice, b.choice)) {
            throw new Error(`${label}: ${show(a)} vs ts ${show(b)}`);
          }
          const classes: MckpItem[][] = [];
          for (let i = 0; i < n; i++) {
            classes.push(
              Array.from({ length: D + 1 }, (_, k) => ({ weight: k, profit: profits[i * (D + 1) + k]! })),
            );
          }
          const g = solveMckp({ capacity: D, classes }, { backend });
          if (g.status !== 'optimal' || !Object.is(g.value, a.value) || !sameInts(g.choice, a.choice)) {
            throw new Error(`${label}: dense ${show(a)} but general ${show(g)}`);
          }
        }
      },
    },
    {
      name: `mckp: the optimum equals brute force on ${count(300)} tiny instances`,
      run: () => {
        const rng = Rng.seed(seed).split('mckp-brute');
        for (let rep = 0; rep < count(300); rep++) {
          const inst = randomMckp(rng.split(rep), 4, 4, 8);
          const label = `${seed}/mckp-brute/${rep}`;
          const r = solveMckp(inst, { backend });
          const best = bruteForceMckp(inst);
          if (
            best === null ? r.status !== 'infeasible' : r.status !== 'optimal' || abs(r.value - best) > 1e-9
          ) {
            throw new Error(`${label}: ${show(r)} but brute force gives ${best}`);
          }
        }
      },
    },
    {
      name: 'mckp: invalid input fails with the same code and message as ts',
      run: () => {
        const bad: unknown[] = [
          { capacity: -1, classes: [] },
          { capacity: 2.5, classes: [] },
          { capacity: 2, classes: [[]] },
          { capacity: 2, classes: [[{ weight: 1.5, profit: 1 }]] },
          { capacity: 2, classes: [[{ weight: 1, profit: Infinity }]] },
          {
            capacity: 2 ** 27,
            classes: [[{ weight: 0, profit: 0 }], [{ weight: 0, profit: 0 }], [{ weight: 0, profit: 0 }]],
          },
        ];
        for (const [t, inst] of bad.entries()) {
          const a = captureError(() => solveMckp(inst as MckpProblem, { backend }));
          const b = captureError(() => solveMckp(inst as MckpProblem, { backend: 'ts' }));
          if (a !== b) throw new Error(`bad mckp #${t}: ${backend} failed with ${a}, ts with ${b}`);
        }
        const a = captureError(() => solveMckpDense(2, 1, new Float64Array([0, NaN, 0, 0]), { backend }));
        const b = captureError(() =>
          solveMckpDense(2, 1, new Float64Array([0, NaN, 0, 0]), { backend: 'ts' }),
        );
        if (a !== b) throw new Error(`bad dense mckp: ${backend} failed with ${a}, ts with ${b}`);
      },
    },
    ...familyCases(backend, seed, count),
  ];
  return cases.map((c) => {
    const fam = /^(nash|equilibrium|hop)\b/.exec(c.name)?.[1] as KernelFamily | undefined;
    if (fam !== undefined && !listBackends().some((b) => b.name === backend && b.families.includes(fam))) {
      return { ...c, skip: `backend "${backend}" does not implement the ${fam} kernels` };
    }
    const m = /^ccs (\w+):/.exec(c.name);
    const algo = m?.[1] as CcsAlgo | undefined;
    if (algo !== undefined && !safeImplemented(backend, algo)) {
      return {
        ...c,
        skip: `backend "${backend}" does not implement ${algo} (solveCcs runs it on another backend)`,
      };
    }
    return c;
  });
}

function safeImplemented(backend: BackendName, algo: CcsAlgo): boolean {
  return listBackends().some((b) => b.name === backend && b.ccs.includes(algo));
}

// ---------------------------------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------------------------------

function compareCcs(inst: CcsInstance, o: CcsSolveOptions, backend: BackendName, label: string): void {
  const a = solveCcs(inst, { ...o, backend });
  const b = solveCcs(inst, { ...o, backend: 'ts' });
  const graphQuality = inst.quality.kind === 'graph';
  if (a.backend !== backend && !(a.algo === 'equal' && !graphQuality && a.backend === 'ts')) {
    throw new Error(`${label}: solution reports backend "${a.backend}", expected "${backend}"`);
  }
  sameSolution(a, b, label);
  // Oracles every backend (the reference included) must satisfy.
  let sum = 0;
  for (let i = 0; i < a.p.length; i++) {
    if (!(a.p[i]! >= 0)) throw new Error(`${label}: p[${i}] = ${a.p[i]}`);
    sum += a.p[i]!;
  }
  if (sum > 1 + 1e-9) throw new Error(`${label}: Σp = ${sum} > 1`);
  if (graphQuality) {
    const w = graphWelfare(inst, a.efforts);
    if (abs(w - a.welfare) > 1e-9 * max(1, abs(w))) {
      throw new Error(`${label}: welfare ${a.welfare} but the efforts give ${w}`);
    }
  }
  if (
    a.algo === 'hop' &&
    a.meta?.objective !== undefined &&
    a.welfare < a.meta.objective * (1 - 1e-12) - 1e-12
  ) {
    throw new Error(`${label}: hop welfare ${a.welfare} below its DP objective ${a.meta.objective}`);
  }
}

function sameSolution(a: CcsSolution, b: CcsSolution, label: string): void {
  if (a.algo !== b.algo) throw new Error(`${label}: algo ${a.algo} vs ${b.algo}`);
  sameFloats(a.p, b.p, `${label}: p`);
  sameFloats(a.efforts, b.efforts, `${label}: efforts`);
  if (!sameInts(a.active, b.active)) {
    throw new Error(`${label}: active [${Array.from(a.active)}] vs ts [${Array.from(b.active)}]`);
  }
  if (abs(a.welfare - b.welfare) > 1e-12 * max(1, abs(b.welfare))) {
    throw new Error(`${label}: welfare ${a.welfare} vs ts ${b.welfare} (beyond 1e-12 relative)`);
  }
  const ma = a.meta ?? {};
  const mb = b.meta ?? {};
  for (const key of ['delta', 'objective', 'targeted', 'iterations', 'converged', 'nodes'] as const) {
    if (!Object.is(ma[key], mb[key])) throw new Error(`${label}: meta.${key} ${ma[key]} vs ts ${mb[key]}`);
  }
}

function sameFloats(a: Float64Array, b: Float64Array, label: string): void {
  if (a.length !== b.length) throw new Error(`${label}: length ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) throw new Error(`${label}[${i}] = ${a[i]} vs ts ${b[i]}`);
  }
}

function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compareMckp(inst: MckpProblem, backend: BackendName, label: string): void {
  const a = solveMckp(inst, { backend });
  const b = solveMckp(inst, { backend: 'ts' });
  expectBackend(a.backend, backend, label);
  if (a.status !== b.status) throw new Error(`${label}: ${show(a)} vs ts ${show(b)}`);
  if (a.status === 'optimal' && b.status === 'optimal') {
    if (!Object.is(a.value, b.value) || a.weight !== b.weight || !sameInts(a.choice, b.choice)) {
      throw new Error(`${label}: ${show(a)} vs ts ${show(b)}`);
    }
  }
}

function expectBackend(got: BackendName, want: BackendName, label: string): void {
  if (got !== want) throw new Error(`${label}: result reports backend "${got}", expected "${want}"`);
}

function show(r: object): string {
  return JSON.stringify(r, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v));
}

function captureError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isMechlabError(e)) return `${e.code}: ${e.message}`;
    return `non-MechlabError ${String(e)}`;
  }
  return 'no error';
}

// ---------------------------------------------------------------------------------------------------
// Instance generators (seeded)
// ---------------------------------------------------------------------------------------------------

function randomGraph(r: Rng, maxN: number, costFamily: 'linear' | 'quadratic' = 'linear'): CcsInstance {
  const n = 1 + r.int(maxN);
  const rho = [0, 0.02, 0.1, 0.3, 1][r.int(5)]!;
  const costMax = [0.02, 0.1, 0.5, 1, 3][r.int(5)]!;
  const inst = randomCcsInstance(r, { n, rho, costMax, costFamily });
  if (r.next() < 0.15) {
    // Degenerate values: zero costs, zero θ, costs on grid points (tie-rule territory).
    const theta = Float64Array.from(inst.theta);
    const cost = Float64Array.from(inst.cost);
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (u < 0.2) cost[i] = 0;
      else if (u < 0.3) theta[i] = 0;
      else if (u < 0.6) cost[i] = r.int(11) / 10;
    }
    return { ...inst, theta, cost };
  }
  return inst;
}

function edgeInstances(): [string, CcsInstance][] {
  return [
    ['single player', createCcsInstance({ theta: [1], cost: [0.5] })],
    ['zero cost', createCcsInstance({ theta: [0, 1, 0], cost: [0, 0, 0], edges: [[0, 1, 1]] })],
    ['grid-point costs', createCcsInstance({ theta: [0.1, 0.1, 0.2], cost: [0.3, 0.1, 0.2] })],
    [
      'tight pair',
      createCcsInstance({
        theta: [1, 1],
        cost: [0.5, 0.5],
        edges: [
          [0, 1, 1],
          [1, 0, 1],
        ],
      }),
    ],
    ['unaffordable', createCcsInstance({ theta: [0.1, 0.1], cost: [5, 7] })],
    ['chain', chainInstance(50)],
  ];
}

function badCcsInputs(): [string, CcsInstance, CcsSolveOptions][] {
  const quad = createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5], costFamily: 'quadratic' });
  const scaling = createCcsInstance({
    theta: [1, 1],
    cost: [0.5, 0.5],
    quality: { kind: 'scaling-law', a: [1, 1] },
  });
  const twoParents = createCcsInstance({
    theta: [1, 1, 1],
    cost: [0.1, 0.1, 0.1],
    edges: [
      [0, 2, 0.5],
      [1, 2, 0.5],
    ],
  });
  const cycle = createCcsInstance({
    theta: [1, 1, 1],
    cost: [0.1, 0.1, 0.1],
    edges: [
      [0, 1, 0.5],
      [1, 2, 0.5],
      [2, 1, 0.5],
    ],
  });
  const big = randomForest(Rng.seed('big'), { n: 3000 });
  return [
    ['gcs on quadratic cost', quad, { algo: 'gcs' }],
    ['hop on quadratic cost', quad, { algo: 'hop' }],
    ['exact on quadratic cost', quad, { algo: 'exact' }],
    ['nsr on scaling law', scaling, { algo: 'nsr' }],
    ['hop with two parents', twoParents, { algo: 'hop' }],
    ['hop on a cycle', cycle, { algo: 'hop' }],
    ['hop with delta 1/70000', twoParents, { algo: 'hop', delta: 1 / 70000 }],
    ['hop tables too large', big, { algo: 'hop', delta: 1 / 50000 }],
    ['exact beyond exactMaxN', big, { algo: 'exact' }],
  ];
}

function randomMckp(r: Rng, maxClasses = 12, maxItems = 8, maxCap = 60): MckpProblem {
  const n = r.int(maxClasses + 1);
  const capacity = r.int(maxCap + 1);
  const ties = r.next() < 0.3;
  const classes: MckpItem[][] = [];
  for (let i = 0; i < n; i++) {
    const m = 1 + r.int(maxItems);
    const cls: MckpItem[] = [];
    for (let t = 0; t < m; t++) {
      const heavy = r.next() < 0.05;
      const weight = heavy ? capacity + 1 + r.int(2 ** 30) * 1024 : r.int(max(1, round(capacity / 2)) + 1);
      const profit = ties ? r.int(4) : round((r.next() * 20 - 4) * 1e6) / 1e6;
      cls.push({ weight, profit });
    }
    classes.push(cls);
  }
  return { capacity, classes };
}

function denseProfits(r: Rng, n: number, D: number): Float64Array {
  const width = D + 1;
  const profits = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    const kind = r.int(4);
    const th = r.next();
    const k0 = r.int(width);
    let acc = 0;
    for (let k = 0; k <= D; k++) {
      let v: number;
      if (kind === 0)
        v = k >= k0 ? th : 0; // NSR step (linear cost)
      else if (kind === 1)
        v = th * min(1, k / max(1, D) / max(1e-3, r.next())); // concave-ish
      else if (kind === 2)
        v = r.int(3); // many ties
      else v = acc += r.next() - 0.3; // random walk, some negative
      profits[i * width + k] = v;
    }
  }
  return profits;
}

function bruteForceMckp(inst: MckpProblem): number | null {
  let best: number | null = null;
  const n = inst.classes.length;
  const rec = (i: number, w: number, v: number): void => {
    if (w > inst.capacity) return;
    if (i === n) {
      if (best === null || v > best) best = v;
      return;
    }
    for (const item of inst.classes[i]!) rec(i + 1, w + item.weight, v + item.profit);
  };
  rec(0, 0, 0);
  return best;
}

// ---------------------------------------------------------------------------------------------------
// The nash, equilibrium and hop kernel families: the backend's kernels against the `'ts'` reference's
// on the same validated input (bit for bit), plus oracles the reference must pass too.
// ---------------------------------------------------------------------------------------------------

function familyCases(backend: BackendName, seed: string, count: (base: number) => number): ConformanceCase[] {
  const nash = () => resolveKernels('nash', backend).kernels;
  const nashTs = () => resolveKernels('nash', 'ts').kernels;
  const eq = () => resolveKernels('equilibrium', backend).kernels;
  const eqTs = () => resolveKernels('equilibrium', 'ts').kernels;
  const rngOf = (name: string): Rng => Rng.seed(seed).split('family', name);
  return [
    {
      name: `nash top-k: ${count(300)} seeded instances equal a sort oracle (ties to the smaller index)`,
      run: () => {
        const rng = rngOf('nash-topk');
        for (let rep = 0; rep < count(300); rep++) {
          const r = rng.split(rep);
          const n = 1 + r.int(60);
          const score = Float64Array.from({ length: n }, () => (r.next() < 0.5 ? r.int(5) : r.next()));
          const pool = Int32Array.from({ length: n }, (_, i) => i).filter(() => r.next() < 0.8);
          if (pool.length === 0) continue;
          const k = 1 + r.int(pool.length);
          const oracle = Array.from(pool)
            .sort((a, b) => score[b]! - score[a]! || a - b)
            .slice(0, k)
            .sort((a, b) => a - b);
          const got = nash().topK(score, pool, k);
          if (got.join() !== oracle.join()) {
            throw new Error(`${seed}/nash-topk/${rep}: [${got.join()}] vs oracle [${oracle.join()}]`);
          }
        }
      },
    },
    {
      name: `nash λ-sweep: ${count(300)} seeded instances match ts; every k-set lies under every supporting line`,
      run: () => {
        const rng = rngOf('nash-sweep');
        for (let rep = 0; rep < count(300); rep++) {
          const r = rng.split(rep);
          const small = rep % 3 === 0;
          const { g, f, k } = nashInstance(r, small ? 9 : 60);
          const lambdas = Float64Array.from({ length: 1 + r.int(12) }, (_, l) =>
            l === 0 ? 0 : r.next() < 0.2 ? 1 : r.next(),
          );
          const pool = Int32Array.from({ length: g.length }, (_, i) => i);
          const label = `${seed}/nash-sweep/${rep}`;
          const a = nash().lambdaSweep(g, f, pool, k, lambdas);
          const b = nashTs().lambdaSweep(g, f, pool, k, lambdas);
          sameFloats(a.uG, b.uG, `${label} uG`);
          sameFloats(a.uF, b.uF, `${label} uF`);
          sameFloats(a.h, b.h, `${label} h`);
          if (
            a.bestIndex !== b.bestIndex ||
            !sameInts(a.best, b.best) ||
            !Object.is(a.G, b.G) ||
            !Object.is(a.F, b.F)
          ) {
            throw new Error(
              `${label}: best ${a.bestIndex} [${a.best.join()}] vs ts ${b.bestIndex} [${b.best.join()}]`,
            );
          }
          if (small) {
            for (const [sg, sf] of allKSums(g, f, k)) {
              for (let l = 0; l < lambdas.length; l++) {
                const lam = lambdas[l]!;
                if ((lam * sg) / a.G + ((1 - lam) * sf) / a.F > a.h[l]! * (1 + 1e-12) + 1e-12) {
                  throw new Error(`${label}: a ${k}-set lies above the line of λ = ${lam}`);
                }
              }
            }
          }
        }
      },
    },
    {
      name: `nash swap search: ${count(300)} seeded instances match ts`,
      run: () => {
        const rng = rngOf('nash-swap');
        for (let rep = 0; rep < count(300); rep++) {
          const r = rng.split(rep);
          const { g, f, k } = nashInstance(r, 60);
          const start = Int32Array.from(r.permutation(g.length).slice(0, k));
          const pool = Int32Array.from({ length: g.length }, (_, i) => i);
          const maxPasses = r.next() < 0.2 ? 1 : 100;
          const a = nash().swap(g, f, pool, start, maxPasses);
          const b = nashTs().swap(g, f, pool, start, maxPasses);
          if (a.passes !== b.passes || !sameInts(a.sel, b.sel)) {
            throw new Error(
              `${seed}/nash-swap/${rep}: [${a.sel.join()}] in ${a.passes} vs ts [${b.sel.join()}] in ${b.passes}`,
            );
          }
        }
      },
    },
    {
      name: `nash DP table: ${count(200)} seeded plans give the same last row and decision bits as ts`,
      run: () => {
        const rng = rngOf('nash-dp');
        for (let rep = 0; rep < count(200); rep++) {
          const r = rng.split(rep);
          const { g, f, k } = nashInstance(r, 30);
          const plan = dpPlan(r, g, f, k);
          if (plan === null) continue;
          const label = `${seed}/nash-dp/${rep}`;
          const a = nash().dp(plan);
          const b = nashTs().dp(plan);
          sameFloats(a.top, b.top, `${label} top`);
          if (a.bits.length !== b.bits.length)
            throw new Error(`${label}: ${a.bits.length} vs ${b.bits.length} words`);
          for (let t = 0; t < a.bits.length; t++) {
            if (a.bits[t] !== b.bits[t]) throw new Error(`${label}: decision word ${t} differs`);
          }
        }
      },
    },
    {
      name: `nash DP: (1 − ε)·OPT ≤ product ≤ OPT ≤ upper bound against brute force on ${count(100)} instances, same answer as ts`,
      run: () => {
        const rng = rngOf('nash-dp-brute');
        for (let rep = 0; rep < count(100); rep++) {
          const r = rng.split(rep);
          const { g, f, k } = nashInstance(r, 11);
          const eps = [0.3, 0.1, 0.02][r.int(3)]!;
          let opt = 0;
          for (const [sg, sf] of allKSums(g, f, k)) opt = max(opt, sg * sf);
          const label = `${seed}/nash-dp-brute/${rep}`;
          const a = nashCardinalityDp(g, f, k, { epsilon: eps, backend });
          const b = nashCardinalityDp(g, f, k, { epsilon: eps, backend: 'ts' });
          expectBackend(a.backend, backend, label);
          if (
            !sameInts(a.selected, b.selected) ||
            !Object.is(a.upperBound, b.upperBound) ||
            a.bucket !== b.bucket
          ) {
            throw new Error(
              `${label}: [${a.selected.join()}] ub ${a.upperBound} vs ts [${b.selected.join()}] ub ${b.upperBound}`,
            );
          }
          if (a.product < (1 - eps) * opt - 1e-12 || a.product > opt * (1 + 1e-12) + 1e-15) {
            throw new Error(`${label}: product ${a.product}, optimum ${opt}, ε ${eps}`);
          }
          if (a.upperBound < opt * (1 - 1e-12) - 1e-15)
            throw new Error(`${label}: bound ${a.upperBound} < optimum ${opt}`);
        }
      },
    },
    {
      name: 'nash: invalid input fails with the same code and message as ts',
      run: () => {
        const bad: [unknown, unknown, number, object][] = [
          [[1, -1], [1, 1], 1, {}],
          [[1, 1], [1], 1, {}],
          [[1, 1], [1, 1], 3, {}],
          [[1, 1], [1, 1], 1, { epsilon: 2 }],
          [[1, 1], [1, 1], 1, { pool: [0, 0] }],
          [
            Array.from({ length: 300 }, (_, i) => i + 1),
            new Array<number>(300).fill(1),
            150,
            { delta: 1e-6 },
          ],
        ];
        for (const [t, [g, f, k, o]] of bad.entries()) {
          const run = (b: BackendName) => () =>
            nashCardinalityDp(g as number[], f as number[], k, { ...o, backend: b });
          const a = captureError(run(backend));
          const b = captureError(run('ts'));
          if (a !== b || a === 'no error')
            throw new Error(`bad nash #${t}: ${backend} failed with ${a}, ts with ${b}`);
        }
      },
    },
    {
      name: `equilibrium CSR: ${count(300)} seeded instances and portions match ts (cascade and sweeps, both schedules)`,
      run: () => {
        const rng = rngOf('eq-csr');
        for (let rep = 0; rep < count(300); rep++) {
          const r = rng.split(rep);
          const inst = randomCcsInstance(r, {
            n: 1 + r.int(40),
            rho: [0, 0.05, 0.2, 0.6][r.int(4)]!,
            costFamily: r.next() < 0.5 ? 'quadratic' : 'linear',
            costMax: [0.05, 0.3, 1][r.int(3)]!,
          });
          if (!eq().supports(inst)) continue;
          const p = randomPortions(r, inst.n);
          const o: EquilibriumKernelOptions = {
            jacobi: r.next() < 0.5,
            iterate: r.next() < 0.3,
            tol: 1e-12,
            maxIterations: r.next() < 0.1 ? 2 : 100_000,
          };
          const label = `${seed}/eq-csr/${rep}`;
          const ea = captureError(() => eq().greatest(inst, p, o));
          const eb = captureError(() => eqTs().greatest(inst, p, o));
          if (ea !== 'no error' || eb !== 'no error') {
            if (ea !== eb) throw new Error(`${label}: ${backend} failed with ${ea}, ts with ${eb}`);
            continue;
          }
          const a = eq().greatest(inst, p, o);
          const b = eqTs().greatest(inst, p, o);
          sameFloats(a.efforts, b.efforts, `${label} efforts`);
          if (
            !sameInts(a.active, b.active) ||
            !Object.is(a.welfare, b.welfare) ||
            a.iterations !== b.iterations
          ) {
            throw new Error(
              `${label}: welfare ${a.welfare} in ${a.iterations} vs ts ${b.welfare} in ${b.iterations}`,
            );
          }
        }
      },
    },
    {
      name: `equilibrium dense: ${count(300)} seeded games match ts; the equilibrium is the CSR one`,
      run: () => {
        const rng = rngOf('eq-dense');
        for (let rep = 0; rep < count(300); rep++) {
          const r = rng.split(rep);
          const inst = randomCcsInstance(r, {
            n: 1 + r.int(30),
            rho: [0, 0.1, 0.5][r.int(3)]!,
            costFamily: r.next() < 0.5 ? 'quadratic' : 'linear',
          });
          const game = toDenseGame(inst);
          const p = randomPortions(r, inst.n);
          const o: EquilibriumKernelOptions = {
            jacobi: r.next() < 0.5,
            iterate: false,
            tol: 1e-12,
            maxIterations: 100_000,
          };
          const cascade = inst.costFamily === 'linear' && r.next() < 0.7;
          const label = `${seed}/eq-dense/${rep}`;
          const a = eq().dense(game, p, cascade, o);
          const b = eqTs().dense(game, p, cascade, o);
          sameFloats(a.efforts, b.efforts, `${label} efforts`);
          if (
            !sameInts(a.active, b.active) ||
            !Object.is(a.welfare, b.welfare) ||
            a.iterations !== b.iterations
          ) {
            throw new Error(
              `${label}: welfare ${a.welfare} in ${a.iterations} vs ts ${b.welfare} in ${b.iterations}`,
            );
          }
          if (inst.costFamily === 'linear') {
            const c = eqTs().greatest(inst, p, { ...o, iterate: false });
            if (
              !sameInts(a.active, c.active) ||
              abs(a.welfare - c.welfare) > 1e-12 * max(1, abs(c.welfare))
            ) {
              throw new Error(`${label}: dense welfare ${a.welfare} but CSR ${c.welfare}`);
            }
          }
        }
      },
    },
    {
      name: `hop kernel: ${count(300)} seeded forest plans match ts (units, objective), and hopPortions reports the backend`,
      run: () => {
        const rng = rngOf('hop');
        const hop = resolveKernels('hop', backend).kernels;
        for (let rep = 0; rep < count(300); rep++) {
          const r = rng.split(rep);
          const inst = randomForest(r, {
            n: 1 + r.int(120),
            shape: (['random', 'chain', 'star'] as const)[r.int(3)]!,
            rootProb: [0, 0.05, 0.3][r.int(3)]!,
            costMax: [0.02, 0.1, 0.5, 1][r.int(4)]!,
          });
          const plan = planHop(inst, [1, 2, 5, 10, 20, 50][r.int(6)]!);
          const label = `${seed}/hop/${rep}`;
          const a = hop.dp(plan);
          const b = hopDpTs(plan);
          if (!sameInts(a.units, b.units) || !Object.is(a.objective, b.objective)) {
            throw new Error(`${label}: objective ${a.objective} vs ts ${b.objective}`);
          }
          sameFloats(a.p, b.p, `${label} p`);
          if (rep < 5) expectBackend(hopPortions(inst, plan.D, { backend }).backend, backend, label);
        }
      },
    },
  ];
}

function nashInstance(r: Rng, maxN: number): { g: Float64Array; f: Float64Array; k: number } {
  const n = 1 + r.int(maxN);
  const ties = r.next() < 0.3;
  const g = Float64Array.from({ length: n }, () => (ties ? r.int(4) : r.exponential(1)));
  const f = Float64Array.from({ length: n }, () => (ties ? r.int(3) : r.exponential(1) * r.next()));
  if (r.next() < 0.1) f.fill(0, 0, Math.floor(n / 2));
  return { g, f, k: 1 + r.int(n) };
}

function dpPlan(r: Rng, g: Float64Array, f: Float64Array, k: number): NashDpPlan | null {
  const pool = Int32Array.from({ length: g.length }, (_, i) => i);
  const F = f.reduce((s, v) => s + v, 0);
  if (!(F > 0)) return null;
  const delta = (F / k) * [0.3, 0.1, 0.03][r.int(3)]!;
  const B = Math.floor((F * (1 + 1e-9)) / delta);
  return planNashDp(g, f, pool, k, delta, B, F);
}

/** (U_G, U_F) of every k-subset (tiny n only). */
function allKSums(g: Float64Array, f: Float64Array, k: number): [number, number][] {
  const n = g.length;
  const idx = Array.from({ length: k }, (_, i) => i);
  const out: [number, number][] = [];
  for (;;) {
    let sg = 0;
    let sf = 0;
    for (const i of idx) {
      sg += g[i]!;
      sf += f[i]!;
    }
    out.push([sg, sf]);
    let p = k - 1;
    while (p >= 0 && idx[p] === n - k + p) p--;
    if (p < 0) return out;
    idx[p]!++;
    for (let q = p + 1; q < k; q++) idx[q] = idx[q - 1]! + 1;
  }
}

/** A random feasible portion vector (Σ ≤ 1), sometimes zeros. */
function randomPortions(r: Rng, n: number): Float64Array {
  const p = new Float64Array(n);
  const budget = r.next();
  let s = 0;
  for (let i = 0; i < n; i++) s += p[i] = r.next() < 0.3 ? 0 : r.next();
  if (s > 0) for (let i = 0; i < n; i++) p[i] = (p[i]! / s) * budget;
  return p;
}
