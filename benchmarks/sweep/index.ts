/**
 * Sweep engine benchmarks (issues 4 and 14). One run prints:
 *
 * 1. the machine's parallel ceiling for pure arithmetic — a spin loop in 1 vs 2 worker threads — so every
 *    ratio below can be read against what the two vCPUs delivered at that moment;
 * 2. for each default CCS preset at 1000 instances per point: the built CLI
 *    (`node apps/cli/bin/mechlab.js sweep PRESET --workers W --json`, figures and DuckDB included, i.e.
 *    the user's wall time) with 1 and 2 workers, rounds interleaved (the order alternates), medians of
 *    the rounds: the sweep's own time (`elapsedMs` of its summary: plan → last file), the whole process
 *    (spawn → exit, measured here) and its CPU time (user + sys, `/usr/bin/time`), and their ratios;
 * 3. where the time goes, from each run's `MECHLAB_SWEEP_TRACE` timeline (packages/sweep/src/trace.ts):
 *    process start → `runSweep`, worker start-up (→ first task), compute (first task → last task; the
 *    spread of the workers' last task ends = load imbalance), finalize (→ summary), the workers' CPU
 *    time inside tasks (2 workers vs 1 = the per-instance cost of sharing the machine) and their time
 *    waiting for a CPU (other processes);
 * 4. the ceiling of the compute itself: `ceiling-job.ts` (every task of the preset in one thread, no
 *    engine) alone on core 0 vs two copies at once on cores 0 and 1 (`taskset`), started together:
 *    `2 × alone ÷ pair` is the most two threads can gain on that work here, whatever the engine does;
 *    with the measured serial time it bounds the whole-process ratio.
 * Then pipeline.ts (per-instance throughput against the NumPy / numba peers) in its own process.
 *
 * Run: `npm run bench -- sweep` (builds first) or `npx tsx benchmarks/sweep/index.ts [--quick]` after
 * `npm run build`. Results: benchmarks/results/sweep/results.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, spin } from './measure';

const quick = process.argv.includes('--quick');
const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'apps', 'cli', 'bin', 'mechlab.js');
const PRESETS = ['ccs-vary-n', 'ccs-vary-p', 'ccs-vary-cost'] as const;
const REPLICATES = quick ? 200 : 1000;
const ROUNDS = quick ? 1 : 5;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mechlab-bench-sweep-'));
const resultsDir = path.join(__dirname, '..', 'results', 'sweep');
const hasTime = fs.existsSync('/usr/bin/time');
const hasTaskset = fs.existsSync('/usr/bin/taskset') && os.availableParallelism() >= 2;

/** Where one run's time went (seconds), from its trace. */
interface Breakdown {
  /** Process start → `runSweep` (Node start-up, CLI and catalogue modules, spec). */
  readonly pre: number;
  /** `runSweep` → the first task starts in a worker (plan, journal, thread and module start-up). */
  readonly startup: number;
  /** First task start → last task end. */
  readonly compute: number;
  /** Spread of the workers' last task ends (idle at the end = load imbalance). */
  readonly imbalance: number;
  /** Last task end → summary (journal close, pool shutdown, rows/aggregates, DuckDB, figure). */
  readonly finalize: number;
  /** Summary → process exit. */
  readonly exit: number;
  /** The workers' CPU time inside tasks, summed. */
  readonly taskCpu: number;
  /** The workers' time waiting for a CPU inside tasks (other runnable threads), summed. */
  readonly taskWait: number;
  /** Main thread's CPU time between the first dispatch and the last result. */
  readonly mainDuringCompute: number;
}

interface TraceEvent {
  readonly t: number;
  readonly thread: number;
  readonly event: string;
  readonly run?: number;
  readonly wait?: number;
  readonly origin?: number;
}

function breakdown(file: string): Breakdown | undefined {
  if (!fs.existsSync(file)) return undefined;
  const ev = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as TraceEvent);
  const main = ev.filter((e) => e.thread === 0);
  const at = (name: string): TraceEvent | undefined => main.find((e) => e.event === name);
  const start = at('runSweep');
  const finished = at('finished');
  const exit = at('exit');
  const starts = ev.filter((e) => e.event === 'taskStart');
  const ends = ev.filter((e) => e.event === 'taskEnd');
  if (!start || !finished || !exit || starts.length === 0 || ends.length === 0) return undefined;
  const origin = start.origin ?? start.t;
  const first = Math.min(...starts.map((e) => e.t));
  const lastByThread = new Map<number, number>();
  for (const e of ends) lastByThread.set(e.thread, Math.max(lastByThread.get(e.thread) ?? 0, e.t));
  const last = Math.max(...lastByThread.values());
  let taskCpu = 0;
  let taskWait = 0;
  const open = new Map<number, TraceEvent>();
  for (const e of ev) {
    if (e.event === 'taskStart') open.set(e.thread, e);
    if (e.event === 'taskEnd') {
      const s = open.get(e.thread);
      if (s) {
        taskCpu += (e.run ?? 0) - (s.run ?? 0);
        taskWait += (e.wait ?? 0) - (s.wait ?? 0);
      }
    }
  }
  const pool = at('pool');
  const sched = at('scheduled');
  return {
    pre: (start.t - origin) / 1000,
    startup: (first - start.t) / 1000,
    compute: (last - first) / 1000,
    imbalance: (last - Math.min(...lastByThread.values())) / 1000,
    finalize: (finished.t - last) / 1000,
    exit: (exit.t - finished.t) / 1000,
    taskCpu: taskCpu / 1e9,
    taskWait: taskWait / 1e9,
    mainDuringCompute: pool && sched ? ((sched.run ?? 0) - (pool.run ?? 0)) / 1e9 : NaN,
  };
}

