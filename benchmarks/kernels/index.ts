/**
 * TS vs WebAssembly vs native C++ on the same instances (run: `npx tsx benchmarks/kernels/index.ts`,
 * or `npm run bench -- kernels`; needs `npm run build` for the .wasm and g++ for the native column).
 *
 * - TS: the reference (`backend: 'ts'`), end to end through the public API.
 * - WASM: the same call with `backend: 'wasm'` (validation, copy in, kernel, copy out).
 * - WASM kernel: the kernel alone, on an instance already laid out in linear memory.
 * - native: benchmarks/kernels/native/kernels.cpp — the same algorithm, compiled now with
 *   `g++ -O3 -march=native -ffp-contract=off` into a temp dir, fed the same instance through a binary
 *   file, timed in-process over K repetitions (buffers allocated outside the timed region, like the
 *   WASM layout).
 * Ratios printed: TS/WASM (end to end; target ≥ 2 for MCKP n = 200, D = 1000 and the tree DP n = 10⁴,
 * δ = 0.01) and WASM-kernel/native (target ≤ 1.3). Answers are cross-checked (values must agree
 * exactly). Instances are built outside the timed functions; benny JSON lands in
 * benchmarks/results/kernels/, the ratio table in benchmarks/results/kernels/summary.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { add, complete, configure, cycle, save, suite } from 'benny';
import { Rng, lambdaSweepTopK, nashCardinalityDp, swapLocalSearch } from '@mechlab/core';
import {
  gcsPortions,
  hopPortions,
  nsrProfits,
  planHop,
  randomCcsInstance,
  randomForest,
  solveCcs,
  solveMckp,
  solveMckpDense,
  type CcsInstance,
  type HopPlan,
  type MckpProblem,
} from '@mechlab/ccs';
import {
  gcsPortionsWasm,
  kernelInfo,
  layoutHop,
  layoutMckpDense,
  layoutMckpGeneral,
  registerWasmBackend,
  runHopPlan,
} from '@mechlab/kernels';
import { caseRecorder } from '../record';

registerWasmBackend();

interface Row {
  kernel: string;
  tsMs: number;
  wasmMs: number;
  wasmKernelMs?: number;
  nativeMs?: number;
  tsOverWasm: number;
  wasmOverNative?: number;
  /** The same ratios from the fastest sample of each side (less sensitive to a shared machine). */
  tsOverWasmMin: number;
  wasmOverNativeMin?: number;
  target?: string;
}

const RESULTS = join('benchmarks', 'results', 'kernels');
const config = configure({ cases: { minSamples: 5, maxTime: 2 } });
const { record, mean: secondsPerOp, min: minSeconds } = caseRecorder();
const rows: Row[] = [];

// ---------------------------------------------------------------------------------------------------
// Native build and runs
// ---------------------------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'mechlab-kernels-'));
let nativeBin: string | null = null;
let nativeNote = '';
try {
  const out = join(work, 'kernels');
  const flags = ['-O3', '-march=native', '-ffp-contract=off', '-std=c++17'];
  execFileSync('g++', [...flags, '-o', out, join('benchmarks', 'kernels', 'native', 'kernels.cpp')], {
    stdio: 'pipe',
  });
  nativeBin = out;
  nativeNote = `g++ ${flags.join(' ')} (${execFileSync('g++', ['-dumpfullversion']).toString().trim()})`;
} catch (e) {
  nativeNote = `native build failed: ${(e as Error).message.split('\n')[0]}`;
}

