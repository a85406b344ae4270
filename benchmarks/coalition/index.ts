/**
 * Benchmarks for @mechlab/coalition (run: `npx tsx benchmarks/coalition/index.ts`).
 *
 * - exact Shapley by subset enumeration, n = 20 (2^20 table), vs permutation sampling on the same game;
 * - max-pooling closed form, n = 10⁵ agents × 8 benchmarks, vs permutation sampling (per permutation);
 * - exact MPW by partition enumeration, n = 10 (Bell(10) = 115 975 partitions), vs the MPW sampler.
 *
 * Setup (game construction) happens outside the timed functions. JSON results go to
 * benchmarks/results/coalition.json (git-ignored). Ratios are printed at the end.
 */
import { add, complete, configure, cycle, save, suite } from 'benny';
import { Rng } from '@mechlab/core';
import {
  characteristicOracle,
  createMarket,
  demandShareGame,
  maxPoolingOracle,
  mpwExact,
  mpwSample,
  shapleyExact,
  shapleyMaxPooling,
  shapleySample,
} from '@mechlab/coalition';
import type { CharacteristicGame, MaxPoolingGame } from '@mechlab/coalition';
import { caseRecorder } from '../record';

const config = configure({ cases: { minSamples: 5, maxTime: 2 } });
const { record, mean: msPerOp } = caseRecorder(1000);

function cffTable(n: number, seed: string): CharacteristicGame {
  const rng = Rng.seed(seed);
  const values = new Float64Array(1 << n);
  for (let k = 1; k < values.length; k++) values[k] = rng.next();
  return { kind: 'characteristic', n, values };
}

function maxMarket(n: number, m: number, seed: string): MaxPoolingGame {
  const rng = Rng.seed(seed);
  const scores = new Float64Array(n * m);
  for (let k = 0; k < scores.length; k++) scores[k] = rng.next();
  return { kind: 'maxPooling', n, m, scores, weights: new Float64Array(m).fill(1 / m) };
}

async function main(): Promise<void> {
  const cff20 = cffTable(20, 'bench-cff20');
  await suite(
    'Shapley, characteristic function, n = 20',
    config,
    add('exact subset enumeration n=20', () => {
      shapleyExact(cff20);
    }),
    add('permutation sampling n=20 (1000 permutations)', () => {
      shapleySample(characteristicOracle(cff20), { samples: 1000, seed: 1 });
    }),
    cycle(),
    complete(record),
    save({ file: 'coalition-shapley-n20', folder: 'benchmarks/results', format: 'json' }),
  );

  const big = maxMarket(100_000, 8, 'bench-max');
  await suite(
    'Shapley, max-pooling market, n = 1e5, m = 8',
    config,
    add('closed form n=1e5 m=8', () => {
      shapleyMaxPooling(big);
    }),
    add('permutation sampling n=1e5 m=8 (2 permutations)', () => {
      shapleySample(maxPoolingOracle(big), { samples: 2, seed: 1 });
    }),
    cycle(),
    complete(record),
    save({ file: 'coalition-maxpool-n1e5', folder: 'benchmarks/results', format: 'json' }),
  );

  const rng = Rng.seed('bench-mpw');
  const market = createMarket({
    scores: Array.from({ length: 10 }, () => Array.from({ length: 4 }, () => rng.next())),
    weights: [0.25, 0.25, 0.25, 0.25],
    cost: { kind: 'gpu', gpuHours: 0.2, pricePerGpuHour: 1 },
  });
  const pff10 = demandShareGame(market, { kind: 'maxPooling' }, { gamma: 1 });
  await suite(
    'MPW value, demand-share market, n = 10, m = 4',
    config,
    add('MPW exact n=10', () => {
      mpwExact(pff10);
    }),
    add('MPW sampler n=10 (1000 draws)', () => {
      mpwSample(pff10, { samples: 1000, seed: 1 });
    }),
    cycle(),
    complete(record),
    save({ file: 'coalition-mpw-n10', folder: 'benchmarks/results', format: 'json' }),
  );

  const get = (name: string): number => msPerOp.get(name) ?? NaN;
  const exact20 = get('exact subset enumeration n=20');
  const sample20 = get('permutation sampling n=20 (1000 permutations)');
  const closed = get('closed form n=1e5 m=8');
  const perm = get('permutation sampling n=1e5 m=8 (2 permutations)') / 2;
  const mpw10 = get('MPW exact n=10');
  const mpwS = get('MPW sampler n=10 (1000 draws)');
  const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3));
  console.log('\nSummary (ms per call)');
  console.log(`  exact Shapley n=20:                 ${fmt(exact20)} ms`);
  console.log(
    `  sampling n=20, 1000 permutations:   ${fmt(sample20)} ms  (exact costs ${fmt(exact20 / (sample20 / 1000))} permutations)`,
  );
  console.log(`  max-pool closed form n=1e5, m=8:    ${fmt(closed)} ms`);
  console.log(
    `  one sampled permutation n=1e5, m=8: ${fmt(perm)} ms  (closed form = ${fmt(closed / perm)} permutations)`,
  );
  console.log(`  exact MPW n=10 (Bell(10) = 115975): ${fmt(mpw10)} ms`);
  console.log(
    `  MPW sampler n=10, 1000 draws:       ${fmt(mpwS)} ms  (exact = ${fmt(mpw10 / (mpwS / 1000))} draws)`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
