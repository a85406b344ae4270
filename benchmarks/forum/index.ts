/**
 * Benchmarks for @mechlab/forum (run: `npx tsx benchmarks/forum/index.ts [--quick]`).
 *
 * 1. The per-round Nash-product benchmark at the paper's pool size (seed 000 §3: 396,408 questions over
 *    52 weeks ≈ 7,600 per weekly pool; K = 50): the heuristic set H vs the certified method (ε = 0.01 and
 *    0.001), on the utilities of a real round (proxy perplexity and normalised views of a synthetic week),
 *    pools of 1,900 and 7,600 questions. benny; setup outside the timed functions.
 * 2. The full simulation at the paper's scale: 52 weekly rounds × 7,600 questions (+ 8 training weeks),
 *    three strategies, certified benchmark — wall time per phase and rounds per second of the game loop
 *    (one timed run; the corpus is generated outside it).
 *
 * 3. Certified-Nash rounds per second with the `nash` kernels on each backend (`ts`, `wasm`; identical
 *    answers, checked): benny on the two pools, and the ratio measured in this run.
 *
 * JSON results: benchmarks/results/forum-nash.json (benny), benchmarks/results/forum-simulation.json and
 * benchmarks/results/forum-backends.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { add, complete, configure, cycle, save, suite } from 'benny';
import { Rng } from '@mechlab/core';
import { registerWasmBackend } from '@mechlab/kernels';
import {
  normalisedViews,
  questionText,
  runForum,
  solveNashArrays,
  syntheticCorpus,
  unigramProxy,
  WEEK_MS,
  type NashSolution,
} from '@mechlab/forum';
import { caseRecorder } from '../record';

const quick = process.argv.includes('--quick');
registerWasmBackend();
const resultsDir = path.join(__dirname, '..', 'results');
const config = configure({ cases: { minSamples: quick ? 2 : 5, maxTime: quick ? 1 : 3 } });
const { record, mean: msPerOp } = caseRecorder(1000);

/** U_G (proxy perplexity) and U_F (normalised views) of one synthetic week of `perWeek` questions. */
async function roundUtilities(perWeek: number): Promise<{ g: Float64Array; f: Float64Array }> {
  const start = Date.UTC(2024, 6, 23) - 2 * WEEK_MS;
  const qs = syntheticCorpus(Rng.seed(`bench-${perWeek}`), { weeks: 3, perWeek, start });
  const cut = start + 2 * WEEK_MS;
  const train = qs.filter((q) => q.creationDate < cut);
  const week = qs.filter((q) => q.creationDate >= cut);
  const g = await unigramProxy(train.map(questionText)).score(week.map(questionText));
  return { g, f: normalisedViews(week) };
}

