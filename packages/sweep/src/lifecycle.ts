/**
 * One sweep lifecycle — plan, journal, resume, finalize — shared by both executors: the local run
 * (`runSweep`: inline or a piscina pool) and the distributed coordinator (`runDistributedSweep`: a
 * bullmq queue). An executor only decides where tasks run; everything that touches the output
 * directory is here, so a local and a queued run of one spec write byte-identical files and either
 * can resume the other's journal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MechlabError, type BackendName } from '@mechlab/core';
import { ensureBackend } from './backend';
import type { FigureRenderer } from './figure';
import {
  TEMP_MARK,
  assertInside,
  ensureDirectory,
  processAlive,
  removeStaleTemps as removeIoTemps,
} from '@mechlab/io';
import { JournalWriter, formatTaskRows, hasJournalHeader, scanJournal, type JournalEntry } from './journal';
import { finalizeSweep } from './output';
import { FILES, makeManifest, readManifest, writeManifest } from './manifest';
import type { SweepProgress } from './progress';
import { inShard, type ShardSpec } from './shard';
import type { SweepPlan, TaskRef } from './spec';
import type { TaskInput } from './task';
import { trace } from './trace';

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
  /** Worker threads used (0 = inline or a queue). */
  readonly workers: number;
  /** The kernel backend every task ran on (as in `manifest.json`; null: merged pre-issue-12 shards). */
  readonly backend: BackendName | null;
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

/** Options of {@link SweepLifecycle.open}. */
export interface LifecycleOptions {
  readonly out: string;
  readonly resume?: boolean | undefined;
  readonly shard?: ShardSpec | undefined;
  /** A queue sweep refuses to resume a shard's directory (it always runs the whole sweep). */
  readonly wholeSweepOnly?: boolean | undefined;
  /** Write into a non-empty `out` that does not hold this sweep (`--force`). */
  readonly force?: boolean | undefined;
  /**
   * The kernel backend to run (checked against this thread's registry). Default: on `resume`, the
   * backend in `out`'s manifest; otherwise the fastest registered (`defaultBackend()`). Resuming with
   * a different backend than the manifest's is refused: one sweep directory, one backend.
   */
  readonly backend?: BackendName | undefined;
  readonly onProgress?: ((p: SweepProgress) => void) | undefined;
}

function shardText(s: ShardSpec | null | undefined): string | null {
  return s ? `${s.index}/${s.count}` : null;
}

/**
 * Temporary files of the sweep's writers before they went through @mechlab/io (`rows.csv.tmp-<pid>`,
 * `results.duckdb.tmp-<pid>.wal`): still recognised, so a directory left by an older mechlab is cleaned.
 */
const SWEEP_TEMP = /\.tmp-(\d+)(\.wal)?$/;

/**
 * Remove temporary files left in `out` by a killed run (issue 18: a SIGKILL during finalize left
 * `results.duckdb.tmp-*` files that survived a successful resume): every `<result file>.tmp-<pid>`
 * whose process is gone, and @mechlab/io's own `*.mechlab-tmp-*` files.
 */
function removeStaleTemps(out: string): void {
  removeIoTemps(out);
  const results = new Set<string>(Object.values(FILES));
  for (const name of fs.readdirSync(out)) {
    const m = SWEEP_TEMP.exec(name);
    if (!m || !results.has(name.slice(0, m.index))) continue;
    if (processAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(out, name), { force: true });
  }
}

/**
 * Is `out` free for this sweep without `--resume`? Yes when it is empty, or holds only sweep files
 * (plus temporaries) and, if it has a manifest, the manifest is this sweep's (same spec hash and shard).
 * Otherwise it is a user's directory or another sweep's, and the run refuses unless `force`.
 */
function checkClaim(out: string, plan: SweepPlan, shard: ShardSpec | undefined, force: boolean): void {
  if (force) return;
  const known = new Set<string>([...Object.values(FILES), `${FILES.duckdb}.wal`]);
  const entries = fs.readdirSync(out).filter((n) => !SWEEP_TEMP.test(n) && !n.includes(TEMP_MARK));
  if (entries.length === 0) return;
  const foreign = entries.filter((n) => !known.has(n));
  let other: string | undefined;
  if (foreign.length === 0 && entries.includes(FILES.manifest)) {
    let m: ReturnType<typeof readManifest> | undefined;
    try {
      // Only a regular file is read: a manifest.json symlinked to /dev/zero must not be.
      if (fs.lstatSync(path.join(out, FILES.manifest)).isFile()) m = readManifest(out, 'out');
    } catch {
      m = undefined;
    }
    if (!m) other = 'a manifest.json that is not a readable sweep manifest';
    else if (m.specHash !== plan.specHash) other = `another sweep (${m.name}, spec hash ${m.specHash})`;
    else if (shardText(m.shard) !== shardText(shard))
      other = `shard ${shardText(m.shard) ?? 'none'} of this sweep`;
  }
  if (foreign.length === 0 && other === undefined) return;
  const what =
    other ?? `files no sweep writes (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''})`;
  throw new MechlabError(
    'ERR_INVALID_INPUT',
    `${out} is not empty and holds ${what}; choose another --out, pass --resume to continue this sweep, or --force to replace its files`,
    'out',
  );
}

