/**
 * `runSweep`: plan → (resume) → schedule tasks on an executor → journal each result as it arrives →
 * finalize in canonical order. The CLI command `mechlab sweep` is a thin wrapper around this.
 */
import * as os from 'node:os';
import { MechlabError, type BackendName } from '@mechlab/core';
import { registerSweepBackends } from './backend';
import { preloadDuckDb } from './duckdb';
import { trace } from './trace';
import type { FigureRenderer } from './figure';
import { SweepLifecycle, type SweepSummary } from './lifecycle';
import { defaultWorkers, inlineExecutor, poolExecutor, type Executor } from './pool';
import type { SweepProgress } from './progress';
import { withSpecModule, type ExperimentList } from './source';
import { parseShard, type ShardSpec } from './shard';
import { parseSweepSpec, planSweep, type SweepSpec, type TaskRef } from './spec';

export type { SweepSummary } from './lifecycle';

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** Output directory (created if needed). */
  readonly out: string;
  /**
   * The experiments the spec may name (e.g. the CLI's catalogue). A spec with `"module"` adds its own;
   * its relative path is resolved against `cwd`.
   */
  readonly experiments: ExperimentList;
  /** Directory a spec's relative `module` is resolved against (default `process.cwd()`). */
  readonly cwd?: string | undefined;
  /**
   * Worker threads; 0 or `'inline'` runs in the calling thread. Default `os.availableParallelism()` —
   * except that a sweep whose remaining work the experiment's cost model puts under `AUTO_INLINE_COST`
   * (≈ 1 s) runs inline, because starting threads would cost more than they save.
   */
  readonly workers?: number | 'inline' | undefined;
  /** Continue the sweep already in `out` (skip its committed tasks). Without it, `out` is started afresh. */
  readonly resume?: boolean | undefined;
  /** Write into a non-empty `out` that does not hold this sweep (`--force`). */
  readonly force?: boolean | undefined;
  /** Run only shard `i/k` (0-based); combine shard directories with `mergeShards`. */
  readonly shard?: string | ShardSpec | undefined;
  /** Called after every finished task (and once at the start). */
  readonly onProgress?: ((p: SweepProgress) => void) | undefined;
  /** Stop dispatching when aborted; running tasks finish and are journaled, then the summary says `aborted`. */
  readonly signal?: AbortSignal | undefined;
  /** Figure renderer (e.g. the CLI's, drawn with @mechlab/plot); absent or `false`: `figure.json` only. */
  readonly render?: FigureRenderer | false | undefined;
  /** Build `results.duckdb` (default true). */
  readonly duckdb?: boolean | undefined;
  /**
   * Kernel backend of every task (`'ts'`, `'wasm'`), recorded in `manifest.json` as `"backend"`.
   * Default: on `resume` the manifest's, else the fastest registered (`defaultBackend()`); resuming
   * with another backend than the manifest's is refused (MechlabError naming `backend`).
   */
  readonly backend?: BackendName | undefined;
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
  trace('runSweep', { origin: performance.timeOrigin });
  // Inline tasks run in this thread: give it the same backends as the pool's threads.
  registerSweepBackends();
  const loaded = await withSpecModule(spec, opts.experiments, opts.cwd);
  const plan = planSweep(parseSweepSpec(loaded.doc, loaded.experiments), loaded.experiments);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard, 'shard');
  let workers = resolveWorkers(opts.workers);
  const life = SweepLifecycle.open(plan, {
    out: opts.out,
    resume: opts.resume,
    force: opts.force,
    shard,
    backend: opts.backend,
    onProgress: opts.onProgress,
  });
  const pending = life.pending();
  // Issue 18: `--workers 1024` started 1024 threads for 6 tasks (3.7 GB). More threads than tasks or
  // than cores only cost memory and start-up time (results are identical for any count).
  if (workers > 0) workers = Math.max(1, Math.min(workers, pending.length, os.availableParallelism()));
  if (opts.workers === undefined && plan.experiment.cost) {
    const cost = life.pointCosts();
    const work = pending.reduce((a, t) => a + cost[t.point]! * (t.r1 - t.r0), 0);
    if (work < AUTO_INLINE_COST) workers = 0;
  }
  life.progress();
  trace('planned');

  let aborted = false;
  let executor: Executor | undefined;
  try {
    if (pending.length > 0) {
      if (workers > 0 && !plan.experiment.source) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `experiment ${plan.experiment.name} has no \`source\` module, so worker threads cannot load it; set source or use workers: 0`,
          'workers',
        );
      }
      executor = workers === 0 ? inlineExecutor(plan.experiment) : poolExecutor(workers);
      trace('pool');
      const running = schedule(life, pending, executor, opts.signal);
      // The worker threads take ≈ 0.2 s to start (Node, module load, WASM compile), during which this
      // thread only waits: load finalize's native modules now instead of after the last task (issue 14).
      if (workers > 0 && !shard) setImmediate(() => prepareFinalize(opts));
      aborted = await running;
    }
  } catch (e) {
    life.close();
    await executor?.close();
    throw e;
  }
  trace('scheduled');
  life.close();
  // Terminating the worker threads takes tens of ms: let it overlap the finalize step (issue 14).
  const closing = executor?.close();
  try {
    return await life.finish({ aborted, workers, render: opts.render, duckdb: opts.duckdb });
  } finally {
    await closing;
  }
}

/** Load what finalize will need (DuckDB's binding, the renderer's rasteriser) ahead of time. */
function prepareFinalize(opts: RunSweepOptions): void {
  if (opts.duckdb !== false) preloadDuckDb();
  if (opts.render) opts.render.prepare?.();
}

/**
 * Keep `2 × threads` tasks in flight (one running, one queued per thread, so a thread never waits for
 * the main thread) and hand each result to `onDone` as it arrives. Returns whether it was aborted.
 * On a task error: stop dispatching, let in-flight tasks finish (their results are journaled, so a
 * resume keeps them), then rethrow.
 */
async function schedule(
  life: SweepLifecycle,
  tasks: readonly TaskRef[],
  ex: Executor,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const window = Math.max(1, ex.threads * 2);
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
        inFlight++;
        ex.run(life.taskInput(task)).then(
          (values) => {
            inFlight--;
            trace('result', { id: task.id });
            try {
              life.commitValues(task, values);
            } catch (e) {
              failure ??= e;
            }
            trace('committed', { id: task.id });
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
