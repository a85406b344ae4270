/**
 * Per-instance throughput of the Figure 1 experiment (`ccs.random-graph`: draw the Erdős–Rényi
 * instance, GCS, greatest equilibrium of GCS and of Equal Allocation, measure) at n = 100 and 1000,
 * ρ = 0.1, one thread each, against the peers in ../shared/peers/ccs (NumPy + scipy.sparse, numba):
 *
 * - `old TS`: the edge-list generator (`randomCcsInstanceEdgeList`, the generator before issue 14)
 *   and `solveCcs` gcs + equal on `'ts'` — what the experiment ran;
 * - `old gen + WASM solvers`: the same generator, `solveCcs` on `'wasm'`;
 * - `TS pipeline`: core's `createCcsPipelineTs` (generation straight into CSR, buffers per point);
 * - `WASM pipeline`: `@mechlab/kernels`' pipeline (one crossing per instance, PRNG in the module);
 * - `numpy`, `numba`: `python3 ccs_numpy.py N REPS 1`, `python3 ccs_numba.py N REPS 1`, their own
 *   timers (numba's compile/cache load excluded and reported as its first call).
 *
 * Rounds are interleaved (every implementation once per round, in rotating order) and the table
 * reports medians of the rounds; the ratios are from this one run. The mean GCS welfare of every
 * implementation is printed too (the same distribution: they must agree within Monte Carlo error).
 * Every process runs with `MALLOC_TRIM_THRESHOLD_=MALLOC_MMAP_THRESHOLD_=1073741824` (this script
 * re-executes itself with them when they are missing), which removes a cost this VM puts on
 * re-touching memory glibc returned (issue 14). Peers need `MECHLAB_PEERS_PYTHON` (a python with
 * numpy, scipy, numba); without it they are skipped.
 *
 * Also a benny suite (warm, in-process) over the four mechlab variants; JSON in
 * benchmarks/results/sweep/.
 *
 * Then the thread scaling of the WASM pipeline (1 vs 2 worker threads, same work per thread) next to a
 * spin loop's. Run: `npx tsx benchmarks/sweep/pipeline.ts [--quick] [--scaling-only]`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Rng, type BackendName } from '@mechlab/core';
import { createCcsPipelineTs, randomCcsInstanceEdgeList, solveCcs } from '@mechlab/ccs';
import { createCcsPipelineWasm, registerWasmBackend } from '@mechlab/kernels';
import { add, complete, cycle, save, suite } from 'benny';
import { median, spin } from './measure';

const MALLOC = '1073741824';
if (process.env['MALLOC_TRIM_THRESHOLD_'] !== MALLOC || process.env['MALLOC_MMAP_THRESHOLD_'] !== MALLOC) {
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, MALLOC_TRIM_THRESHOLD_: MALLOC, MALLOC_MMAP_THRESHOLD_: MALLOC },
  });
  process.exit(r.status ?? 1);
}

const quick = process.argv.includes('--quick');
const RHO = 0.1;
const PEERS = join(__dirname, '..', '..', '..', 'shared', 'peers', 'ccs');
const PEERS_ALT = '/work/shared/peers/ccs';
const RESULTS = join(__dirname, '..', 'results', 'sweep');

registerWasmBackend();

interface Round {
  readonly instPerS: number;
  readonly meanGcsWelfare: number;
}

type Impl = 'old TS' | 'old gen + WASM solvers' | 'TS pipeline' | 'WASM pipeline' | 'numpy' | 'numba';
const OURS: readonly Impl[] = ['old TS', 'old gen + WASM solvers', 'TS pipeline', 'WASM pipeline'];

/** `reps` instances of one mechlab variant; replicate streams as the sweep names them. */
function runOurs(impl: Impl, n: number, reps: number, round: number): Round {
  const out = new Float64Array(4);
  let sum = 0;
  const root = Rng.fromPath([2026, 'ccs.random-graph', n, round]);
  const t0 = performance.now();
  if (impl === 'old TS' || impl === 'old gen + WASM solvers') {
    const backend: BackendName = impl === 'old TS' ? 'ts' : 'wasm';
    for (let r = 0; r < reps; r++) {
      const inst = randomCcsInstanceEdgeList(root.split(r), { n, rho: RHO });
      const g = solveCcs(inst, { algo: 'gcs', backend });
      const e = solveCcs(inst, { algo: 'equal', backend });
      sum += g.welfare + 0 * e.welfare;
    }
  } else {
    // A pipeline per sweep point (as a task creates it), its buffers reused by every replicate.
    const pipe =
      impl === 'TS pipeline' ? createCcsPipelineTs({ n, rho: RHO }) : createCcsPipelineWasm({ n, rho: RHO });
    for (let r = 0; r < reps; r++) {
      pipe.run(root.split(r), out, 0);
      sum += out[0]!;
    }
  }
  const s = (performance.now() - t0) / 1000;
  return { instPerS: reps / s, meanGcsWelfare: sum / reps };
}

