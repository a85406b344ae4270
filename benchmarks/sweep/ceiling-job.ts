/**
 * Child process of index.ts's parallel ceiling (issue 14): the compute of one CCS preset — every task of
 * its plan, `runTask` exactly as a sweep worker runs it, on the WASM backend — in one thread, with no
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
import { type Experiment } from '@mechlab/core';
import { ccsPresets, ccsRandomGraph } from '@mechlab/ccs';
import {
  loadSweepSpec,
  planSweep,
  registerSweepBackends,
  runTask,
  type SweepCatalogue,
  type TaskInput,
} from '@mechlab/sweep';

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
  registerSweepBackends();
  const spec = await loadSweepSpec(preset, catalogue, { replicates });
  const plan = planSweep(spec, catalogue.experiments);
  const input = (t: (typeof plan.tasks)[number]): TaskInput => {
    const p = plan.points[t.point]!;
    return {
      experiment: plan.experiment.name,
      source: plan.experiment.source,
      seed: spec.seed,
      pointKey: p.key,
      point: p.index,
      params: p.params,
      r0: t.r0,
      r1: t.r1,
      metricCount: plan.metrics.length,
      backend: 'wasm',
    };
  };
  // Warm-up: WASM compile and the first pipeline, which a sweep worker also pays at its first task.
  const first = plan.tasks[0]!;
  await runTask({ ...input(first), r1: first.r0 + 1 }, plan.experiment);
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
    await runTask(input(t), plan.experiment);
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
