/**
 * `runSweep`: plan → (resume) → schedule tasks on an executor → journal each result as it arrives →
 * finalize in canonical order. The CLI command `mechlab sweep` is a thin wrapper around this.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MechlabError } from '@mechlab/core';
import { BUILTIN_EXPERIMENTS } from './experiments';
import { getFigureRenderer, type FigureRenderer } from './figure';
import { JournalWriter, formatTaskRows, hasJournalHeader, scanJournal, type JournalEntry } from './journal';
import { FILES, finalizeSweep, makeManifest, readManifest, writeManifest } from './output';
import { defaultWorkers, inlineExecutor, poolExecutor, type Executor } from './pool';
import type { SweepProgress } from './progress';
import {
  inShard,
  parseShard,
  parseSweepSpec,
  planSweep,
  type ShardSpec,
  type SweepPlan,
  type SweepSpec,
  type TaskRef,
} from './spec';
import type { TaskInput } from './task';

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** Output directory (created if needed). */
  readonly out: string;
  /**
   * Worker threads; 0 or `'inline'` runs in the calling thread. Default `os.availableParallelism()` —
   * except that a sweep whose remaining work the experiment's cost model puts under `AUTO_INLINE_COST`
   * (≈ 1 s) runs inline, because starting threads would cost more than they save.
   */
  readonly workers?: number | 'inline' | undefined;
  /** Continue the sweep already in `out` (skip its committed tasks). Without it, `out` is started afresh. */
  readonly resume?: boolean | undefined;
  /** Run only shard `i/k` (0-based); combine shard directories with `mergeShards`. */
  readonly shard?: string | ShardSpec | undefined;
  /** Called after every finished task (and once at the start). */
  readonly onProgress?: ((p: SweepProgress) => void) | undefined;
  /** Stop dispatching when aborted; running tasks finish and are journaled, then the summary says `aborted`. */
  readonly signal?: AbortSignal | undefined;
  /** Figure renderer; default the one installed by `setFigureRenderer`; `false` for `figure.json` only. */
  readonly render?: FigureRenderer | false | undefined;
  /** Build `results.duckdb` (default true). */
  readonly duckdb?: boolean | undefined;
}

/** The summary `mechlab sweep --json` prints last. */
export interface SweepSummary {
  /** `complete`: all tasks done and finalized; `partial`: a shard finished (merge to finalize); `aborted`. */
  readonly status: 'complete' | 'partial' | 'aborted';
  readonly experiment: string;
  readonly name: string;
  readonly out: string;
  readonly specHash: string;
  /** `i/k`, or null for a whole sweep. */
  readonly shard: string | null;
  /** Worker threads used (0 = inline). */
  readonly workers: number;
  readonly points: number;
  readonly tasks: {
    readonly total: number;
    readonly inShard: number;
    readonly skipped: number;
    readonly run: number;
  };
  readonly instances: { readonly total: number; readonly done: number; readonly run: number };
  readonly elapsedMs: number;
  /** Instances computed per second in this run (skipped ones excluded). */
  readonly rate: number;
  readonly files: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

/**
 * Below this much remaining work (experiment cost units; ≈ 40 ns each for `ccs.random-graph`, so ≈ 1 s)
 * a sweep with the default `workers` runs inline: a tsx-started pool takes 0.5–3 s to come up.
 */
export const AUTO_INLINE_COST = 2.5e7;

function resolveWorkers(w: RunSweepOptions['workers']): number {
  if (w === undefined) return defaultWorkers();
  if (w === 'inline') return 0;
  if (!(Number.isInteger(w) && w >= 0 && w <= 1024)) {
    throw new MechlabError(
      'ERR_OUT_OF_RANGE',
      `workers must be an integer in [0, 1024] or "inline", got ${String(w)}`,
      'workers',
    );
  }
  return w;
}

function shardText(s: ShardSpec | undefined): string | null {
  return s ? `${s.index}/${s.count}` : null;
}

/** Remove the result files of an earlier run (the journal is recreated separately). */
function clearOutputs(out: string): void {
  for (const f of Object.values(FILES)) {
    if (f === FILES.journal) continue;
    fs.rmSync(path.join(out, f), { force: true });
  }
  fs.rmSync(path.join(out, `${FILES.duckdb}.wal`), { force: true });
}

/**
 * Run (or resume) a sweep. Results are bit-identical for any `workers` value and any shard split:
 * each instance's randomness is a pure function of (seed, experiment, point, replicate), and the result
 * files are written in canonical order after all tasks are journaled.
 *
 * Complexity: O(instances · instance cost / workers) plus O(rows) for finalize; memory O(tasks + points ×
 * metrics + in-flight tasks) — rows stream through the journal, never all in memory.
 *
 * @throws (rejects with) MechlabError — bad spec (fields under `spec.`), bad `workers`/`shard`, or a
 *   `resume` whose `out` holds a different sweep; any error thrown by the experiment.
 * @example
 * const s = await runSweep(loadSweepSpec('ccs-vary-n', { replicates: 50 }), { out: 'out/n', workers: 2 });
 * s.status // 'complete'; files: rows.csv, aggregates.csv, results.duckdb, figure.json, …
 */
export async function runSweep(spec: SweepSpec | unknown, opts: RunSweepOptions): Promise<SweepSummary> {
  const t0 = Date.now();
  const parsed = parseSweepSpec(spec);
  const plan = planSweep(parsed);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard, 'shard');
  let workers = resolveWorkers(opts.workers);
  if (typeof opts.out !== 'string' || opts.out === '') {
    throw new MechlabError(
      'ERR_INVALID_TYPE',
      `out must be a directory path, got ${String(opts.out)}`,
      'out',
    );
  }
  const out = path.resolve(opts.out);
  fs.mkdirSync(out, { recursive: true });
  const journalFile = path.join(out, FILES.journal);

