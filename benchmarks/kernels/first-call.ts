/**
 * First call vs steady state, per kernel and backend, and whole-process CLI time (issue 12).
 * Run: `npx tsx benchmarks/kernels/first-call.ts [--quick]` (after `npm run build`); also run at the end
 * of `npm run bench -- kernels`.
 *
 * benny (benchmarks/kernels/index.ts) warms every case up, which hides what a CLI user or a fresh
 * worker sees: the WebAssembly module's compilation and, before this issue, a first call in V8's
 * baseline tier. So every measurement here runs in a **fresh Node process** (a child of this one):
 * - `compile`: `loadKernels()` alone (read + compile + instantiate the .wasm) — the start-up cost;
 * - `first`: the first kernel call after that (for `ts`: the first call of the JIT-cold TS code);
 * - `steady`: the median of the next calls in the same process.
 * Backends: `ts`, `wasm` (optimising tier first: `--no-liftoff`, see packages/kernels/src/tier.ts) and
 * `wasm-liftoff` (`MECHLAB_WASM_LIFTOFF=1`: V8's default lazy baseline tier — what the CLI did before).
 * Then whole-process wall time of `mechlab solve mckp` (node + CLI start + parse + solve + print) on
 * the 120 × 401-item, capacity-20000 instance, per backend, and the MCKP peers of
 * ../shared/peers/mckp (NumPy shifted-slice DP, numba) when `MECHLAB_PEERS_PYTHON` names a python
 * with numpy (and numba); otherwise that section prints why it is skipped.
 * Instances are built outside the timed regions. Results: benchmarks/results/kernels/first-call.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, median, nashCardinalityDp, type BackendName } from '@mechlab/core';
import {
  hopPortions,
  randomCcsInstance,
  randomForest,
  solveMckp,
  solveCcs,
  solveMckpDense,
  type MckpProblem,
} from '@mechlab/ccs';
import {
  greatestEquilibrium,
  greatestEquilibriumDense,
  kernelInfo,
  loadKernels,
  registerWasmBackend,
} from '@mechlab/kernels';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'benchmarks', 'results', 'kernels');
// ../shared/peers/mckp beside the checkout (or beside the worktrees' parent); MECHLAB_PEERS_DIR overrides.
const PEERS =
  process.env['MECHLAB_PEERS_DIR'] ??
  [join(ROOT, '..', 'shared', 'peers', 'mckp'), join(ROOT, '..', '..', 'shared', 'peers', 'mckp')].find((d) =>
    existsSync(join(d, 'mckp_peers.py')),
  ) ??
  join(ROOT, '..', 'shared', 'peers', 'mckp');
const quick = process.argv.includes('--quick');

/** The peers' instance shape (gen_mckp.py): class i, item k has weight `step·k` and a cumulative random profit. */
function mckpInstance(capacity: number, step: number): MckpProblem {
  const r = Rng.seed('first-call/mckp');
  const classes = Array.from({ length: 120 }, () => {
    let acc = -r.next();
    return Array.from({ length: 401 }, (_, k) => {
      if (k > 0) acc += r.next();
      return { weight: step * k, profit: k === 0 ? 0 : acc };
    });
  });
  return { capacity, classes };
}

/** One kernel: build its input (untimed) and return the call to time, on a backend. */
type Kernel = (backend: BackendName) => () => unknown;

const KERNELS: Record<string, Kernel> = {
  'mckp general 120×401 cap 4000': (backend) => {
    const inst = mckpInstance(4000, 10);
    return () => solveMckp(inst, { backend });
  },
  'mckp general 120×401 cap 20000': (backend) => {
    const inst = mckpInstance(20000, 50);
    return () => solveMckp(inst, { backend });
  },
  'mckp dense n=200 D=1000': (backend) => {
    const r = Rng.seed('first-call/dense');
    const n = 200;
    const D = 1000;
    const profits = new Float64Array(n * (D + 1));
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let k = 1; k <= D; k++) profits[i * (D + 1) + k] = acc += r.next() * (1 - k / (D + 1));
    }
    return () => solveMckpDense(n, D, profits, { backend });
  },
  'hop forest n=10⁴ δ=0.01': (backend) => {
    const inst = randomForest(Rng.seed('first-call/hop'), { n: 10_000, shape: 'random', costMax: 0.02 });
    return () => hopPortions(inst, 100, { backend });
  },
  'gcs n=5000': (backend) => {
    const inst = randomCcsInstance(Rng.seed('first-call/gcs'), { n: 5000, rho: 4 / 5000, costMax: 0.02 });
    return () => solveCcs(inst, { algo: 'gcs', backend });
  },
  'equilibrium dense n=1500': (backend) => {
    const r = Rng.seed('first-call/eq');
    const n = 1500;
    const weights = new Float64Array(n * n);
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) if (i !== j && r.next() < 0.05) weights[j * n + i] = r.next() * 0.01;
    const game = {
      n,
      theta: Float64Array.from({ length: n }, () => r.next()),
      cost: Float64Array.from({ length: n }, () => r.next() * 0.02),
      weights,
    };
    const p = new Float64Array(n).fill(1 / n);
    return () => greatestEquilibriumDense(game, p, { backend });
  },
  'equilibrium csr n=10⁵': (backend) => {
    const n = 100_000;
    const inst = randomCcsInstance(Rng.seed('first-call/eq-csr'), { n, rho: 5 / n, costMax: 0.00002 });
    const p = new Float64Array(n).fill(1 / n);
    return () => greatestEquilibrium(inst, p, { backend });
  },
  'nash DP n=2000 k=50 ε=0.01': (backend) => {
    const r = Rng.seed('first-call/nash');
    const n = 2000;
    const g = Float64Array.from({ length: n }, () => r.exponential(1));
    const f = Float64Array.from({ length: n }, () => r.exponential(1) * r.next());
    return () => nashCardinalityDp(g, f, 50, { epsilon: 0.01, backend });
  },
};

