/** The nash cases of the backend conformance suite (backend-suite.ts). */
import { resolveKernels } from '../backend-impl';
import { type BackendName } from '../backend';
import { nashCardinalityDp } from '../nash/api';
import { pickNashDp, planNashDp, reconstructNashDp, type NashDpPlan } from '../nash/dp';
import { Rng } from '../rng';
import type { ConformanceCase } from './backend-suite';
import { sameFloats, sameInts, expectBackend, captureError } from './compare';

const { max } = Math;

// ---------------------------------------------------------------------------------------------------
// The nash kernel family: the backend's kernels against the `'ts'` reference's
// on the same validated input (bit for bit), plus oracles the reference must pass too.
// ---------------------------------------------------------------------------------------------------

export function nashCases(
  backend: BackendName,
  seed: string,
  count: (base: number) => number,
): ConformanceCase[] {
  const nash = () => resolveKernels('nash', backend).kernels;
  const nashTs = () => resolveKernels('nash', 'ts').kernels;
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
      name: `nash DP table: ${count(200)} seeded plans give the same last row, decision bits and pick as ts`,
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
          // A backend's own pick (used instead of core's) must be core's pick and read-back.
          if (a.pick !== undefined) {
            const want = pickNashDp(plan, b);
            const items = want.bucket < 0 ? new Int32Array(0) : reconstructNashDp(plan, b, want.bucket);
            if (
              a.pick.bucket !== want.bucket ||
              !Object.is(a.pick.upper, want.upper) ||
              !sameInts(a.pick.items, items)
            ) {
              throw new Error(
                `${label}: pick b ${a.pick.bucket} ub ${a.pick.upper} [${a.pick.items.join()}] vs ts b ${want.bucket} ub ${want.upper} [${items.join()}]`,
              );
            }
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
