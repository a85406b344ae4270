/**
 * Distributed sweep benchmarks (issue 9), on a private loopback redis-server (started and stopped here):
 * 1. queue throughput — jobs/s through bullmq + Redis with trivial tasks (1 instance of n = 2 each),
 *    2 worker processes, coordinator journaling every result;
 * 2. 2 queue workers (2 processes, 1 task at a time each) vs 1 local pool worker (`runSweep`, workers: 1)
 *    on a CPU-bound slice of `ccs-vary-n` (n ∈ {500, 1000}).
 * Worker processes are started (tsx, ~1–2 s) and idle before the clock starts, so the times are the
 * sweep's: enqueue, compute, publish, journal, finalize.
 *
 * Run: `npx tsx benchmarks/distributed/index.ts [--quick] [--out FILE]`
 * (default results file: benchmarks/results/distributed/results.json).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Experiment } from '@mechlab/core';
import { ccsPresets, ccsRandomGraph } from '@mechlab/ccs';
import { parseQueueUrl, parseSweepSpec, runDistributedSweep, runSweep, type SweepSpec } from '@mechlab/sweep';
import { startRedis } from '../../tools/testing/redis-server';

// The engine knows no experiment by itself: this benchmark sweeps ccs.random-graph.
const experiments = [ccsRandomGraph as unknown as Experiment];
const presets = Object.fromEntries(ccsPresets.map((p) => [p.name, p]));
const quick = process.argv.includes('--quick');
const outArg = process.argv.indexOf('--out');
const resultsFile =
  outArg > 0 && process.argv[outArg + 1]
    ? path.resolve(process.argv[outArg + 1]!)
    : path.join(__dirname, '..', 'results', 'distributed', 'results.json');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mechlab-bench-distributed-'));
const repoRoot = path.join(__dirname, '..', '..');
const workerEntry = path.join(repoRoot, 'packages', 'sweep', 'src', 'distributed', 'worker-cli.ts');

/** Start `n` worker processes and wait until each has connected (its banner on stderr). */
async function startWorkers(url: string, n: number): Promise<ChildProcess[]> {
  const ws = Array.from({ length: n }, () =>
    spawn(process.execPath, ['--import', 'tsx', workerEntry, '--queue', url, '--idle-exit', '120'], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  await Promise.all(
    ws.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error('worker did not start in 30 s')), 30_000);
          w.stderr!.on('data', (b: Buffer) => {
            if (b.toString().includes('worker: serving')) {
              clearTimeout(t);
              resolve();
            }
          });
        }),
    ),
  );
  return ws;
}

async function stopWorkers(ws: ChildProcess[]): Promise<void> {
  await Promise.all(
    ws.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null) return resolve();
          const t = setTimeout(() => w.kill('SIGKILL'), 10_000);
          w.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          w.kill('SIGTERM');
        }),
    ),
  );
}

async function timeQueue(spec: SweepSpec, url: string, tag: string): Promise<number> {
  const out = path.join(root, tag);
  const s = await runDistributedSweep(spec, {
    target: parseQueueUrl(url),
    out,
    experiments,
    render: false,
    duckdb: false,
    pollMs: 20,
  });
  if (s.status !== 'complete') throw new Error(`${tag}: ${s.status}`);
  fs.rmSync(out, { recursive: true, force: true });
  return s.elapsedMs;
}

async function timeLocal(spec: SweepSpec, tag: string, threads = 1): Promise<number> {
  const out = path.join(root, tag);
  const s = await runSweep(spec, { out, experiments, workers: threads, render: false, duckdb: false });
  if (s.status !== 'complete') throw new Error(`${tag}: ${s.status}`);
  fs.rmSync(out, { recursive: true, force: true });
  return s.elapsedMs;
}

async function main(): Promise<void> {
  const cpus = os.availableParallelism();
  console.log(
    `machine: ${os.cpus()[0]?.model ?? '?'} · ${cpus} cores · Node ${process.version} · load average ${os.loadavg()[0]!.toFixed(2)}`,
  );
  const redis = await startRedis();
  let workers: ChildProcess[] = [];
  try {
    workers = await startWorkers(redis.url, 2);
    // 1. Throughput with trivial tasks.
    const jobs = quick ? 300 : 1500;
    const trivial = parseSweepSpec(
      {
        experiment: 'ccs.random-graph',
        name: 'trivial',
        grid: { n: [2] },
        replicates: jobs,
        seed: 1,
        blockSize: 1,
      },
      experiments,
    );
    const tq = await timeQueue(trivial, redis.url, 'trivial');
    const jobsPerSec = (jobs * 1000) / tq;
    console.log(
      `queue throughput: ${jobs} trivial jobs, 2 workers: ${(tq / 1000).toFixed(2)} s → ${jobsPerSec.toFixed(0)} jobs/s`,
    );

    // 2. CPU-bound slice: 2 queue workers vs 1 local pool worker (best of `rounds`, alternating).
    const slice = parseSweepSpec(
      {
        ...presets['ccs-vary-n']!,
        name: 'ccs-vary-n-heavy',
        grid: { n: [500, 1000] },
        replicates: quick ? 60 : 200,
      },
      experiments,
    );
    const rounds = quick ? 1 : 3;
    let local = Infinity;
    let queued = Infinity;
    let local2 = Infinity;
    for (let k = 0; k < rounds; k++) {
      local = Math.min(local, await timeLocal(slice, `local-${k}`));
      local2 = Math.min(local2, await timeLocal(slice, `local2-${k}`, 2));
      queued = Math.min(queued, await timeQueue(slice, redis.url, `queue-${k}`));
    }
    const ratio = local / queued;
    console.log(
      `CPU-bound slice (${slice.replicates} × n∈{500,1000}): 1 local pool worker ${(local / 1000).toFixed(2)} s, ` +
        `2 queue workers ${(queued / 1000).toFixed(2)} s → ${ratio.toFixed(2)}× ` +
        `(reference: 2 local pool threads ${(local2 / 1000).toFixed(2)} s; local times include the pool's start-up)`,
    );
    const result = {
      date: new Date().toISOString(),
      machine: { cpu: os.cpus()[0]?.model ?? '?', cores: cpus, node: process.version },
      quick,
      throughput: { jobs, workers: 2, ms: tq, jobsPerSec },
      cpuBound: {
        replicates: slice.replicates,
        grid: slice.grid,
        localOneWorkerMs: local,
        queueTwoWorkersMs: queued,
        ratio,
      },
    };
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify(result, null, 2) + '\n');
  } finally {
    await stopWorkers(workers);
    await redis.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