/** Remove the result files of an earlier run (the journal is recreated separately). */
function clearOutputs(out: string): void {
  for (const f of Object.values(FILES)) {
    if (f === FILES.journal) continue;
    fs.rmSync(path.join(out, f), { force: true });
  }
  fs.rmSync(path.join(out, `${FILES.duckdb}.wal`), { force: true });
}

/** An output directory being filled by one run of one plan. */
export class SweepLifecycle {
  /** Tasks of this run's shard (all tasks without a shard), canonical order. */
  readonly mine: readonly TaskRef[];
  readonly instancesTotal: number;
  /** Tasks and instances already in the journal when the run started. */
  readonly skippedTasks: number;
  readonly skipped: number;
  readonly journalFile: string;
  private readonly committed: Map<string, JournalEntry>;
  private writer: JournalWriter | undefined;
  private done: number;
  private tasksDone: number;
  private readonly t0 = Date.now();
  /** Problems found while opening (corrupt journal blocks), reported in the summary. */
  readonly warnings: string[] = [];

  private constructor(
    readonly plan: SweepPlan,
    readonly out: string,
    readonly shard: ShardSpec | undefined,
    /** The kernel backend every task of this run carries. */
    readonly backend: BackendName,
    private readonly onProgress: ((p: SweepProgress) => void) | undefined,
    committed: Map<string, JournalEntry>,
    writer: JournalWriter,
  ) {
    this.journalFile = path.join(out, FILES.journal);
    this.mine = plan.tasks.filter((t) => inShard(t, shard));
    this.instancesTotal = this.mine.reduce((a, t) => a + (t.r1 - t.r0), 0);
    this.committed = committed;
    this.writer = writer;
    const already = this.mine.filter((t) => committed.has(t.id));
    this.skippedTasks = already.length;
    this.skipped = already.reduce((a, t) => a + (t.r1 - t.r0), 0);
    this.done = this.skipped;
    this.tasksDone = this.skippedTasks;
    writeManifest(
      out,
      makeManifest(plan, shard, this.mine.length, this.instancesTotal, this.skippedTasks, backend),
    );
  }

