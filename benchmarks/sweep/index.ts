/**
 * Sweep engine benchmarks (issue 4):
 * 1. the machine's own parallel ceiling — a pure spin loop in 1 vs 2 worker threads — so the sweep's
 *    speed-up can be read against what the hardware delivers at that moment (shared VMs often give
 *    less than 2× for 2 vCPUs);
 * 2. sweep speed-up, 2 workers vs 1, on a CPU-heavy slice of `ccs-vary-n` (n ∈ {500, 1000});
 * 3. wall time of the three default presets at 1000 instances per point (the paper reports ~5 hours
 *    in Python for its runs).
 * Every sweep includes pool start-up, journaling and finalize (CSV, DuckDB, figure) — the user's wall time.
 *
 * 4. then pipeline.ts: per-instance throughput of `ccs.random-graph` against the NumPy / numba peers.
 *
 * Run: `npx tsx benchmarks/sweep/index.ts [--quick]`. Results: benchmarks/results/sweep/results.json.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Experiment } from '@mechlab/core';
import { ccsPresets, ccsRandomGraph } from '@mechlab/ccs';
import { loadSweepSpec, parseSweepSpec, runSweep, type SweepCatalogue, type SweepSpec } from '@mechlab/sweep';

// The engine knows no experiment by itself: these benchmarks sweep the CCS presets.
const catalogue: SweepCatalogue = {
  experiments: [ccsRandomGraph as unknown as Experiment],
  presets: ccsPresets,
};
const presets = Object.fromEntries(ccsPresets.map((p) => [p.name, p]));

const quick = process.argv.includes('--quick');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mechlab-bench-sweep-'));
const resultsDir = path.join(__dirname, '..', 'results', 'sweep');

/** Spin `ms` of pure integer work in each of `threads` worker threads; returns wall ms. */
async function spin(threads: number, iterations: number): Promise<number> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    let x = 0; for (let i = 0; i < workerData; i++) x = (x + (i ^ (x >>> 3))) | 0;
    parentPort.postMessage(x);`;
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(code, { eval: true, workerData: iterations });
          w.once('message', () => resolve());
          w.once('error', reject);
        }),
    ),
  );
  return performance.now() - t0;
}

/** CPU seconds of this process, all threads (worker threads included), since `start`. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

/** Last sweep's CPU time (all threads) over its wall time: the parallelism actually obtained. */
let lastUtilisation = 0;

async function timeSweep(spec: SweepSpec, workers: number | 'inline', tag: string): Promise<number> {
  const out = path.join(root, tag);
  const cpu0 = process.cpuUsage();
  const s = await runSweep(spec, { out, workers, render: false, experiments: catalogue.experiments });
  if (s.status !== 'complete') throw new Error(`${tag}: ${s.status}`);
  lastUtilisation = cpuSeconds(cpu0) / (s.elapsedMs / 1000);
  fs.rmSync(out, { recursive: true, force: true });
  return s.elapsedMs;
}

function fmt(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function main(): Promise<void> {
  const cpus = os.availableParallelism();
  const loadBefore = os.loadavg()[0]!;
  console.log(
    `machine: ${os.cpus()[0]?.model ?? '?'} · ${cpus} cores · Node ${process.version} · ${new Date().toISOString()} · ` +
      `load average ${loadBefore.toFixed(2)}`,
  );

  // 1. Hardware ceiling (best of 3, each thread doing the same fixed work).
  const iters = quick ? 2e8 : 6e8;
  let s1 = Infinity;
  let s2 = Infinity;
  for (let k = 0; k < 3; k++) {
    s1 = Math.min(s1, await spin(1, iters));
    s2 = Math.min(s2, await spin(2, iters));
  }
  const ceiling = (2 * s1) / s2;
  console.log(`ceiling: 2 spin threads do ${ceiling.toFixed(2)}× the work of 1 in the same time`);

  // 2. Speed-up on a CPU-heavy slice (alternating 1 and 2 workers, best of `rounds`).
  const slice = parseSweepSpec(
    {
      ...presets['ccs-vary-n']!,
      name: 'ccs-vary-n-heavy',
      grid: { n: [500, 1000] },
      replicates: quick ? 60 : 200,
    },
    catalogue.experiments,
  );
  const rounds = quick ? 1 : 4;
  let w1 = Infinity;
  let w2 = Infinity;
  let u1 = 0;
  let u2 = 0;
  for (let k = 0; k < rounds; k++) {
    const a = await timeSweep(slice, 1, `w1-${k}`);
    if (a < w1) [w1, u1] = [a, lastUtilisation];
    const b = await timeSweep(slice, 2, `w2-${k}`);
    if (b < w2) [w2, u2] = [b, lastUtilisation];
  }
  const speedup = w1 / w2;
  console.log(
    `speed-up (${slice.replicates} × n∈{500,1000}): 1 worker ${fmt(w1)}, 2 workers ${fmt(w2)} → ${speedup.toFixed(2)}× ` +
      `(target ≥ 1.8×; hardware ceiling now ${ceiling.toFixed(2)}×); CPU/wall ${u1.toFixed(2)} vs ${u2.toFixed(2)}`,
  );

  // 3. The three default presets at 1000 instances per point, default pool size.
  const replicates = quick ? 100 : 1000;
  const presetTimes: Record<string, number> = {};
  let total = 0;
  for (const name of Object.keys(presets)) {
    const ms = await timeSweep(await loadSweepSpec(name, catalogue, { replicates }), cpus, `preset-${name}`);
    presetTimes[name] = ms;
    total += ms;
    console.log(
      `preset ${name} (${replicates}/point, ${cpus} workers): ${fmt(ms)} (CPU/wall ${lastUtilisation.toFixed(2)})`,
    );
  }
  console.log(`three presets together: ${fmt(total)} (target ≤ 60 s; the paper: ~5 h in Python)`);

  const loadAfter = os.loadavg()[0]!;
  console.log(`load average at the end: ${loadAfter.toFixed(2)} (other processes share these ${cpus} cores)`);
  const result = {
    date: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model ?? '?', cores: cpus, node: process.version },
    loadAverage: { before: loadBefore, after: loadAfter },
    quick,
    ceiling: { oneThreadMs: s1, twoThreadsMs: s2, ratio: ceiling },
    speedup: {
      replicates: slice.replicates,
      grid: slice.grid,
      oneWorkerMs: w1,
      twoWorkersMs: w2,
      ratio: speedup,
    },
    presets: { replicates, workers: cpus, ms: presetTimes, totalMs: total },
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'results.json'), JSON.stringify(result, null, 2) + '\n');
  fs.rmSync(root, { recursive: true, force: true });
}

main()
  .then(() => {
    // Per-instance throughput against the NumPy / numba peers (issue 14), in its own process.
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'pipeline.ts'), ...(quick ? ['--quick'] : [])],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) process.exitCode = 1;
  })
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