interface CliRun {
  /** The sweep's own time (summary `elapsedMs`), s. */
  readonly sweep: number;
  /** Spawn → exit, s. */
  readonly process: number;
  /** User + sys CPU of the process (all threads), s; NaN without /usr/bin/time. */
  readonly cpu: number;
  readonly trace: Breakdown | undefined;
}

function runCli(preset: string, workers: number, tag: string): CliRun {
  const out = path.join(tmp, tag);
  const traceFile = path.join(tmp, `${tag}.trace`);
  const args = [CLI, 'sweep', preset, '--workers', String(workers), '--replicates', String(REPLICATES)];
  args.push('--out', out, '--json');
  const [cmd, argv] = hasTime
    ? ['/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, ...args]]
    : [process.execPath, args];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, {
    encoding: 'utf8',
    env: { ...process.env, MECHLAB_SWEEP_TRACE: traceFile },
    maxBuffer: 1 << 26,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${preset} --workers ${workers}: exit ${r.status}: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  const summary = JSON.parse(lines[lines.length - 1]!) as { status: string; elapsedMs: number };
  if (summary.status !== 'complete') throw new Error(`${preset}: ${summary.status}`);
  const m = /cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  const cpu = m ? Number(m[1]) + Number(m[2]) : NaN;
  const trace = breakdown(traceFile);
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(traceFile, { force: true });
  return { sweep: summary.elapsedMs / 1000, process: wall, cpu, trace };
}

/** One ceiling-job child; resolves to its compute ms once it has run (after `go` when `barrier`). */
function ceilingChild(
  preset: string,
  core: number | undefined,
  barrier: boolean,
): {
  ready: Promise<void>;
  go: () => void;
  done: Promise<{ ms: number; cpuMs: number; waitMs: number }>;
} {
  const job = [
    '--import',
    'tsx',
    path.join(__dirname, 'ceiling-job.ts'),
    preset,
    String(REPLICATES),
    ...(barrier ? ['--wait'] : []),
  ];
  const child =
    core !== undefined && hasTaskset
      ? spawn('/usr/bin/taskset', ['-c', String(core), process.execPath, ...job], { cwd: ROOT })
      : spawn(process.execPath, job, { cwd: ROOT });
  let out = '';
  let readyResolve: () => void = () => {};
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    out += d;
    if (out.includes('ready\n')) readyResolve();
  });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (err += d));
  const done = new Promise<{ ms: number; cpuMs: number; waitMs: number }>((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`ceiling-job exited ${code}: ${err}`));
      const last = out.trim().split('\n').pop() ?? '';
      resolve(JSON.parse(last) as { ms: number; cpuMs: number; waitMs: number });
    });
  });
  if (!barrier) readyResolve();
  return { ready, go: () => child.stdin.end('go\n'), done };
}

/** Compute of `preset` alone on core 0, then two copies together on cores 0 and 1; ms. */
async function ceilingRound(preset: string): Promise<{ alone: number; pair: number; cpuRatio: number }> {
  const a = ceilingChild(preset, 0, true);
  await a.ready;
  a.go();
  const alone = await a.done;
  const b = ceilingChild(preset, 0, true);
  const c = ceilingChild(preset, 1, true);
  await Promise.all([b.ready, c.ready]);
  b.go();
  c.go();
  const [rb, rc] = await Promise.all([b.done, c.done]);
  return {
    alone: alone.ms,
    pair: Math.max(rb.ms, rc.ms),
    // CPU time per copy when paired ÷ alone: > 1 is the cost of sharing caches and memory.
    cpuRatio: (rb.cpuMs + rc.cpuMs) / 2 / alone.cpuMs,
  };
}