  const mine = plan.tasks.filter((t) => inShard(t, shard));
  const instancesInShard = mine.reduce((a, t) => a + (t.r1 - t.r0), 0);
  let committed = new Map<string, JournalEntry>();
  let writer: JournalWriter;
  if (opts.resume && hasJournalHeader(journalFile)) {
    const scan = scanJournal(journalFile);
    const manifest = fs.existsSync(path.join(out, FILES.manifest)) ? readManifest(out, 'out') : undefined;
    if (scan.specHash !== plan.specHash || (manifest && manifest.specHash !== plan.specHash)) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `out ${out} holds a different sweep (spec hash ${scan.specHash}, this spec ${plan.specHash}); use another --out or drop --resume`,
        'out',
      );
    }
    if (manifest && shardText(manifest.shard ?? undefined) !== shardText(shard)) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `out ${out} holds shard ${shardText(manifest.shard ?? undefined) ?? 'none'}, not ${shardText(shard) ?? 'the whole sweep'}`,
        'shard',
      );
    }
    committed = scan.tasks;
    writer = JournalWriter.resume(journalFile, scan.validEnd);
  } else {
    clearOutputs(out);
    writer = JournalWriter.create(journalFile, plan.specHash, plan.metrics.length);
  }

  const pending = mine.filter((t) => !committed.has(t.id));
  const skippedTasks = mine.length - pending.length;
  const skipped = instancesInShard - pending.reduce((a, t) => a + (t.r1 - t.r0), 0);
  writeManifest(out, makeManifest(plan, shard, mine.length, instancesInShard, skippedTasks));

  // Heaviest tasks first (longest-processing-time rule): the last tasks to finish are cheap ones, so
  // workers idle less at the end. Order does not affect results.
  const cost = plan.points.map((p) => plan.experiment.cost?.(p.params) ?? 1);
  pending.sort(
    (a, b) => cost[b.point]! * (b.r1 - b.r0) - cost[a.point]! * (a.r1 - a.r0) || a.index - b.index,
  );
  if (opts.workers === undefined && plan.experiment.cost) {
    const work = pending.reduce((a, t) => a + cost[t.point]! * (t.r1 - t.r0), 0);
    if (work < AUTO_INLINE_COST) workers = 0;
  }

  let done = skipped;
  let tasksDone = skippedTasks;
  const progress = (): void =>
    opts.onProgress?.({
      done,
      total: instancesInShard,
      skipped,
      tasksDone,
      tasksTotal: mine.length,
      elapsedMs: Date.now() - t0,
    });
  progress();

  let aborted = false;
  let executor: Executor | undefined;
  try {
    if (pending.length > 0) {
      if (workers > 0 && !BUILTIN_EXPERIMENTS.has(plan.experiment.name) && !plan.experiment.module) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `experiment ${plan.experiment.name} was registered without \`module\`, so worker threads cannot load it; set module or use workers: 0`,
          'workers',
        );
      }
      executor = workers === 0 ? inlineExecutor() : poolExecutor(workers);
      aborted = await schedule(plan, pending, executor, opts.signal, (task, values) => {
        writer.commit(
          task.id,
          formatTaskRows(task.point, task.r0, values, plan.metrics.length),
          task.r1 - task.r0,
        );
        committed.set(task.id, { file: journalFile, start: 0, end: 0, rows: task.r1 - task.r0 });
        done += task.r1 - task.r0;
        tasksDone++;
        progress();
      });
    }
  } finally {
    writer.close();
    await executor?.close();
  }

  const complete = !aborted && tasksDone === mine.length;
  let files: Record<string, string> = { manifest: path.join(out, FILES.manifest), journal: journalFile };
  const warnings: string[] = [];
  if (complete && !shard) {
    // Re-scan: the entries recorded while running carry no byte ranges (and the journal is the truth).
    const scan = scanJournal(journalFile);
    const r = await finalizeSweep(plan, out, scan.tasks, {
      render: opts.render === undefined ? getFigureRenderer() : opts.render,
      duckdb: opts.duckdb,
    });
    files = { ...files, ...r.files };
    warnings.push(...r.warnings);
  }
  writeManifest(out, makeManifest(plan, shard, mine.length, instancesInShard, tasksDone));
  const elapsedMs = Date.now() - t0;
  return {
    status: aborted ? 'aborted' : complete && !shard ? 'complete' : 'partial',
    experiment: plan.spec.experiment,
    name: plan.spec.name,
    out,
    specHash: plan.specHash,
    shard: shardText(shard),
    workers,
    points: plan.points.length,
    tasks: {
      total: plan.tasks.length,
      inShard: mine.length,
      skipped: skippedTasks,
      run: tasksDone - skippedTasks,
    },
    instances: { total: instancesInShard, done, run: done - skipped },
    elapsedMs,
    rate: elapsedMs > 0 ? ((done - skipped) * 1000) / elapsedMs : 0,
    files,
    warnings,
  };
}