interface ChildResult {
  kernel: string;
  backend: string;
  tier?: string;
  compileMs?: number;
  firstMs: number;
  steadyMs: number;
  calls: number;
}

/** In a fresh process: time compile, the first call and the steady state of one kernel. */
function child(kernel: string, backend: BackendName, calls: number): void {
  registerWasmBackend();
  const run = KERNELS[kernel]!(backend);
  let compileMs: number | undefined;
  if (backend === 'wasm') {
    const t = performance.now();
    loadKernels();
    compileMs = performance.now() - t;
  }
  let t = performance.now();
  run();
  const firstMs = performance.now() - t;
  const times: number[] = [];
  for (let c = 0; c < calls; c++) {
    t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  const out: ChildResult = {
    kernel,
    backend,
    firstMs,
    steadyMs: median(times),
    calls,
  };
  if (compileMs !== undefined) {
    out.compileMs = compileMs;
    out.tier = kernelInfo().tier;
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

function spawnChild(kernel: string, backend: BackendName, liftoff: boolean, calls: number): ChildResult {
  const env = { ...process.env };
  if (liftoff) env['MECHLAB_WASM_LIFTOFF'] = '1';
  else delete env['MECHLAB_WASM_LIFTOFF'];
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', __filename, '--child', kernel, backend, String(calls)],
    { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const r = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
  return liftoff ? { ...r, backend: 'wasm-liftoff' } : r;
}

function wall(argv: string[], env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return ms;
}

const f1 = (x: number | undefined): string => (x === undefined ? '—' : x.toFixed(1));

function main(): void {
  console.log(
    `machine: ${cpus()[0]?.model ?? '?'} · ${cpus().length} cores · Node ${process.version} · ${new Date().toISOString()}`,
  );
  mkdirSync(RESULTS, { recursive: true });
  const calls = quick ? 2 : 5;
  const rows: ChildResult[] = [];
  console.log('\nfirst call vs steady state (each backend in a fresh process; ms)');
  console.log(
    `${'kernel'.padEnd(32)} ${'backend'.padEnd(13)} ${'compile'.padStart(8)} ${'first'.padStart(9)} ${'steady'.padStart(9)} ${'first/steady'.padStart(13)}`,
  );
  for (const kernel of Object.keys(KERNELS)) {
    for (const [backend, liftoff] of [
      ['ts', false],
      ['wasm', false],
      ['wasm', true],
    ] as const) {
      const r = spawnChild(kernel, backend, liftoff, calls);
      rows.push(r);
      console.log(
        `${kernel.padEnd(32)} ${r.backend.padEnd(13)} ${f1(r.compileMs).padStart(8)} ${f1(r.firstMs).padStart(9)} ${f1(r.steadyMs).padStart(9)} ${(r.firstMs / r.steadyMs).toFixed(2).padStart(13)}`,
      );
    }
    const ts = rows.find((x) => x.kernel === kernel && x.backend === 'ts')!;
    const w = rows.find((x) => x.kernel === kernel && x.backend === 'wasm')!;
    console.log(
      `${''.padEnd(32)} ts/wasm: first call ${(ts.firstMs / w.firstMs).toFixed(2)}×, steady ${(ts.steadyMs / w.steadyMs).toFixed(2)}×`,
    );
  }

  // Whole process: `mechlab solve mckp` on the 120 × 401, capacity-20000 instance.
  const cli = join(ROOT, 'apps', 'cli', 'bin', 'mechlab.js');
  const whole: Record<string, { runsMs: number[]; medianMs: number }> = {};
  const dir = mkdtempSync(join(tmpdir(), 'mechlab-first-call-'));
  try {
    const file = join(dir, 'mckp-20000.json');
    writeFileSync(file, JSON.stringify(mckpInstance(20000, 50)));
    if (!existsSync(join(ROOT, 'apps', 'cli', 'dist', 'main.js'))) {
      console.log('\nwhole process: skipped (apps/cli is not built; run `npm run build`)');
    } else {
      const reps = quick ? 1 : 3;
      for (const [name, backend, liftoff] of [
        ['ts', 'ts', false],
        ['wasm', 'wasm', false],
        ['wasm-liftoff', 'wasm', true],
      ] as const) {
        const env = { ...process.env };
        if (liftoff) env['MECHLAB_WASM_LIFTOFF'] = '1';
        else delete env['MECHLAB_WASM_LIFTOFF'];
        const runsMs = Array.from({ length: reps }, () =>
          wall([cli, 'solve', 'mckp', '--instance', file, '--backend', backend, '--json'], env),
        );
        whole[name] = { runsMs, medianMs: median(runsMs) };
      }
      console.log(
        `\nwhole process \`mechlab solve mckp\` 120×401 cap 20000 (median of ${reps}): ts ${whole['ts']!.medianMs.toFixed(0)} ms · ` +
          `wasm ${whole['wasm']!.medianMs.toFixed(0)} ms · wasm with Liftoff ${whole['wasm-liftoff']!.medianMs.toFixed(0)} ms → ` +
          `ts/wasm ${(whole['ts']!.medianMs / whole['wasm']!.medianMs).toFixed(2)}× (target ≥ 1.5×)`,
      );
    }

    // Peers (../shared/peers/mckp): NumPy and numba on the peers' own instance (capacity 4000).
    const py = process.env['MECHLAB_PEERS_PYTHON'];
    const peers: Record<string, unknown> = {};
    if (py === undefined || !existsSync(join(PEERS, 'mckp_peers.py'))) {
      console.log(
        '\npeers: skipped (set MECHLAB_PEERS_PYTHON to a python with numpy and numba, and keep ../shared/peers/mckp)',
      );
    } else {
      execFileSync(py, [join(PEERS, 'gen_mckp.py')], { cwd: dir });
      const inst = join(dir, 'mckp120.json');
      for (const impl of ['numpy', 'numba']) {
        try {
          const out = execFileSync(py, [join(PEERS, 'mckp_peers.py'), inst, impl, quick ? '3' : '6'], {
            cwd: dir,
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          peers[impl] = JSON.parse(out.trim().split('\n').pop()!);
        } catch (e) {
          peers[impl] = {
            skipped: String((e as { stderr?: string }).stderr ?? e)
              .split('\n')
              .filter(Boolean)
              .pop(),
          };
        }
      }
      // Ours on the very same file, warm, in this process.
      registerWasmBackend();
      const doc = JSON.parse(readFileSync(inst, 'utf8')) as MckpProblem;
      const ours: Record<string, number> = {};
      for (const b of ['ts', 'wasm'] as const) {
        const r = solveMckp(doc, { backend: b });
        // The peers must have found the same optimum and choice (their choiceKey = Σ (i+1)·choice_i).
        const key = r.status === 'optimal' ? r.choice.reduce((s, c, i) => s + (i + 1) * c, 0) : -1;
        for (const impl of ['numpy', 'numba']) {
          const q = peers[impl] as { value?: number; choiceKey?: number };
          if (
            q.value !== undefined &&
            r.status === 'optimal' &&
            (q.value !== r.value || q.choiceKey !== key)
          ) {
            throw new Error(`${impl} and ${b} disagree: ${q.value}/${q.choiceKey} vs ${r.value}/${key}`);
          }
        }
        const ts = Array.from({ length: quick ? 2 : 5 }, () => {
          const t = performance.now();
          solveMckp(doc, { backend: b });
          return performance.now() - t;
        });
        ours[b] = median(ts);
      }
      peers['ours'] = ours;
      const ms = (x: unknown): string => {
        const r = x as { restMedianMs?: number; skipped?: string };
        return r.restMedianMs !== undefined ? `${r.restMedianMs.toFixed(0)} ms` : `skipped (${r.skipped})`;
      };
      console.log(
        `\npeers, warm, 120×401 cap 4000 (gen_mckp.py): TS ${ours['ts']!.toFixed(0)} ms · WASM ${ours['wasm']!.toFixed(0)} ms · ` +
          `NumPy ${ms(peers['numpy'])} · numba ${ms(peers['numba'])}`,
      );
      const nb = (peers['numba'] as { restMedianMs?: number }).restMedianMs;
      if (nb !== undefined) console.log(`WASM/numba ${(ours['wasm']! / nb).toFixed(2)} (target ≤ 1.2)`);
    }
    writeFileSync(
      join(RESULTS, 'first-call.json'),
      JSON.stringify({ date: new Date().toISOString(), node: process.version, rows, whole, peers }, null, 2) +
        '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child')
  child(process.argv[3]!, process.argv[4] as BackendName, Number(process.argv[5]));
else main();