let peerPython: string | undefined = process.env['MECHLAB_PEERS_PYTHON'];
const peerDir = existsSync(join(PEERS, 'ccs_numba.py')) ? PEERS : PEERS_ALT;
const peerFirstCall: Record<string, number> = {};

function runPeer(impl: 'numpy' | 'numba', n: number, reps: number): Round | undefined {
  if (peerPython === undefined) return undefined;
  const r = spawnSync(peerPython, [join(peerDir, `ccs_${impl}.py`), String(n), String(reps), '1'], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', NUMBA_NUM_THREADS: '1' },
  });
  if (r.status !== 0) {
    console.log(`peer ${impl} failed (${r.stderr.trim().split('\n').pop()}); peers skipped`);
    peerPython = undefined;
    return undefined;
  }
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    rounds: { instPerS: number }[];
    meanGcsWelfare: number;
    firstCallS?: number;
  };
  if (j.firstCallS !== undefined) peerFirstCall[`${impl} n=${n}`] = j.firstCallS;
  return { instPerS: j.rounds[0]!.instPerS, meanGcsWelfare: j.meanGcsWelfare };
}

async function bennySuite(): Promise<void> {
  const cases = [100, 1000].flatMap((n) =>
    OURS.map((impl) =>
      add(`${impl} n=${n}`, () => {
        const reps = n === 100 ? 50 : 2;
        return () => void runOurs(impl, n, reps, 0);
      }),
    ),
  );
  await suite(
    'ccs.random-graph per-instance pipeline (ρ = 0.1)',
    ...cases,
    cycle(),
    complete(),
    save({ file: 'pipeline', folder: RESULTS, format: 'json' }),
  );
}

/**
 * Busy ms (the slowest) of `count` concurrent processes each running `reps` pipeline instances
 * (start-up excluded: each times its own loop). Processes, not worker threads, because tsx's loader
 * does not reach worker threads started from this script; for the question asked here — does an
 * instance slow down when two run side by side on the shared caches — they are the same.
 */
async function threads(count: number, n: number, reps: number, backend: 'ts' | 'wasm'): Promise<number> {
  const times = await Promise.all(
    Array.from(
      { length: count },
      (_, id) =>
        new Promise<number>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              ...process.execArgv,
              join(__dirname, 'pipeline-worker.ts'),
              JSON.stringify({ n, reps, backend, id }),
            ],
            { stdio: ['ignore', 'pipe', 'inherit'] },
          );
          let text = '';
          child.stdout.on('data', (b: Buffer) => (text += b.toString()));
          child.once('error', reject);
          child.once('close', (code) =>
            code === 0
              ? resolve(Number(text.trim().split(' ')[0]))
              : reject(new Error(`pipeline-worker exited with ${code}`)),
          );
        }),
    ),
  );
  return Math.max(...times);
}

/**
 * Scaling of the pipeline itself (issue 14, Deliver 3): the same work in 1 and in 2 concurrent
 * processes; throughput ratio = 2 · t₁ / t₂ (2.0 = perfect), next to the same ratio for a
 * spin loop (the machine's ceiling at that moment). Best of the rounds, alternating.
 */
async function scaling(): Promise<Record<string, number>> {
  const res: Record<string, number> = {};
  const rounds = quick ? 2 : 4;
  let c1 = Infinity;
  let c2 = Infinity;
  for (let k = 0; k < rounds; k++) {
    c1 = Math.min(c1, (await spin(1, 3e8)).threadMs);
    c2 = Math.min(c2, (await spin(2, 3e8)).threadMs);
  }
  res['spin'] = (2 * c1) / c2;
  for (const [n, reps] of [
    [100, quick ? 3000 : 10000],
    [1000, quick ? 60 : 200],
  ] as const) {
    let t1 = Infinity;
    let t2 = Infinity;
    for (let k = 0; k < rounds; k++) {
      t1 = Math.min(t1, await threads(1, n, reps, 'wasm'));
      t2 = Math.min(t2, await threads(2, n, reps, 'wasm'));
    }
    res[`wasm n=${n}`] = (2 * t1) / t2;
  }
  console.log(
    `
scaling (same work per process, 2 concurrent vs 1; 2.00× = perfect): WASM pipeline n=100 ` +
      `${res['wasm n=100']!.toFixed(2)}×, n=1000 ${res['wasm n=1000']!.toFixed(2)}× · spin loop ${res['spin'].toFixed(2)}× ` +
      `(the machine's ceiling now; target for sweeps: 2 workers ≥ 1.8× one)`,
  );
  return res;
}

/**
 * First call and whole process (fresh processes, n = 1000): mechlab's first call (backend
 * registration, WASM compile by the optimising tier, layout, one instance) and the wall time of a
 * process that computes one instance, next to the peers' whole process (`python ccs_*.py 1000 1 1`:
 * interpreter, imports, numba cache load, one instance). Our processes run from sources under tsx
 * (a built CLI skips the transpile).
 */
