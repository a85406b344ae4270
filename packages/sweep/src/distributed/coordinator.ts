/**
 * The coordinator of a distributed sweep (`mechlab sweep SPEC --queue URL`): validate and plan the spec
 * exactly like a local sweep, store it in Redis under the sweep id (= the spec hash), enqueue one bullmq
 * job per task not already done (job id `<sweepId>_<taskId>`, so re-enqueueing is a no-op), then read
 * published results in the order workers finished them and append each task to the local journal
 * exactly once. The journal is the local engine's format, so `--resume` and finalize are the local
 * ones, and the output files are byte-identical to a local run.
 *
 * At-least-once + idempotent writes: a task may run twice (a worker killed after publishing, a stalled
 * job retried), but Redis keeps the first result per task id and the coordinator skips ids its journal
 * already holds.
 */
import { MechlabError } from '@mechlab/core';
import type { Queue } from 'bullmq';
import { bullmq } from './lazy';
import { registerSweepBackends } from '../backend';
import { SweepLifecycle, type SweepSummary } from '../lifecycle';
import type { SweepProgress } from '../progress';
import type { RunSweepOptions } from '../run';
import { withSpecModule, type ExperimentList } from '../source';
import { parseSweepSpec, planSweep, type SweepSpec } from '../spec';
import { ExperimentRunError } from '../task';
import {
  QUEUE_NAME,
  RedisUnreachableError,
  bullConnection,
  jobId,
  openRedis,
  reasonOf,
  sweepKey,
  type QueueTarget,
} from './connection';
import type { SweepJobData } from './worker';

/** Options of {@link runDistributedSweep}. */
export interface DistributedSweepOptions {
  readonly target: QueueTarget;
  readonly out: string;
  /** The experiments the spec may name; a spec with `"module"` adds its own (resolved against `cwd`). */
  readonly experiments: ExperimentList;
  readonly cwd?: string | undefined;
  readonly resume?: boolean | undefined;
  /** Write into a non-empty `out` that does not hold this sweep (`--force`). */
  readonly force?: boolean | undefined;
  readonly onProgress?: ((p: SweepProgress) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly render?: RunSweepOptions['render'];
  readonly duckdb?: boolean | undefined;
  /**
   * Kernel backend every queue worker runs the tasks on (it travels in each task; a worker that cannot
   * run it fails the task). Default and resume rule as `runSweep`'s `backend`.
   */
  readonly backend?: RunSweepOptions['backend'];
  /** Result polling interval (ms, default 100). */
  readonly pollMs?: number | undefined;
  /** Called once the tasks are in the queue (with the sweep id and the number of tasks enqueued). */
  readonly onQueued?: ((sweepId: string, enqueued: number) => void) | undefined;
  /** Delivery attempts per task when the experiment throws (default 3). */
  readonly attempts?: number | undefined;
}

/** Progress of a sweep as stored in Redis (readable from any machine). */
export interface DistributedStatus {
  readonly sweepId: string;
  readonly name: string;
  readonly experiment: string;
  readonly status: string;
  readonly tasksDone: number;
  readonly tasksTotal: number;
  readonly instancesDone: number;
  readonly instancesTotal: number;
  readonly error: string | null;
}

/** Count `\n` in a rows text. */
function lineCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Read a sweep's progress from Redis. Null when Redis holds no such sweep.
 * @throws RedisUnreachableError
 */
export async function readDistributedStatus(
  target: QueueTarget,
  sweepId: string,
): Promise<DistributedStatus | null> {
  const redis = await openRedis(target);
  try {
    const flat = await redis.send<string[]>('HGETALL', [sweepKey(sweepId, 'meta')]);
    if (flat.length === 0) return null;
    const h: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i]!] = flat[i + 1]!;
    return {
      sweepId,
      name: h['name'] ?? '',
      experiment: h['experiment'] ?? '',
      status: h['status'] ?? 'running',
      tasksDone: Number(h['tasksDone'] ?? 0),
      tasksTotal: Number(h['tasks'] ?? 0),
      instancesDone: Number(h['instancesDone'] ?? 0),
      instancesTotal: Number(h['instances'] ?? 0),
      error: h['error'] ?? null,
    };
  } catch (e) {
    throw new RedisUnreachableError(target.url, reasonOf(e));
  } finally {
    redis.close();
  }
}

/**
 * Run (or resume) a sweep through the queue; workers (`startQueueWorker`, any number, any machine)
 * compute the tasks. Resolves when every task is journaled and the outputs are finalized — byte-identical
 * to `runSweep` with the same spec. Waits for workers indefinitely (use `signal` to stop; the summary then
 * says `aborted` and `resume` continues).
 * @throws MechlabError (bad spec, other sweep in `out`, a task that failed on every attempt),
 *   RedisUnreachableError (Redis down at start or lost mid-run).
 */