const f2 = (x: number): string => x.toFixed(2);

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'apps', 'cli', 'dist', 'main.js'))) {
    throw new Error('the CLI is not built: run `npm run build` first (npm run bench does)');
  }
  const cpus = os.availableParallelism();
  const loadBefore = os.loadavg()[0]!;
  console.log(
    `machine: ${os.cpus()[0]?.model ?? '?'} · ${cpus} cores · Node ${process.version} · ${new Date().toISOString()} · ` +
      `load average ${loadBefore.toFixed(2)}`,
  );

  // 1. Spin ceiling (best of 3).
  const iters = quick ? 2e8 : 6e8;
  let s1 = Infinity;
  let s2 = Infinity;
  for (let k = 0; k < 3; k++) {
    s1 = Math.min(s1, (await spin(1, iters)).wallMs);
    s2 = Math.min(s2, (await spin(2, iters)).wallMs);
  }
  const spinCeiling = (2 * s1) / s2;
  console.log(`spin ceiling: 2 threads do ${f2(spinCeiling)}× the work of 1 in the same time`);

  const results: Record<string, unknown> = {};
  for (const preset of PRESETS) {
    const runs: Record<1 | 2, CliRun[]> = { 1: [], 2: [] };
    const ceil: { alone: number; pair: number; cpuRatio: number }[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      const order: (1 | 2)[] = k % 2 === 0 ? [1, 2] : [2, 1];
      for (const w of order) runs[w].push(runCli(preset, w, `${preset}-w${w}-${k}`));
      ceil.push(await ceilingRound(preset));
    }
    const med = (w: 1 | 2, f: (r: CliRun) => number): number => median(runs[w].map(f));
    const medT = (w: 1 | 2, f: (b: Breakdown) => number): number =>
      median(runs[w].flatMap((r) => (r.trace ? [f(r.trace)] : [])));
    const sweep1 = med(1, (r) => r.sweep);
    const sweep2 = med(2, (r) => r.sweep);
    const proc1 = med(1, (r) => r.process);
    const proc2 = med(2, (r) => r.process);
    const computeCeiling = (2 * median(ceil.map((c) => c.alone))) / median(ceil.map((c) => c.pair));
    const cpuShare = median(ceil.map((c) => c.cpuRatio));
    // The best 2-worker process time the measured serial parts and compute ceiling allow.
    const compute1 = medT(1, (b) => b.compute);
    const serial2 = proc2 - medT(2, (b) => b.compute);
    const bound = proc1 / (serial2 + compute1 / computeCeiling);
    console.log(`\n${preset}, ${REPLICATES} instances per point, medians of ${ROUNDS} interleaved rounds:`);
    console.log(`  workers   sweep time   whole process   CPU (user+sys)`);
    for (const w of [1, 2] as const) {
      console.log(
        `  ${w}         ${f2(med(w, (r) => r.sweep)).padStart(6)} s     ${f2(med(w, (r) => r.process)).padStart(6)} s        ${f2(med(w, (r) => r.cpu)).padStart(6)} s`,
      );
    }
    console.log(
      `  ratio 2 vs 1 worker: sweep ${f2(sweep1 / sweep2)}×, whole process ${f2(proc1 / proc2)}× (target ≥ 1.8×)`,
    );
    for (const w of [1, 2] as const) {
      console.log(
        `  where the time goes, ${w} worker${w > 1 ? 's' : ' '}: start ${f2(medT(w, (b) => b.pre))} s · worker start-up ${f2(medT(w, (b) => b.startup))} s · ` +
          `compute ${f2(medT(w, (b) => b.compute))} s (end spread ${f2(medT(w, (b) => b.imbalance))} s) · finalize ${f2(medT(w, (b) => b.finalize))} s · ` +
          `exit ${f2(medT(w, (b) => b.exit))} s; task CPU ${f2(medT(w, (b) => b.taskCpu))} s, waiting for a CPU ${f2(medT(w, (b) => b.taskWait))} s; ` +
          `main thread CPU during compute ${f2(medT(w, (b) => b.mainDuringCompute))} s`,
      );
    }
    console.log(
      `  compute ceiling (ceiling-job alone vs 2 copies on 2 cores): ${f2(computeCeiling)}× (CPU time per copy ×${f2(cpuShare)} when paired); ` +
        `with the measured serial ${f2(serial2)} s the whole process can reach at most ${f2(bound)}×`,
    );
    results[preset] = {
      runs,
      ceiling: ceil,
      ratios: { sweep: sweep1 / sweep2, process: proc1 / proc2, computeCeiling, bound },
    };
  }
  const loadAfter = os.loadavg()[0]!;
  console.log(
    `\nload average at the end: ${loadAfter.toFixed(2)} (other processes share these ${cpus} cores)`,
  );
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(
    path.join(resultsDir, 'results.json'),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpu: os.cpus()[0]?.model ?? '?', cores: cpus, node: process.version },
        loadAverage: { before: loadBefore, after: loadAfter },
        quick,
        replicates: REPLICATES,
        rounds: ROUNDS,
        spinCeiling: { oneThreadMs: s1, twoThreadsMs: s2, ratio: spinCeiling },
        presets: results,
      },
      null,
      2,
    ) + '\n',
  );
  fs.rmSync(tmp, { recursive: true, force: true });
}

main()
  .then(() => {
    if (process.argv.includes('--no-peers')) return;
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
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(1);
  });