function firstCall(): Record<string, number> {
  const res: Record<string, number> = {};
  for (const backend of ['wasm', 'ts'] as const) {
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        join(__dirname, 'pipeline-worker.ts'),
        JSON.stringify({ n: 1000, reps: 1, backend, id: 0 }),
      ],
      { encoding: 'utf8' },
    );
    res[`${backend} whole process ms`] = performance.now() - t0;
    res[`${backend} first call ms`] = Number(r.stdout.trim().split(' ')[1]);
  }
  if (peerPython !== undefined) {
    for (const impl of ['numpy', 'numba'] as const) {
      const t0 = performance.now();
      const r = spawnSync(peerPython, [join(peerDir, `ccs_${impl}.py`), '1000', '1', '1'], {
        encoding: 'utf8',
      });
      if (r.status === 0) res[`${impl} whole process ms`] = performance.now() - t0;
    }
  }
  console.log(
    `\nfirst call, n = 1000 (fresh process): ` +
      Object.entries(res)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(' · '),
  );
  return res;
}

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  const machine = `${cpus()[0]?.model ?? '?'} × ${cpus().length}, Node ${process.version}`;
  console.log(`machine: ${machine}; MALLOC_TRIM_THRESHOLD_=MALLOC_MMAP_THRESHOLD_=${MALLOC}`);
  if (peerPython === undefined) {
    console.log('peers: skipped (set MECHLAB_PEERS_PYTHON to a python with numpy, scipy and numba)');
  }
  if (process.argv.includes('--scaling-only')) {
    firstCall();
    await scaling();
    return;
  }
  const rounds = quick ? 3 : 7;
  const summary: Record<string, Record<string, { instPerS: number; meanGcsWelfare: number }>> = {};
  for (const n of [100, 1000]) {
    // About half a second per implementation and round on this machine.
    const reps: Record<Impl, number> =
      n === 100
        ? {
            'old TS': 1000,
            'old gen + WASM solvers': 1000,
            'TS pipeline': 2000,
            'WASM pipeline': 4000,
            numpy: 1000,
            numba: 4000,
          }
        : {
            'old TS': 30,
            'old gen + WASM solvers': 30,
            'TS pipeline': 60,
            'WASM pipeline': 100,
            numpy: 60,
            numba: 60,
          };
    if (quick) for (const k of Object.keys(reps) as Impl[]) reps[k] = Math.max(10, reps[k] >> 2);
    const impls: Impl[] = [...OURS, 'numpy', 'numba'];
    for (const impl of OURS) runOurs(impl, n, Math.max(5, reps[impl] >> 3), 99); // warm-up (JIT, first layout)
    const got: Partial<Record<Impl, Round[]>> = {};
    for (let k = 0; k < rounds; k++) {
      // Rotate the order so no implementation always follows the same neighbour.
      for (let t = 0; t < impls.length; t++) {
        const impl = impls[(t + k) % impls.length]!;
        const r =
          impl === 'numpy' || impl === 'numba'
            ? runPeer(impl, n, reps[impl])
            : runOurs(impl, n, reps[impl], k);
        if (r) (got[impl] ??= []).push(r);
      }
    }
    const row: Record<string, { instPerS: number; meanGcsWelfare: number }> = {};
    for (const impl of impls) {
      const rs = got[impl];
      if (!rs || rs.length === 0) continue;
      row[impl] = {
        instPerS: median(rs.map((r) => r.instPerS)),
        meanGcsWelfare: rs.reduce((s, r) => s + r.meanGcsWelfare, 0) / rs.length,
      };
    }
    summary[`n=${n}`] = row;
    console.log(`\nn = ${n}, ρ = ${RHO} (medians of ${rounds} interleaved rounds, one thread each):`);
    for (const [impl, v] of Object.entries(row)) {
      console.log(
        `  ${impl.padEnd(24)} ${v.instPerS.toFixed(0).padStart(7)} inst/s   mean GCS welfare ${v.meanGcsWelfare.toFixed(3)}`,
      );
    }
    const ratio = (a: Impl, b: Impl): string =>
      row[a] && row[b] ? `${(row[a].instPerS / row[b].instPerS).toFixed(2)}×` : '—';
    console.log(
      `  ratios: WASM pipeline / numba ${ratio('WASM pipeline', 'numba')} (target ≥ 1.5×) · ` +
        `WASM pipeline / NumPy ${ratio('WASM pipeline', 'numpy')} (target ≥ 2×) · ` +
        `TS pipeline / numba ${ratio('TS pipeline', 'numba')} · TS pipeline / NumPy ${ratio('TS pipeline', 'numpy')} · ` +
        `WASM pipeline / old TS ${ratio('WASM pipeline', 'old TS')} · TS pipeline / old TS ${ratio('TS pipeline', 'old TS')}`,
    );
  }
  if (Object.keys(peerFirstCall).length > 0) {
    console.log(
      `numba first call (compile or cache load): ${Object.entries(peerFirstCall)
        .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
        .join(', ')}`,
    );
  }
  const first = firstCall();
  const threadScaling = await scaling();
  writeFileSync(
    join(RESULTS, 'pipeline-peers.json'),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        quick,
        rounds,
        summary,
        peerFirstCall,
        first,
        threadScaling,
      },
      null,
      2,
    ) + '\n',
  );
  if (!quick) await bennySuite();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