  /**
   * Prepare `out`: with `resume` and a journal there, check that it holds this sweep (same spec hash,
   * same shard) and reopen the journal after its last whole task; otherwise clear old results and
   * start a fresh journal. Resolves the backend (see {@link LifecycleOptions.backend}). Writes the
   * manifest.
   * @throws MechlabError naming `out` (another sweep), `shard` (another shard) or `backend` (unknown,
   *   unavailable here, or not the backend `out` was started with).
   */
  static open(plan: SweepPlan, opts: LifecycleOptions): SweepLifecycle {
    if (typeof opts.out !== 'string' || opts.out === '') {
      throw new MechlabError(
        'ERR_INVALID_TYPE',
        `out must be a directory path, got ${String(opts.out)}`,
        'out',
      );
    }
    // A bad --backend is refused before anything is written.
    if (opts.backend !== undefined) ensureBackend(opts.backend);
    const out = ensureDirectory(opts.out, 'out');
    removeStaleTemps(out);
    // A planted journal.csv symlink must not be read (it could point at /dev/zero) or truncated.
    const journalFile = assertInside(out, FILES.journal, { flag: 'out' });
    const shard = opts.shard;
    if (opts.resume && hasJournalHeader(journalFile)) {
      const scan = scanJournal(journalFile);
      assertInside(out, FILES.manifest, { flag: 'out' });
      const manifest = fs.existsSync(path.join(out, FILES.manifest)) ? readManifest(out, 'out') : undefined;
      if (
        scan.specHash !== plan.specHash ||
        (manifest && manifest.specHash !== plan.specHash) ||
        (opts.wholeSweepOnly && manifest?.shard)
      ) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `out ${out} holds a different sweep (spec hash ${scan.specHash}, this spec ${plan.specHash}); use another --out or drop --resume`,
          'out',
        );
      }
      if (manifest && shardText(manifest.shard) !== shardText(shard)) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `out ${out} holds shard ${shardText(manifest.shard) ?? 'none'}, not ${shardText(shard) ?? 'the whole sweep'}`,
          'shard',
        );
      }
      const started = manifest?.backend;
      if (opts.backend !== undefined && started !== undefined && opts.backend !== started) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `backend "${opts.backend}" differs from "${started}", the backend the sweep in ${out} started with; resume with --backend ${started} (or without --backend), or use another --out`,
          'backend',
        );
      }
      const backend = ensureBackend(opts.backend ?? started);
      const writer = JournalWriter.resume(journalFile, scan.validEnd);
      const life = new SweepLifecycle(plan, out, shard, backend, opts.onProgress, scan.tasks, writer);
      // Issue 18: a corrupt committed block is reported precisely and its task recomputed.
      for (const c of scan.corrupt) {
        life.warnings.push(
          `${FILES.journal} line ${c.line}: ${c.why}; task ${c.task ?? '(unknown)'} is recomputed`,
        );
      }
      return life;
    }
    checkClaim(out, plan, shard, opts.force === true);
    const backend = ensureBackend(opts.backend);
    clearOutputs(out);
    const writer = JournalWriter.create(journalFile, plan.specHash, plan.metrics.length);
    return new SweepLifecycle(plan, out, shard, backend, opts.onProgress, new Map(), writer);
  }

  /** Is task `id` in the journal? */
  has(id: string): boolean {
    return this.committed.has(id);
  }

  /** Tasks of this shard not yet in the journal, heaviest first (longest-processing-time rule). */
  pending(): TaskRef[] {
    const cost = this.pointCosts();
    return this.mine
      .filter((t) => !this.committed.has(t.id))
      .sort((a, b) => cost[b.point]! * (b.r1 - b.r0) - cost[a.point]! * (a.r1 - a.r0) || a.index - b.index);
  }

  /** The experiment's relative cost per point (1 without a cost model). */
  pointCosts(): number[] {
    return this.plan.points.map((p) => this.plan.experiment.cost?.(p.params) ?? 1);
  }

  /** The message that runs `task` anywhere (a thread, a queue worker, this thread). */
  taskInput(task: TaskRef): TaskInput {
    const point = this.plan.points[task.point]!;
    return {
      experiment: this.plan.experiment.name,
      source: this.plan.experiment.source,
      seed: this.plan.spec.seed,
      pointKey: point.key,
      point: point.index,
      params: point.params,
      r0: task.r0,
      r1: task.r1,
      metricCount: this.plan.metrics.length,
      backend: this.backend,
    };
  }

  /** Journal a finished task from its metric values. */
  commitValues(task: TaskRef, values: Float64Array): void {
    const m = this.plan.metrics.length;
    if (values.length !== (task.r1 - task.r0) * m) {
      throw new MechlabError('ERR_INVALID_INPUT', `task ${task.id} returned ${values.length} values`, 'task');
    }
    this.commitText(task, formatTaskRows(task.point, task.r0, values, m));
  }

  /** Journal a finished task from its rows text (as a queue worker publishes it); a repeat is ignored. */
  commitText(task: TaskRef, text: string): void {
    if (this.committed.has(task.id)) return;
    const rows = task.r1 - task.r0;
    this.writer!.commit(task.id, text, rows);
    this.committed.set(task.id, { file: this.journalFile, start: 0, end: 0, rows });
    this.done += rows;
    this.tasksDone++;
    this.progress();
  }

  /** Tasks of this shard journaled so far. */
  get completedTasks(): number {
    return this.tasksDone;
  }

  /** Report progress now. */
  progress(): void {
    this.onProgress?.({
      done: this.done,
      total: this.instancesTotal,
      skipped: this.skipped,
      tasksDone: this.tasksDone,
      tasksTotal: this.mine.length,
      elapsedMs: Date.now() - this.t0,
    });
  }

  /** Close the journal (idempotent). */
  close(): void {
    this.writer?.close();
    this.writer = undefined;
  }

  /**
   * Close the journal; when every task of a whole sweep is in, write the result files in canonical
   * order; update the manifest; return the summary.
   */
  async finish(opts: {
    readonly aborted: boolean;
    readonly workers: number;
    readonly render?: FigureRenderer | false | undefined;
    readonly duckdb?: boolean | undefined;
  }): Promise<SweepSummary> {
    this.close();
    const plan = this.plan;
    const complete = !opts.aborted && this.tasksDone === this.mine.length;
    let files: Record<string, string> = {
      manifest: path.join(this.out, FILES.manifest),
      journal: this.journalFile,
    };
    const warnings: string[] = [...this.warnings];
    if (complete && !this.shard) {
      // Re-scan: the entries recorded while running carry no byte ranges (and the journal is the truth).
      trace('finishStart');
      const scan = scanJournal(this.journalFile);
      trace('scanned');
      const r = await finalizeSweep(plan, this.out, scan.tasks, {
        render: opts.render ?? false,
        duckdb: opts.duckdb,
      });
      files = { ...files, ...r.files };
      warnings.push(...r.warnings);
    }
    writeManifest(
      this.out,
      makeManifest(plan, this.shard, this.mine.length, this.instancesTotal, this.tasksDone, this.backend),
    );
    const elapsedMs = Date.now() - this.t0;
    trace('finished');
    return {
      status: opts.aborted ? 'aborted' : complete && !this.shard ? 'complete' : 'partial',
      experiment: plan.spec.experiment,
      name: plan.spec.name,
      out: this.out,
      specHash: plan.specHash,
      shard: shardText(this.shard),
      workers: opts.workers,
      backend: this.backend,
      points: plan.points.length,
      tasks: {
        total: plan.tasks.length,
        inShard: this.mine.length,
        skipped: this.skippedTasks,
        run: this.tasksDone - this.skippedTasks,
      },
      instances: { total: this.instancesTotal, done: this.done, run: this.done - this.skipped },
      elapsedMs,
      rate: elapsedMs > 0 ? ((this.done - this.skipped) * 1000) / elapsedMs : 0,
      files,
      warnings,
    };
  }
}
