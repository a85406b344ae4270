/**
 * The conformance suite of the CCS kernel families (STYLE.md §5, after tfjs `setup_test.ts`; the
 * generic pieces are `@mechlab/core/testing`'s): every backend runs the same cases, parameterised by
 * backend name. Framework-free — each case is a
 * `run()` that throws an `Error` describing the first mismatch (with the seed path to reproduce it) —
 * so no test-runner types are needed; a test file maps cases to `it(...)`:
 *
 *     for (const c of [...backendConformanceCases('wasm'), ...ccsConformanceCases('wasm')]) it(c.name, c.run);
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
 *
 * The comparisons live in compare.ts, the seeded instance generators in instances.ts, and the
 * equilibrium and hop cases in family-cases.ts.
 */
import { Rng, checkBackendName, listBackends, type BackendName } from '@mechlab/core';
import {
  captureError,
  conformanceSetup,
  expectBackend,
  sameInts,
  show,
  expectRefusal,
  refusalForUnimplemented,
  type ConformanceCase,
  type ConformanceOptions,
} from '@mechlab/core/testing';
import { chainInstance, randomForest } from '../generator/forest';
import { randomCcsInstance } from '../generator/random-instance';
import { type CcsInstance } from '../instance';
import { solveMckp, solveMckpDense, type MckpItem, type MckpProblem } from '../mckp';
import type { CcsAlgo } from '../solvers/common';
import { solveCcs, type CcsSolveOptions } from '../solvers/index';
import { compareCcs, compareMckp } from './compare';
import { familyCases } from './family-cases';
import {
  badCcsInputs,
  bruteForceMckp,
  denseProfits,
  edgeInstances,
  randomGraph,
  randomMckp,
} from './instances';

const { abs } = Math;

/**
 * The conformance cases of the CCS kernel families (`ccs`, `mckp`, `equilibrium`, `hop`) for
 * `backend` (which must be registered when the cases run); core's own families' cases are
 * `backendConformanceCases` from `@mechlab/core/testing`, and a backend test runs both.
 *
 * Complexity: O(scale · a few thousand small instances) per full run.
 * @throws MechlabError `ERR_INVALID_TYPE` for an unknown backend name (when a case runs).
 * @example
 * for (const c of ccsConformanceCases('ts')) c.run(); // the reference conforms to itself and the oracles
 */
export function ccsConformanceCases(backend: BackendName, opts: ConformanceOptions = {}): ConformanceCase[] {
  const { seed, count } = conformanceSetup(opts);
  const implemented = (algo: CcsAlgo): boolean => {
    checkBackendName(backend);
    return listBackends().some((b) => b.name === backend && b.members.ccs?.includes(algo));
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
  // A solver the backend does not implement (WASM has no branch and bound for `exact`: it is not a hot
  // loop) is not skipped: its case checks that asking the backend for it is refused naming the backend,
  // and that an omitted backend routes it to one that implements it, with the TS reference's answer.
  return refusalForUnimplemented(backend, cases, ['equilibrium', 'hop']).map((c) => {
    const m = /^ccs (\w+):/.exec(c.name);
    const algo = m?.[1] as CcsAlgo | undefined;
    if (algo === undefined || safeImplemented(backend, algo)) return c;
    return {
      name: `ccs ${algo}: backend "${backend}" does not implement it; asking for it is refused naming backend, and the default routes it to a backend that does, with the reference's answer`,
      run: () => {
        const inst = randomGraph(Rng.seed(seed).split('ccs', algo, 'routing'), 10);
        expectRefusal(() => solveCcs(inst, { algo, backend }), backend);
        const routed = solveCcs(inst, { algo });
        if (routed.backend === backend || !safeImplemented(routed.backend, algo)) {
          throw new Error(`ccs ${algo} without a backend ran on "${routed.backend}"`);
        }
        compareCcs(inst, { algo }, routed.backend, `${seed}/ccs/${algo}/routing`);
      },
    };
  });
}

function safeImplemented(backend: BackendName, algo: CcsAlgo): boolean {
  return listBackends().some((b) => b.name === backend && b.members.ccs?.includes(algo));
}
