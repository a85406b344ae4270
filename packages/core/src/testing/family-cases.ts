/** The nash, equilibrium and hop cases of the backend conformance suite (backend-suite.ts). */
import { resolveKernels } from '../backend-impl';
import { type BackendName } from '../backend';
import { toDenseGame, type EquilibriumKernelOptions } from '../ccs/equilibrium-dense';
import { hopDpTs, hopPortions, planHop } from '../ccs/solvers/hop';
import { nashCardinalityDp } from '../nash/api';
import { planNashDp, type NashDpPlan } from '../nash/dp';
import { randomForest } from '../ccs/generator/forest';
import { randomCcsInstance } from '../ccs/generator/random-instance';
import { Rng } from '../rng';
import type { ConformanceCase } from './backend-suite';
import { sameFloats, sameInts, expectBackend, captureError } from './compare';

const { abs, max } = Math;

// ---------------------------------------------------------------------------------------------------
// The nash, equilibrium and hop kernel families: the backend's kernels against the `'ts'` reference's
// on the same validated input (bit for bit), plus oracles the reference must pass too.
// ---------------------------------------------------------------------------------------------------

export function familyCases(
  backend: BackendName,
  seed: string,
  count: (base: number) => number,
): ConformanceCase[] {
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