function instanceFile(name: string, kind: number, parts: (Int32Array | Float64Array | number)[]): string {
  const chunks: Uint8Array[] = [new TextEncoder().encode('MLK1'), new Uint8Array(Int32Array.of(kind).buffer)];
  for (const p of parts) {
    const typed = typeof p === 'number' ? Int32Array.of(p) : p;
    chunks.push(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
  }
  const path = join(work, `${name}.bin`);
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

function runNative(file: string, seconds: number): { value: number; ms: number; minMs: number } | null {
  if (nativeBin === null) return null;
  const reps = Math.max(10, Math.min(1000, Math.ceil(2 / seconds)));
  const line = execFileSync(nativeBin, [file, String(reps)])
    .toString()
    .trim();
  const r = JSON.parse(line) as { value: number; nsPerOp: number; minNs: number };
  return { value: r.value, ms: r.nsPerOp / 1e6, minMs: r.minNs / 1e6 };
}

function check(label: string, a: number, b: number): void {
  if (!Object.is(a, b)) throw new Error(`${label}: answers differ (${a} vs ${b})`);
}

async function bench(
  title: string,
  file: string,
  cases: Record<string, () => void>,
): Promise<(name: string) => number> {
  await suite(
    title,
    config,
    ...Object.entries(cases).map(([name, fn]) => add(name, fn)),
    cycle(),
    complete(record),
    save({ file, folder: RESULTS, format: 'json' }),
  );
  return (name: string) => secondsPerOp.get(name)!;
}

// ---------------------------------------------------------------------------------------------------
// MCKP
// ---------------------------------------------------------------------------------------------------

async function mckpDense(
  label: string,
  file: string,
  n: number,
  D: number,
  profits: Float64Array,
  target?: string,
) {
  const layout = layoutMckpDense(n, D, profits);
  const v = layout.run();
  check(`${label} ts/wasm`, solveMckpDense(n, D, profits, { backend: 'ts' }).value, v);
  const s = await bench(label, file, {
    ts: () => void solveMckpDense(n, D, profits, { backend: 'ts' }),
    wasm: () => void solveMckpDense(n, D, profits, { backend: 'wasm' }),
    'wasm kernel': () => void layout.run(),
  });
  const nat = runNative(instanceFile(file, 1, [n, D, profits]), s('wasm kernel'));
  if (nat) check(`${label} native`, nat.value, v);
  push(label, s, nat, target);
}

async function mckpGeneral(label: string, file: string, inst: MckpProblem) {
  const n = inst.classes.length;
  const C = inst.capacity;
  const classStart = new Int32Array(n + 1);
  const w: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < n; i++) {
    classStart[i] = w.length;
    for (const it of inst.classes[i]!) {
      w.push(it.weight);
      p.push(it.profit);
    }
  }
  classStart[n] = w.length;
  const weights = Float64Array.from(w);
  const profits = Float64Array.from(p);
  const maxItems = Math.max(...inst.classes.map((c) => c.length));
  const layout = layoutMckpGeneral(n, C, classStart, weights, profits, maxItems);
  const v = layout.run();
  const ref = solveMckp(inst, { backend: 'ts' });
  check(`${label} ts/wasm`, ref.status === 'optimal' ? ref.value : -Infinity, v);
  const s = await bench(label, file, {
    ts: () => void solveMckp(inst, { backend: 'ts' }),
    wasm: () => void solveMckp(inst, { backend: 'wasm' }),
    'wasm kernel': () => void layout.run(),
  });
  const nat = runNative(
    instanceFile(file, 2, [n, C, w.length, classStart, Int32Array.from(w), profits]),
    s('wasm kernel'),
  );
  if (nat) check(`${label} native`, nat.value, v);
  push(label, s, nat);
}

// ---------------------------------------------------------------------------------------------------
// HOP
// ---------------------------------------------------------------------------------------------------

async function hop(label: string, file: string, inst: CcsInstance, D: number, target?: string) {
  const plan: HopPlan = planHop(inst, D);
  const layout = layoutHop(plan);
  const v = layout.run();
  check(`${label} ts/wasm`, hopPortions(inst, D).objective, v);
  check(`${label} plan`, runHopPlan(plan).objective, v);
  const s = await bench(label, file, {
    ts: () => void hopPortions(inst, D),
    wasm: () => void runHopPlan(planHop(inst, D)),
    'wasm kernel': () => void layout.run(),
  });
  const nat = runNative(
    instanceFile(file, 3, [plan.n, D, plan.parent, plan.postOrder, plan.pw, plan.pi0, plan.pi1, plan.theta]),
    s('wasm kernel'),
  );
  if (nat) check(`${label} native`, nat.value, v);
  push(label, s, nat, target);
}

function push(
  kernel: string,
  s: (name: string) => number,
  nat: { ms: number; minMs: number } | null,
  target?: string,
): void {
  const ts = s('ts') * 1e3;
  const wasm = s('wasm') * 1e3;
  const m = (name: string) => minSeconds.get(name)! * 1e3;
  const row: Row = {
    kernel,
    tsMs: ts,
    wasmMs: wasm,
    tsOverWasm: ts / wasm,
    tsOverWasmMin: m('ts') / m('wasm'),
  };
  if (secondsPerOp.has('wasm kernel')) {
    const wk = s('wasm kernel') * 1e3;
    row.wasmKernelMs = wk;
    if (nat) {
      row.nativeMs = nat.ms;
      row.wasmOverNative = wk / nat.ms;
      row.wasmOverNativeMin = m('wasm kernel') / nat.minMs;
    }
  }
  if (target) row.target = target;
  rows.push(row);
  secondsPerOp.clear();
  minSeconds.clear();
}

// ---------------------------------------------------------------------------------------------------
// Kernels without a native twin: GCS and the Nash kernels (TS vs WASM)
// ---------------------------------------------------------------------------------------------------

async function tsVsWasm(label: string, file: string, ts: () => void, wasm: () => void) {
  const s = await bench(label, file, { ts, wasm });
  push(label, s, null);
}

async function main(): Promise<void> {
  const rng = Rng.seed('bench-kernels');
  const n = 200;
  const D = 1000;
  // Worst case for the dense DP: strictly increasing concave profits, every item undominated (O(n·D²)).
  const concave = new Float64Array(n * (D + 1));
  for (let i = 0; i < n; i++) {
    const a = rng.next();
    for (let k = 0; k <= D; k++) concave[i * (D + 1) + k] = a * Math.sqrt(k / D) + (k * 1e-9) / D;
  }
  await mckpDense(
    `MCKP dense n=${n} D=${D} (concave, all items undominated)`,
    'mckp-dense-concave',
    n,
    D,
    concave,
    'TS/WASM ≥ 2, WASM/native ≤ 1.3',
  );
  const quad = randomCcsInstance(rng.split('nsr'), { n, rho: 0.02, costFamily: 'quadratic', costMax: 2 });
  await mckpDense(
    `MCKP dense n=${n} D=${D} (NSR table, quadratic cost)`,
    'mckp-dense-nsr',
    n,
    D,
    nsrProfits(quad, D),
  );
  const gen = rng.split('general');
  const general: MckpProblem = {
    capacity: D,
    classes: Array.from({ length: n }, () =>
      Array.from({ length: 50 }, () => ({ weight: gen.int(D / 4), profit: gen.next() })),
    ),
  };
  await mckpGeneral(`MCKP general n=${n} C=${D} (50 random items/class)`, 'mckp-general', general);

  const forest = randomForest(rng.split('hop'), { n: 10_000 });
  await hop(
    'HOP tree DP n=10^4 δ=0.01 (random forest)',
    'hop-random',
    forest,
    100,
    'TS/WASM ≥ 2, WASM/native ≤ 1.3',
  );
  const cheap = randomForest(rng.split('hop-cheap'), { n: 10_000, costMax: 0.05 });
  await hop('HOP tree DP n=10^4 δ=0.01 (cheap players, c ≤ 0.05)', 'hop-cheap', cheap, 100);

  const g = randomCcsInstance(rng.split('gcs'), { n: 100_000, rho: 2 / 100_000 });
  await tsVsWasm(
    'GCS n=10^5 (ER, mean degree 2)',
    'gcs',
    () => void gcsPortions(g),
    () => void gcsPortionsWasm(g),
  );
  await tsVsWasm(
    'solveCcs gcs n=10^5 (GCS + equilibrium)',
    'solve-gcs',
    () => void solveCcs(g, { algo: 'gcs', backend: 'ts' }),
    () => void solveCcs(g, { algo: 'gcs', backend: 'wasm' }),
  );

  const nr = rng.split('nash');
  const N = 20_000;
  const uG = Float64Array.from({ length: N }, () => nr.exponential(1));
  const uF = Float64Array.from({ length: N }, () => nr.exponential(1) * nr.next());
  const lambdas = Float64Array.from({ length: 21 }, (_, l) => l / 20);
  await tsVsWasm(
    'Nash λ-sweep top-k (n=2·10^4, k=100, 21 λ)',
    'nash-sweep',
    () => void lambdaSweepTopK(uG, uF, 100, lambdas, { backend: 'ts' }),
    () => void lambdaSweepTopK(uG, uF, 100, lambdas, { backend: 'wasm' }),
  );
  const start = Int32Array.from({ length: 50 }, (_, i) => i);
  await tsVsWasm(
    'Nash swap local search (n=2·10^4, k=50)',
    'nash-swap',
    () => void swapLocalSearch(uG, uF, start, { backend: 'ts' }),
    () => void swapLocalSearch(uG, uF, start, { backend: 'wasm' }),
  );
  const small = { g: uG.subarray(0, 400), f: uF.subarray(0, 400) };
  await tsVsWasm(
    'Nash cardinality DP (n=400, k=20, ε=0.05)',
    'nash-dp',
    () => void nashCardinalityDp(small.g, small.f, 20, { epsilon: 0.05, backend: 'ts' }),
    () => void nashCardinalityDp(small.g, small.f, 20, { epsilon: 0.05, backend: 'wasm' }),
  );

  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}`;
  console.log(`\n${machine}; native: ${nativeNote}; wasm ${kernelInfo().wasmBytes} bytes`);
  const head = ['kernel', 'TS ms', 'WASM ms', 'kernel ms', 'native ms', 'TS/WASM', 'WASM/native'];
  const table = rows.map((r) => [
    r.kernel,
    r.tsMs.toFixed(2),
    r.wasmMs.toFixed(2),
    r.wasmKernelMs?.toFixed(2) ?? '—',
    r.nativeMs?.toFixed(2) ?? '—',
    `${r.tsOverWasm.toFixed(2)}× (min ${r.tsOverWasmMin.toFixed(2)}×)`,
    r.wasmOverNative !== undefined
      ? `${r.wasmOverNative.toFixed(2)}× (min ${r.wasmOverNativeMin!.toFixed(2)}×)`
      : '—',
  ]);
  console.log('times are means over the benny samples; "min" ratios compare the fastest samples');
  const widths = head.map((h, c) => Math.max(h.length, ...table.map((t) => t[c]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  ');
  console.log(fmt(head));
  for (const t of table) console.log(fmt(t));
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, 'summary.json'),
    JSON.stringify({ date: new Date().toISOString(), machine, native: nativeNote, rows }, null, 2) + '\n',
  );
}

main()
  .then(() => {
    // benny warms every case up; first-call.ts measures what a fresh process (a CLI call, a new
    // worker) sees — first call vs steady state, whole-process `mechlab solve mckp`, the peers.
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'first-call.ts')], {
      stdio: 'inherit',
    });
    if (r.status !== 0) process.exitCode = 1;
  })
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
