/**
 * Child process of index.ts's parallel ceiling (issue 14): the compute of one CCS preset — every task of
 * its plan, instance `r` of a point drawn from `Rng.fromPath([seed, experiment, pointKey, r])` and run
 * inside `withBackendScope('wasm', …)` as a sweep worker's `runTask` does — in one thread, with no
 * pool, journal or finalize. index.ts runs it alone and as two concurrent copies pinned to different
 * cores (`taskset`): two copies share nothing but the hardware, so `2 × alone ÷ pair` is the most any
 * two-thread run of that work can gain on this machine at that moment.
 *
 * Prints one JSON line: `{ ms, cpuMs, waitMs, instances }` — wall time of the compute (module loading
 * and a warm-up instance excluded), this thread's time on a CPU and waiting for one
 * (`/proc/thread-self/schedstat`; -1 where absent).
 * With `--wait` it prints `ready` after the warm-up and starts on the first line of stdin.
 * Usage: `npx tsx benchmarks/sweep/ceiling-job.ts ccs-vary-n [replicates] [--wait]`.
 */
import * as fs from 'node:fs';
import { Rng, withBackendScope, type Experiment } from '@mechlab/core';
import { ccsPresets, ccsRandomGraph } from '@mechlab/ccs';
import { registerWasmBackend } from '@mechlab/kernels';
import { loadSweepSpec, type SweepCatalogue } from '@mechlab/sweep';
import { planSweep } from '@mechlab/sweep/spec';

const catalogue: SweepCatalogue = {
  experiments: [ccsRandomGraph as unknown as Experiment],
  presets: ccsPresets,
};

function schedStat(): [number, number] {
  try {
    const [run, wait] = fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return [run! / 1e6, wait! / 1e6];
  } catch {
    return [-1, -1];
  }
}

async function main(): Promise<void> {
  const preset = process.argv[2] ?? 'ccs-vary-n';
  const replicates = Number(process.argv[3] ?? 1000) || 1000;
  registerWasmBackend();
  const spec = await loadSweepSpec(preset, catalogue, { replicates });
  const plan = planSweep(spec, catalogue.experiments);
  const exp = plan.experiment;
  const m = plan.metrics.length;
  const values = new Float64Array(m * Math.max(...plan.tasks.map((t) => t.r1 - t.r0)));
  const runRange = (point: number, r0: number, r1: number): void => {
    const p = plan.points[point]!;
    for (let r = r0; r < r1; r++) {
      const rng = Rng.fromPath([spec.seed, exp.name, p.key, r]);
      void withBackendScope('wasm', () => exp.run(rng, p.params, values, (r - r0) * m));
    }
  };
  // Warm-up: WASM compile and the first pipeline, which a sweep worker also pays at its first task.
  runRange(plan.tasks[0]!.point, 0, 1);
  if (process.argv.includes('--wait')) {
    // Start barrier: two copies begin their compute together (the parent answers both "ready"s).
    process.stdout.write('ready\n');
    await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
    process.stdin.pause();
  }
  const [run0, wait0] = schedStat();
  const t0 = performance.now();
  let instances = 0;
  for (const t of plan.tasks) {
    runRange(t.point, t.r0, t.r1);
    instances += t.r1 - t.r0;
  }
  const ms = performance.now() - t0;
  const [run1, wait1] = schedStat();
  const cpuMs = run0 < 0 ? -1 : run1 - run0;
  const waitMs = wait0 < 0 ? -1 : wait1 - wait0;
  process.stdout.write(JSON.stringify({ ms, cpuMs, waitMs, instances }) + '\n');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
