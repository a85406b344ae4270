/**
 * Combining shard directories (`--shard i/k` runs, possibly on different machines) into one result that
 * is byte-identical to an unsharded run: the merged journal lists every task in canonical order, and the
 * same finalize step as `runSweep` writes the result files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MechlabError, type BackendName } from '@mechlab/core';
import type { FigureRenderer } from './figure';
import { JournalWriter, scanJournal, type JournalEntry } from './journal';
import { finalizeSweep } from './output';
import { FILES, makeManifest, readManifest, writeManifest } from './manifest';
import type { SweepSummary } from './lifecycle';
import { withSpecModule, type ExperimentList } from './source';
import { parseSweepSpec, planSweep } from './spec';

/** Options of {@link mergeShards}. */
export interface MergeOptions {
  /** The experiments the shards' spec may name (a `module` spec loads its own). */
  readonly experiments: ExperimentList;
  readonly render?: FigureRenderer | false | undefined;
  readonly duckdb?: boolean | undefined;
}

/**
 * Merge the journals of shard directories of one sweep into `out` and finalize it. Any set of
 * directories of the same sweep works (shards, partial runs) as long as together they cover every task;
 * a task present in several is taken once. O(total rows).
 * The merged manifest names the shards' backend; shards that ran on different backends are refused
 * (one sweep directory, one backend — as for `--resume`).
 * @throws (rejects with) MechlabError ERR_INVALID_INPUT naming `dirs[i]` when a directory is not a sweep,
 *   belongs to another sweep, ran on another backend than `dirs[0]`, or tasks are missing (the message
 *   names one and how many).
 * @example await mergeShards(['out/s0', 'out/s1', 'out/s2'], 'out/all', { experiments }) // → { status: 'complete', … }
 */
export async function mergeShards(
  dirs: readonly string[],
  out: string,
  opts: MergeOptions,
): Promise<SweepSummary> {
  const t0 = Date.now();
  if (dirs.length === 0)
    throw new MechlabError('ERR_OUT_OF_RANGE', 'dirs must list at least one shard directory', 'dirs');
  const outAbs = path.resolve(out);
  const manifests = dirs.map((d, i) => {
    if (path.resolve(d) === outAbs) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `dirs[${i}] is the output directory; merge into a new one`,
        `dirs[${i}]`,
      );
    }
    return readManifest(d, `dirs[${i}]`);
  });
  const loaded = await withSpecModule(manifests[0]!.spec, opts.experiments);
  const spec = parseSweepSpec(loaded.doc, loaded.experiments);
  const plan = planSweep(spec, loaded.experiments);
  const entries = new Map<string, JournalEntry>();
  // Manifests written before issue 12 name no backend; they merge with any.
  let backend: BackendName | undefined;
  manifests.forEach((m, i) => {
    if (m.backend !== undefined) {
      if (backend !== undefined && m.backend !== backend) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `dirs[${i}] ran on backend "${m.backend}", an earlier shard on "${backend}"; rerun it with --backend ${backend}`,
          `dirs[${i}]`,
        );
      }
      backend = m.backend;
    }
    if (m.specHash !== plan.specHash) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `dirs[${i}] holds a different sweep (spec hash ${m.specHash}, expected ${plan.specHash})`,
        `dirs[${i}]`,
      );
    }
    const scan = scanJournal(path.join(dirs[i]!, FILES.journal));
    if (scan.specHash !== plan.specHash) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `dirs[${i}]/${FILES.journal} belongs to another sweep`,
        `dirs[${i}]`,
      );
    }
    for (const [id, e] of scan.tasks) if (!entries.has(id)) entries.set(id, e);
  });
  const missing = plan.tasks.filter((t) => !entries.has(t.id));
  if (missing.length > 0) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `dirs are missing ${missing.length} of ${plan.tasks.length} tasks (first: ${missing[0]!.id}); finish every shard (--resume) before merging`,
      'dirs',
    );
  }

  // Copy each task's bytes into one journal, in canonical order.
  fs.mkdirSync(outAbs, { recursive: true });
  for (const f of Object.values(FILES)) fs.rmSync(path.join(outAbs, f), { force: true });
  const journalFile = path.join(outAbs, FILES.journal);
  const writer = JournalWriter.create(journalFile, plan.specHash, plan.metrics.length);
  const fds = new Map<string, number>();
  try {
    for (const t of plan.tasks) {
      const e = entries.get(t.id)!;
      let fd = fds.get(e.file);
      if (fd === undefined) {
        fd = fs.openSync(e.file, 'r');
        fds.set(e.file, fd);
      }
      const buf = Buffer.allocUnsafe(e.end - e.start);
      fs.readSync(fd, buf, 0, buf.length, e.start);
      writer.commit(t.id, buf.toString('latin1'), e.rows);
    }
  } finally {
    for (const fd of fds.values()) fs.closeSync(fd);
    writer.close();
  }
  const scan = scanJournal(journalFile);
  const r = await finalizeSweep(plan, outAbs, scan.tasks, {
    render: opts.render ?? false,
    duckdb: opts.duckdb,
  });
  writeManifest(
    outAbs,
    makeManifest(
      plan,
      undefined,
      plan.tasks.length,
      spec.replicates * plan.points.length,
      plan.tasks.length,
      backend,
    ),
  );
  const total = spec.replicates * plan.points.length;
  const elapsedMs = Date.now() - t0;
  return {
    status: 'complete',
    experiment: spec.experiment,
    name: spec.name,
    out: outAbs,
    specHash: plan.specHash,
    shard: null,
    workers: 0,
    backend: backend ?? null,
    points: plan.points.length,
    tasks: { total: plan.tasks.length, inShard: plan.tasks.length, skipped: plan.tasks.length, run: 0 },
    instances: { total, done: total, run: 0 },
    elapsedMs,
    rate: 0,
    files: { manifest: path.join(outAbs, FILES.manifest), journal: journalFile, ...r.files },
    warnings: r.warnings,
  };
}
