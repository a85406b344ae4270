/** The equilibrium and hop cases of the CCS conformance suite (conformance.ts). */
import { Rng, resolveKernels, type BackendName } from '@mechlab/core';
import {
  captureError,
  expectBackend,
  sameFloats,
  sameInts,
  type ConformanceCase,
} from '@mechlab/core/testing';
import { toDenseGame, type EquilibriumKernelOptions } from '../equilibrium-dense';
import { randomForest } from '../generator/forest';
import { randomCcsInstance } from '../generator/random-instance';
import { hopDpTs, hopPortions, planHop } from '../solvers/hop';

const { abs, max } = Math;

// ---------------------------------------------------------------------------------------------------
// The equilibrium and hop kernel families: the backend's kernels against the `'ts'` reference's on
// the same validated input (bit for bit), plus oracles the reference must pass too.
// ---------------------------------------------------------------------------------------------------

export function familyCases(
  backend: BackendName,
  seed: string,
  count: (base: number) => number,
): ConformanceCase[] {
  const eq = () => resolveKernels('equilibrium', backend).kernels;
  const eqTs = () => resolveKernels('equilibrium', 'ts').kernels;
  const rngOf = (name: string): Rng => Rng.seed(seed).split('family', name);
  return [
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

/** A random feasible portion vector (Σ ≤ 1), sometimes zeros. */
function randomPortions(r: Rng, n: number): Float64Array {
  const p = new Float64Array(n);
  const budget = r.next();
  let s = 0;
  for (let i = 0; i < n; i++) s += p[i] = r.next() < 0.3 ? 0 : r.next();
  if (s > 0) for (let i = 0; i < n; i++) p[i] = (p[i]! / s) * budget;
  return p;
}
