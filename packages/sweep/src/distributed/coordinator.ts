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
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MechlabError } from '@mechlab/core';
import { Queue } from 'bullmq';
import { getFigureRenderer } from '../figure';
import { JournalWriter, hasJournalHeader, scanJournal, type JournalEntry } from '../journal';
import { FILES, finalizeSweep, makeManifest, readManifest, writeManifest } from '../output';
import type { SweepProgress } from '../progress';
import type { RunSweepOptions, SweepSummary } from '../run';
import { parseSweepSpec, planSweep, type SweepSpec } from '../spec';
import type { TaskInput } from '../task';
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
  readonly resume?: boolean | undefined;
  readonly onProgress?: ((p: SweepProgress) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly render?: RunSweepOptions['render'];
  readonly duckdb?: boolean | undefined;
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

function clearOutputs(out: string): void {
  for (const f of Object.values(FILES)) {
    if (f === FILES.journal) continue;
    fs.rmSync(path.join(out, f), { force: true });
  }
  fs.rmSync(path.join(out, `${FILES.duckdb}.wal`), { force: true });
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
  const t0 = Date.now();
  const plan = planSweep(parseSweepSpec(spec));
  const sweepId = plan.specHash;
  if (typeof opts.out !== 'string' || opts.out === '') {
    throw new MechlabError(
      'ERR_INVALID_TYPE',
      `out must be a directory path, got ${String(opts.out)}`,
      'out',
    );
  }
  const redis = await openRedis(opts.target);
  const connection = bullConnection(opts.target);
  const queue = new Queue<SweepJobData>(QUEUE_NAME, { connection });
  queue.on('error', () => undefined);
  const lost = (e: unknown): never => {
    throw e instanceof MechlabError ? e : new RedisUnreachableError(opts.target.url, reasonOf(e));
  };
  let writer: JournalWriter | undefined;
  try {
    const out = path.resolve(opts.out);
    fs.mkdirSync(out, { recursive: true });
    const journalFile = path.join(out, FILES.journal);
    const instancesTotal = plan.tasks.reduce((a, t) => a + (t.r1 - t.r0), 0);
    let committed = new Map<string, JournalEntry>();
    if (opts.resume && hasJournalHeader(journalFile)) {
      const scan = scanJournal(journalFile);
      const manifest = fs.existsSync(path.join(out, FILES.manifest)) ? readManifest(out, 'out') : undefined;
      if (
        scan.specHash !== plan.specHash ||
        (manifest && manifest.specHash !== plan.specHash) ||
        manifest?.shard
      ) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `out ${out} holds a different sweep (spec hash ${scan.specHash}, this spec ${plan.specHash}); use another --out or drop --resume`,
          'out',
        );
      }
      committed = scan.tasks;
      writer = JournalWriter.resume(journalFile, scan.validEnd);
    } else {
      clearOutputs(out);
      writer = JournalWriter.create(journalFile, plan.specHash, plan.metrics.length);
    }
    const skippedTasks = committed.size;
    const skipped = plan.tasks.filter((t) => committed.has(t.id)).reduce((a, t) => a + (t.r1 - t.r0), 0);
    writeManifest(out, makeManifest(plan, undefined, plan.tasks.length, instancesTotal, skippedTasks));

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
    await redis.send('HDEL', [meta, 'error']).catch(lost);
    // Restore counters from what Redis already holds (a coordinator restarted mid-sweep).
    const published = new Set(await redis.send<string[]>('HKEYS', [resultsKey]).catch(lost));

    // Enqueue the rest, heaviest first. Idempotent: an existing job id is not added twice.
    const cost = plan.points.map((p) => plan.experiment.cost?.(p.params) ?? 1);
    const todo = plan.tasks
      .filter((t) => !committed.has(t.id) && !published.has(t.id))
      .sort((a, b) => cost[b.point]! * (b.r1 - b.r0) - cost[a.point]! * (a.r1 - a.r0) || a.index - b.index);
    const modules = plan.experiment.module ? [plan.experiment.module] : [];
    const attempts = opts.attempts ?? 3;
    for (let i = 0; i < todo.length; i += 500) {
      await queue
        .addBulk(
          todo.slice(i, i + 500).map((t) => {
            const point = plan.points[t.point]!;
            const input: TaskInput = {
              experiment: plan.experiment.name,
              modules,
              seed: plan.spec.seed,
              pointKey: point.key,
              point: point.index,
              params: point.params,
              r0: t.r0,
              r1: t.r1,
              metricCount: plan.metrics.length,
            };
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
    let done = skipped;
    let tasksDone = skippedTasks;
    const progress = (): void =>
      opts.onProgress?.({
        done,
        total: instancesTotal,
        skipped,
        tasksDone,
        tasksTotal: plan.tasks.length,
        elapsedMs: Date.now() - t0,
      });
    progress();

    // Consume results in publication order. The `done` list only grows; `cursor` is our position.
    let cursor = 0;
    let aborted = false;
    const pollMs = opts.pollMs ?? 100;
    let lastErrorCheck = 0;
    while (tasksDone < plan.tasks.length) {
      if (opts.signal?.aborted) {
        aborted = true;
        break;
      }
      const ids = await redis
        .send<string[]>('LRANGE', [sweepKey(sweepId, 'done'), String(cursor), '-1'])
        .catch(lost);
      const fresh = ids.filter((id) => !committed.has(id));
      cursor += ids.length;
      if (fresh.length > 0) {
        const texts = await redis.send<(string | null)[]>('HMGET', [resultsKey, ...fresh]).catch(lost);
        fresh.forEach((id, k) => {
          const t = byId.get(id);
          const text = texts[k];
          if (!t || typeof text !== 'string' || committed.has(id)) return;
          const rows = t.r1 - t.r0;
          if (lineCount(text) !== rows) {
            throw new MechlabError(
              'ERR_INVALID_INPUT',
              `task ${id}: result has ${lineCount(text)} rows, expected ${rows}`,
              'task',
            );
          }
          writer!.commit(id, text, rows);
          committed.set(id, { file: journalFile, start: 0, end: 0, rows });
          done += rows;
          tasksDone++;
        });
        progress();
        continue;
      }
      if (Date.now() - lastErrorCheck > 1000) {
        lastErrorCheck = Date.now();
        const err = await redis.send<string | null>('HGET', [meta, 'error']).catch(lost);
        if (err)
          throw new MechlabError('ERR_INVALID_INPUT', `distributed sweep ${sweepId} failed: ${err}`, 'task');
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
    writer.close();
    writer = undefined;

    const complete = !aborted && tasksDone === plan.tasks.length;
    let files: Record<string, string> = { manifest: path.join(out, FILES.manifest), journal: journalFile };
    const warnings: string[] = [];
    if (complete) {
      const scan = scanJournal(journalFile);
      const r = await finalizeSweep(plan, out, scan.tasks, {
        render: opts.render === undefined ? getFigureRenderer() : opts.render,
        duckdb: opts.duckdb,
      });
      files = { ...files, ...r.files };
      warnings.push(...r.warnings);
      // The rows now live in the journal: free Redis, keep the meta for `--status`.
      await redis.send('DEL', [resultsKey, sweepKey(sweepId, 'done')]).catch(lost);
      await redis.send('HSET', [meta, 'status', 'complete']).catch(lost);
    }
    writeManifest(out, makeManifest(plan, undefined, plan.tasks.length, instancesTotal, tasksDone));
    const elapsedMs = Date.now() - t0;
    return {
      status: aborted ? 'aborted' : 'complete',
      experiment: plan.spec.experiment,
      name: plan.spec.name,
      out,
      specHash: plan.specHash,
      shard: null,
      workers: 0,
      points: plan.points.length,
      tasks: {
        total: plan.tasks.length,
        inShard: plan.tasks.length,
        skipped: skippedTasks,
        run: tasksDone - skippedTasks,
      },
      instances: { total: instancesTotal, done, run: done - skipped },
      elapsedMs,
      rate: elapsedMs > 0 ? ((done - skipped) * 1000) / elapsedMs : 0,
      files,
      warnings,
    };
  } finally {
    writer?.close();
    await queue.close().catch(() => undefined);
    (connection as unknown as { disconnect(): void }).disconnect();
    redis.close();
  }
}