export async function runDistributedSweep(
  spec: SweepSpec | unknown,
  opts: DistributedSweepOptions,
): Promise<SweepSummary> {
  // The default backend is this process's fastest registered one (the manifest records it).
  registerSweepBackends();
  const loaded = await withSpecModule(spec, opts.experiments, opts.cwd);
  const plan = planSweep(parseSweepSpec(loaded.doc, loaded.experiments), loaded.experiments);
  const sweepId = plan.specHash;
  if (typeof opts.out !== 'string' || opts.out === '') {
    throw new MechlabError(
      'ERR_INVALID_TYPE',
      `out must be a directory path, got ${String(opts.out)}`,
      'out',
    );
  }
  if (!plan.experiment.source) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `experiment ${plan.experiment.name} has no \`source\` module, so queue workers cannot load it`,
      'spec.experiment',
    );
  }
  const redis = await openRedis(opts.target);
  const connection = bullConnection(opts.target);
  const queue: Queue<SweepJobData> = new (bullmq().Queue)<SweepJobData>(QUEUE_NAME, { connection });
  queue.on('error', () => undefined);
  const lost = (e: unknown): never => {
    throw e instanceof MechlabError ? e : new RedisUnreachableError(opts.target.url, reasonOf(e));
  };
  let life: SweepLifecycle | undefined;
  try {
    life = SweepLifecycle.open(plan, {
      out: opts.out,
      resume: opts.resume,
      force: opts.force,
      wholeSweepOnly: true,
      backend: opts.backend,
      onProgress: opts.onProgress,
    });
    const instancesTotal = life.instancesTotal;

    // Store the sweep (spec, totals) for workers' errors and `--status` from any machine.
    const meta = sweepKey(sweepId, 'meta');
    const resultsKey = sweepKey(sweepId, 'results');
    await redis
      .send('HSET', [
        meta,
        'spec',
        JSON.stringify(plan.spec),
        'name',
        plan.spec.name,
        'experiment',
        plan.spec.experiment,
        'tasks',
        String(plan.tasks.length),
        'instances',
        String(instancesTotal),
        'status',
        'running',
      ])
      .catch(lost);
    await redis.send('HDEL', [meta, 'error', 'errorKind']).catch(lost);
    // Restore counters from what Redis already holds (a coordinator restarted mid-sweep).
    const published = new Set(await redis.send<string[]>('HKEYS', [resultsKey]).catch(lost));

    // Enqueue the rest, heaviest first. Idempotent: an existing job id is not added twice.
    const todo = life.pending().filter((t) => !published.has(t.id));
    const attempts = opts.attempts ?? 3;
    for (let i = 0; i < todo.length; i += 500) {
      await queue
        .addBulk(
          todo.slice(i, i + 500).map((t) => {
            const input = life!.taskInput(t);
            return {
              name: t.id,
              data: { sweepId, taskId: t.id, input },
              opts: {
                jobId: jobId(sweepId, t.id),
                attempts,
                backoff: { type: 'fixed', delay: 200 },
                removeOnComplete: true,
                removeOnFail: true,
              },
            };
          }),
        )
        .catch(lost);
    }

    opts.onQueued?.(sweepId, todo.length);
    const byId = new Map(plan.tasks.map((t) => [t.id, t]));
    life.progress();

    // Consume results in publication order. The `done` list only grows; `cursor` is our position.
    let cursor = 0;
    let aborted = false;
    const pollMs = opts.pollMs ?? 100;
    let lastErrorCheck = 0;
    while (life.completedTasks < plan.tasks.length) {
      if (opts.signal?.aborted) {
        aborted = true;
        break;
      }
      const ids = await redis
        .send<string[]>('LRANGE', [sweepKey(sweepId, 'done'), String(cursor), '-1'])
        .catch(lost);
      const fresh = ids.filter((id) => !life!.has(id));
      cursor += ids.length;
      if (fresh.length > 0) {
        const texts = await redis.send<(string | null)[]>('HMGET', [resultsKey, ...fresh]).catch(lost);
        fresh.forEach((id, k) => {
          const t = byId.get(id);
          const text = texts[k];
          if (!t || typeof text !== 'string') return;
          const rows = t.r1 - t.r0;
          if (lineCount(text) !== rows) {
            throw new MechlabError(
              'ERR_INVALID_INPUT',
              `task ${id}: result has ${lineCount(text)} rows, expected ${rows}`,
              'task',
            );
          }
          life!.commitText(t, text);
        });
        continue;
      }
      if (Date.now() - lastErrorCheck > 1000) {
        lastErrorCheck = Date.now();
        const [err, kind] = await redis
          .send<(string | null)[]>('HMGET', [meta, 'error', 'errorKind'])
          .catch(lost);
        if (err) {
          // An exception inside the experiment is exit 1 like a local run; anything else is bad input.
          if (kind === 'run') throw new ExperimentRunError(err);
          throw new MechlabError('ERR_INVALID_INPUT', `distributed sweep ${sweepId} failed: ${err}`, 'task');
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        opts.signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
    }
    const complete = !aborted && life.completedTasks === plan.tasks.length;
    const summary = await life.finish({ aborted, workers: 0, render: opts.render, duckdb: opts.duckdb });
    if (complete) {
      // The rows now live in the journal: free Redis, keep the meta for `--status`.
      await redis.send('DEL', [resultsKey, sweepKey(sweepId, 'done')]).catch(lost);
      await redis.send('HSET', [meta, 'status', 'complete']).catch(lost);
    }
    return summary;
  } finally {
    life?.close();
    await queue.close().catch(() => undefined);
    (connection as unknown as { disconnect(): void }).disconnect();
    redis.close();
  }
}
