/**
 * `mechlab worker --queue URL`: take sweep tasks from the bullmq queue, run them with the same
 * `runTask` as local sweeps (inline, or on a piscina pool when `concurrency > 1`), and publish each
 * result with one atomic script: the first result for a task id wins (`HSETNX`), later duplicates from
 * at-least-once delivery are dropped — harmless, because a task's rows are a pure function of the task.
 *
 * Crash safety comes from bullmq: a job is held under a lock renewed every `lockMs / 2`; a worker that
 * dies (SIGKILL, power loss) stops renewing, and after `lockMs` another worker's stalled-job check puts
 * the job back in the queue (up to `maxStalledCount` times).
 */
import { MechlabError } from '@mechlab/core';
import type { Job } from 'bullmq';
import { bullmq } from './lazy';
import { formatTaskRows } from '../journal';
import { registerSweepBackends } from '../backend';
import { poolExecutor, type Executor } from '../pool';
import { experimentFromSource } from '../source';
import { runTask, type TaskInput } from '../task';
import { QUEUE_NAME, bullConnection, openRedis, sweepKey, type QueueTarget } from './connection';

/** What the coordinator puts in a job. */
export interface SweepJobData {
  readonly sweepId: string;
  readonly taskId: string;
  readonly input: TaskInput;
}

/**
 * KEYS: results hash, done list, meta hash. ARGV: task id, rows text, row count.
 * Returns 1 if this was the first result for the task, 0 for a duplicate.
 */
export const PUBLISH_SCRIPT = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[1])
  redis.call('HINCRBY', KEYS[3], 'instancesDone', ARGV[3])
  redis.call('HINCRBY', KEYS[3], 'tasksDone', 1)
  return 1
end
return 0`;

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  readonly target: QueueTarget;
  /** Jobs in flight (default 1: inline; N > 1 runs N piscina threads). */
  readonly concurrency?: number | undefined;
  /** Stop after the queue has been idle this long (ms); undefined = run until `close()`. */
  readonly idleExitMs?: number | undefined;
  /** Job lock duration (ms, default 30000): a dead worker's job is retried after about this long. */
  readonly lockMs?: number | undefined;
  /** Called after every task this worker finishes (`duplicate`: another worker published it first). */
  readonly onTask?:
    ((e: { taskId: string; sweepId: string; duplicate: boolean; ms: number }) => void) | undefined;
}

/** Counts a worker reports when it stops. */
export interface QueueWorkerSummary {
  readonly tasks: number;
  readonly duplicates: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

/** A running worker. */
export interface QueueWorkerHandle {
  /** Resolves when the worker has stopped (idle exit or `close`). */
  readonly done: Promise<QueueWorkerSummary>;
  /** Finish the jobs in hand, then stop. */
  close(): Promise<QueueWorkerSummary>;
}

/** This thread, importing each task's experiment from its `source` module (once per module). */
function sourceExecutor(): Executor {
  return {
    kind: 'inline',
    threads: 0,
    run: async (input) => {
      if (!input.source) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `task of ${input.experiment} names no source module`,
          'task.source',
        );
      }
      return (await runTask(input, await experimentFromSource(input.source))).values;
    },
    close: async () => {},
  };
}

/**
 * Start a queue worker. Rejects with RedisUnreachableError (within the connect timeout) when Redis is
 * down. O(1) memory beyond the jobs in hand.
 */
export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const t0 = Date.now();
  // Concurrency 1 runs tasks in this thread: register its backends (pool threads do so in worker.ts).
  registerSweepBackends();
  const redis = await openRedis(opts.target);
  const concurrency = opts.concurrency ?? 1;
  // Either executor imports the experiment from the module the task names (no registry).
  const executor: Executor = concurrency > 1 ? poolExecutor(concurrency) : sourceExecutor();
  const lockMs = opts.lockMs ?? 30_000;
  let tasks = 0;
  let duplicates = 0;
  let failed = 0;
  let active = 0;
  let last = Date.now();

  const processJob = async (job: Job<SweepJobData>): Promise<string> => {
    const { sweepId, taskId, input } = job.data;
    const start = Date.now();
    const values = await executor.run(input);
    const rows = input.r1 - input.r0;
    if (values.length !== rows * input.metricCount) {
      throw new Error(
        `task ${taskId} returned ${values.length} values, expected ${rows * input.metricCount}`,
      );
    }
    const text = formatTaskRows(input.point, input.r0, values, input.metricCount);
    const first = await redis.send<number>('EVAL', [
      PUBLISH_SCRIPT,
      '3',
      sweepKey(sweepId, 'results'),
      sweepKey(sweepId, 'done'),
      sweepKey(sweepId, 'meta'),
      taskId,
      text,
      String(rows),
    ]);
    tasks++;
    if (first !== 1) duplicates++;
    opts.onTask?.({ taskId, sweepId, duplicate: first !== 1, ms: Date.now() - start });
    return taskId;
  };

  const connection = bullConnection(opts.target);
  const worker = new (bullmq().Worker)<SweepJobData, string>(QUEUE_NAME, processJob, {
    connection,
    concurrency,
    lockDuration: lockMs,
    stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
    maxStalledCount: 5,
    drainDelay: 1,
  });
  worker.on('error', () => {
    // Connection hiccups: bullmq retries; an idle worker still exits on its idle timer.
  });
  worker.on('active', () => {
    active++;
    last = Date.now();
  });
  const settle = (): void => {
    active = Math.max(0, active - 1);
    last = Date.now();
  };
  worker.on('completed', settle);
  worker.on('failed', (job: Job<SweepJobData> | undefined, err: Error) => {
    settle();
    failed++;
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      void redis
        .send('HSET', [
          sweepKey(job.data.sweepId, 'meta'),
          'error',
          `task ${job.data.taskId}: ${err.message}`,
          'errorKind',
          err.name === 'ExperimentRunError' ? 'run' : 'other',
        ])
        .catch(() => undefined);
    }
  });

  let closing: Promise<QueueWorkerSummary> | undefined;
  let resolveDone!: (s: QueueWorkerSummary) => void;
  const done = new Promise<QueueWorkerSummary>((r) => (resolveDone = r));
  let idleTimer: NodeJS.Timeout | undefined;
  const close = (): Promise<QueueWorkerSummary> => {
    closing ??= (async () => {
      if (idleTimer) clearInterval(idleTimer);
      await worker.close().catch(() => undefined);
      await executor.close();
      (connection as unknown as { disconnect(): void }).disconnect();
      redis.close();
      const s = { tasks, duplicates, failed, elapsedMs: Date.now() - t0 };
      resolveDone(s);
      return s;
    })();
    return closing;
  };
  if (opts.idleExitMs !== undefined) {
    const idleMs = opts.idleExitMs;
    idleTimer = setInterval(
      () => {
        if (active === 0 && Date.now() - last >= idleMs) void close();
      },
      Math.min(250, Math.max(20, idleMs / 4)),
    );
  }
  return { done, close };
}