async function main(): Promise<void> {
  console.log(
    `machine: ${os.cpus()[0]?.model ?? '?'} · ${os.availableParallelism()} cores · Node ${process.version} · ` +
      `load ${os.loadavg()[0]!.toFixed(2)} · ${new Date().toISOString()}`,
  );
  fs.mkdirSync(resultsDir, { recursive: true });

  // 1. Nash benchmark per round.
  const pools = { 1900: await roundUtilities(1900), 7600: await roundUtilities(7600) };
  const info: Record<string, NashSolution> = {};
  const cases = [];
  for (const n of [1900, 7600] as const) {
    const { g, f } = pools[n];
    for (const [label, opts] of [
      ['heuristics', { method: 'heuristics' }],
      ['certified ε=0.01', { method: 'certified', epsilon: 0.01 }],
      ['certified ε=0.001', { method: 'certified', epsilon: 0.001 }],
    ] as const) {
      const name = `${label} n=${g.length}`;
      info[name] = solveNashArrays(g, f, 50, opts);
      cases.push(
        add(name, () => {
          solveNashArrays(g, f, 50, opts);
        }),
      );
    }
  }
  await suite(
    'Nash-product benchmark per round (K = 50)',
    config,
    ...cases,
    cycle(),
    complete(record),
    save({ file: 'forum-nash', folder: 'benchmarks/results', format: 'json' }),
  );
  console.log(
    '\ncase                                  ms/round   gap        reduced pool  fixed/free  DP buckets',
  );
  for (const [name, s] of Object.entries(info)) {
    const st = s.stats;
    console.log(
      `${name.padEnd(36)}  ${msPerOp.get(name)!.toFixed(2).padStart(8)}   ${(s.gap * 100).toFixed(4).padStart(7)}%  ` +
        `${String(st.reducedSize).padStart(12)}  ${st.fixed === undefined ? '—'.padStart(10) : `${st.fixed}/${st.free}`.padStart(10)}  ${String(st.buckets ?? '—').padStart(10)}`,
    );
  }
  for (const n of [1900, 7600]) {
    const key = (l: string): number => msPerOp.get(`${l} n=${pools[n as 1900 | 7600].g.length}`)!;
    console.log(
      `n≈${n}: certified ε=0.01 costs ${(key('certified ε=0.01') / key('heuristics')).toFixed(2)}× the heuristics`,
    );
  }

  // 3. Certified Nash per round on each backend of the `nash` kernels (run before the long simulation).
  const backendCases = [];
  const perBackend: Record<string, { ms: number; roundsPerSecond: number }> = {};
  for (const n of [1900, 7600] as const) {
    const { g, f } = pools[n];
    const a = solveNashArrays(g, f, 50, { method: 'certified', epsilon: 0.01, backend: 'ts' });
    const b = solveNashArrays(g, f, 50, { method: 'certified', epsilon: 0.01, backend: 'wasm' });
    if (a.product !== b.product || a.upperBound !== b.upperBound || a.selected.join() !== b.selected.join()) {
      throw new Error(`n=${n}: the ts and wasm Nash kernels disagree`);
    }
    for (const backend of ['ts', 'wasm'] as const) {
      backendCases.push(
        add(`certified ε=0.01 n=${g.length} ${backend}`, () => {
          solveNashArrays(g, f, 50, { method: 'certified', epsilon: 0.01, backend });
        }),
      );
    }
  }
  await suite(
    'Certified Nash per round by backend (K = 50, ε = 0.01)',
    config,
    ...backendCases,
    cycle(),
    complete(record),
    save({ file: 'forum-nash-backends', folder: 'benchmarks/results', format: 'json' }),
  );
  for (const n of [1900, 7600] as const) {
    const len = pools[n].g.length;
    const ms = (b: string): number => msPerOp.get(`certified ε=0.01 n=${len} ${b}`)!;
    for (const b of ['ts', 'wasm'])
      perBackend[`n=${len} ${b}`] = { ms: ms(b), roundsPerSecond: 1000 / ms(b) };
    console.log(
      `certified Nash n=${len}: ts ${(1000 / ms('ts')).toFixed(1)} rounds/s · wasm ${(1000 / ms('wasm')).toFixed(1)} rounds/s → wasm ${(ms('ts') / ms('wasm')).toFixed(2)}× faster`,
    );
  }
  fs.writeFileSync(
    path.join(resultsDir, 'forum-backends.json'),
    JSON.stringify({ date: new Date().toISOString(), perBackend }, null, 2) + '\n',
  );

  // 2. Full simulation at the paper's scale.
  const rounds = quick ? 6 : 52;
  const trainWeeks = 8;
  const windowStart = Date.UTC(2024, 6, 23);
  let t = performance.now();
  const questions = syntheticCorpus(Rng.fromPath(['forum', 'bench', 'corpus']), {
    weeks: trainWeeks + rounds,
    perWeek: 7600,
    start: windowStart - trainWeeks * WEEK_MS,
  });
  const genMs = performance.now() - t;
  t = performance.now();
  const r = await runForum({
    data: { questions },
    windowStart,
    rounds,
    seed: 'bench',
    nashMethod: 'certified',
  });
  const wallMs = performance.now() - t;
  const loopMs = r.timings.roundsMs + r.timings.nashMs;
  const sim = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? '?'} · ${os.availableParallelism()} cores · Node ${process.version}`,
    questions: questions.length,
    rounds: r.corpus.rounds,
    poolSize: r.corpus.poolSize,
    generateMs: genMs,
    wallMs,
    timings: r.timings,
    roundsPerSecond: (1000 * r.corpus.rounds) / loopMs,
    nashMsPerRound: r.timings.nashMs / r.corpus.rounds,
    nashMaxGap: r.benchmark.nash.maxGap,
    table: r.table.map((x) => ({ strategy: x.strategy, eurrF: x.eurrF, eurrG: x.eurrG })),
  };
  fs.writeFileSync(path.join(resultsDir, 'forum-simulation.json'), JSON.stringify(sim, null, 2) + '\n');
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `\nfull simulation: ${sim.questions} questions, ${sim.rounds} rounds × ~${Math.round(sim.poolSize.mean)} questions, 3 strategies, certified Nash\n` +
      `  corpus generation ${s(genMs)} (outside) · runForum ${s(wallMs)}: data ${s(r.timings.dataMs)}, U_G scoring ${s(r.timings.scoreMs)}, ` +
      `F training ${s(r.timings.trainMs)}, game loop ${s(r.timings.roundsMs)}, Nash ${s(r.timings.nashMs)}\n` +
      `  ${sim.roundsPerSecond.toFixed(2)} rounds/s (game loop incl. benchmark) · certified Nash ${sim.nashMsPerRound.toFixed(1)} ms/round · max gap ${(sim.nashMaxGap * 100).toFixed(3)}%`,
  );
  for (const row of sim.table)
    console.log(
      `  ${row.strategy.padEnd(10)} EURR_F ${row.eurrF.toFixed(3)}  EURR_G ${row.eurrG.toFixed(3)}`,
    );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