/**
 * Keep `2 × threads` tasks in flight (one running, one queued per thread, so a thread never waits for
 * the main thread) and hand each result to `onDone` as it arrives. Returns whether it was aborted.
 * On a task error: stop dispatching, let in-flight tasks finish (their results are journaled, so a
 * resume keeps them), then rethrow.
 */
async function schedule(
  plan: SweepPlan,
  tasks: readonly TaskRef[],
  ex: Executor,
  signal: AbortSignal | undefined,
  onDone: (t: TaskRef, values: Float64Array) => void,
): Promise<boolean> {
  const window = Math.max(1, ex.threads * 2);
  const modules = plan.experiment.module ? [plan.experiment.module] : [];
  let next = 0;
  let failure: unknown;
  let inFlight = 0;
  return new Promise<boolean>((resolve, reject) => {
    const finish = (): void => {
      if (inFlight > 0) return;
      if (failure !== undefined) reject(failure);
      else resolve(signal?.aborted === true && next < tasks.length);
    };
    const pump = (): void => {
      while (inFlight < window && next < tasks.length && failure === undefined && !signal?.aborted) {
        const task = tasks[next++]!;
        const point = plan.points[task.point]!;
        const input: TaskInput = {
          experiment: plan.experiment.name,
          modules,
          seed: plan.spec.seed,
          pointKey: point.key,
          point: point.index,
          params: point.params,
          r0: task.r0,
          r1: task.r1,
          metricCount: plan.metrics.length,
        };
        inFlight++;
        ex.run(input).then(
          (values) => {
            inFlight--;
            try {
              if (values.length !== (task.r1 - task.r0) * plan.metrics.length) {
                throw new MechlabError(
                  'ERR_INVALID_INPUT',
                  `task ${task.id} returned ${values.length} values`,
                  'task',
                );
              }
              onDone(task, values);
            } catch (e) {
              failure ??= e;
            }
            pump();
            finish();
          },
          (e: unknown) => {
            inFlight--;
            failure ??= e;
            finish();
          },
        );
      }
      finish();
    };
    signal?.addEventListener('abort', () => finish(), { once: true });
    pump();
  });
}
