/**
 * CCS solver throughput (run: `npm run bench -- ccs`, or `npx tsx benchmarks/ccs/index.ts`).
 *
 * - Greedy Cost Selection scaling in n on sparse Erdős–Rényi graphs (mean in-degree 2): the solver
 *   alone (`gcsPortions`) and the full `solveCcs` (solver + greatest equilibrium), ns per player — flat
 *   ns/player across sizes is the O(n log n + |E|) claim of MODELS.md §1.3.4 made visible.
 * - Multiple-choice knapsack DP: cells per second (Σ items × capacity) for the general solver and the
 *   dense NSR layout.
 * Instances are built outside the timed functions; JSON lands in benchmarks/results/ccs/.
 */
import { add, complete, configure, cycle, save, suite } from 'benny';
import { Rng } from '@mechlab/core';
import {
  gcsPortions,
  randomCcsInstance,
  solveCcs,
  solveMckp,
  solveMckpDense,
  type CcsInstance,
} from '@mechlab/ccs';
import { caseRecorder } from '../record';

const config = configure({ cases: { minSamples: 5, maxTime: 1.5 } });
const { record, mean: secondsPerOp } = caseRecorder();

async function gcsScaling(): Promise<void> {
  const sizes = [1_000, 10_000, 100_000, 1_000_000];
  const instances = new Map<number, CcsInstance>();
  for (const n of sizes)
    instances.set(n, randomCcsInstance(Rng.seed('bench-gcs').split(n), { n, rho: 2 / n }));
  await suite(
    'GCS scaling in n (ER graph, mean degree 2)',
    config,
    ...sizes.flatMap((n) => [
      add(`gcsPortions n=${n}`, () => {
        gcsPortions(instances.get(n)!);
      }),
      add(`solveCcs gcs n=${n}`, () => {
        solveCcs(instances.get(n)!, { algo: 'gcs', backend: 'ts' });
      }),
    ]),
    cycle(),
    complete(record),
    save({ file: 'gcs', folder: 'benchmarks/results/ccs', format: 'json' }),
  );
  console.log('\nGCS ns per player (flat across n ⇒ near-linear scaling):');
  for (const n of sizes) {
    const a = secondsPerOp.get(`gcsPortions n=${n}`)!;
    const b = secondsPerOp.get(`solveCcs gcs n=${n}`)!;
    console.log(
      `  n=${String(n).padStart(8)}  gcsPortions ${((a * 1e9) / n).toFixed(0).padStart(5)} ns/player (${(a * 1e3).toFixed(2)} ms)` +
        `   solveCcs ${((b * 1e9) / n).toFixed(0).padStart(5)} ns/player (${(b * 1e3).toFixed(2)} ms)`,
    );
  }
}

async function mckpThroughput(): Promise<void> {
  const rng = Rng.seed('bench-mckp');
  const n = 200,
    D = 1000,
    itemsPerClass = 20;
  const classes = Array.from({ length: n }, () =>
    Array.from({ length: itemsPerClass }, () => ({ weight: rng.int(D / 10), profit: rng.next() })),
  );
  const general = { capacity: D, classes };
  // Dense NSR layout: class i, item k has weight k (k = 0..D) and a concave-ish random profit.
  const profits = new Float64Array(n * (D + 1));
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let k = 1; k <= D; k++) {
      acc += rng.next() / k;
      profits[i * (D + 1) + k] = acc;
    }
  }
  await suite(
    `MCKP DP (n=${n} classes, capacity ${D})`,
    config,
    add(`solveMckp general (${itemsPerClass} items/class)`, () => {
      solveMckp(general);
    }),
    add('solveMckpDense (D+1 items/class)', () => {
      solveMckpDense(n, D, profits);
    }),
    cycle(),
    complete(record),
    save({ file: 'mckp', folder: 'benchmarks/results/ccs', format: 'json' }),
  );
  const g = secondsPerOp.get(`solveMckp general (${itemsPerClass} items/class)`)!;
  const d = secondsPerOp.get('solveMckpDense (D+1 items/class)')!;
  const gCells = n * itemsPerClass * (D + 1);
  const dCells = (n * (D + 1) * (D + 2)) / 2; // item k × capacities ≥ k, the textbook O(n·D²) count
  console.log(
    `\nMCKP cells/s: general ${(gCells / g / 1e6).toFixed(1)} M cells/s (${(g * 1e3).toFixed(2)} ms)`,
  );
  console.log(
    `             dense   ${(dCells / d / 1e6).toFixed(1)} M effective cells/s (${(d * 1e3).toFixed(2)} ms; dominated items skipped)`,
  );
}

async function main(): Promise<void> {
  await gcsScaling();
  await mckpThroughput();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
