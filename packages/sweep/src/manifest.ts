/**
 * `manifest.json` of a sweep output directory on disk: how it is built, written (atomically) and read
 * back. Its shape and the file names beside it are in `manifest-format.ts` (browser-safe); see
 * `output.ts` for the whole directory layout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeInside } from '@mechlab/io';
import { MechlabError } from '@mechlab/core';
import type { BackendName } from '@mechlab/core';
import { aggregateColumns, rowColumns } from './aggregates';
import { FILES, parseManifest, type SweepManifest } from './manifest-format';
import type { ShardSpec } from './shard';
import type { SweepPlan } from './spec';

// The on-disk side's callers (lifecycle, shards) take the file names and the type from here too.
export { FILES, type SweepManifest };

/** Version of this package (read at run time so `src/` and `dist/` agree). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Build the manifest of a plan. O(1). */
export function makeManifest(
  plan: SweepPlan,
  shard: ShardSpec | undefined,
  tasksInShard: number,
  instancesInShard: number,
  completedTasks: number,
  backend: BackendName | undefined,
): SweepManifest {
  return {
    format: 'mechlab-sweep',
    formatVersion: 1,
    packageVersion: packageVersion(),
    experiment: plan.spec.experiment,
    name: plan.spec.name,
    specHash: plan.specHash,
    spec: plan.spec,
    shard: shard ?? null,
    ...(backend === undefined ? {} : { backend }),
    points: plan.points.length,
    tasks: plan.tasks.length,
    tasksInShard,
    instancesInShard,
    columns: { rows: rowColumns(plan), aggregates: aggregateColumns(plan) },
    completedTasks,
    complete: completedTasks === tasksInShard,
  };
}

/**
 * Write a file atomically (temp name + rename) through @mechlab/io: a symlink planted at the file or a
 * directory above it inside the output directory is refused, never followed.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  writeInside(path.dirname(file), path.basename(file), data, { flag: 'out', durable: false });
}

/** Write `manifest.json` (stable key order, trailing newline). */
export function writeManifest(out: string, m: SweepManifest): void {
  writeFileAtomic(path.join(out, FILES.manifest), JSON.stringify(m, null, 2) + '\n');
}

/**
 * Read an output directory's manifest.
 * @throws MechlabError ERR_INVALID_INPUT naming `field` when missing, or `<field>/manifest.json.<key>`
 * when it is not a sweep manifest (see `parseManifest`).
 */
export function readManifest(dir: string, field = 'dir'): SweepManifest {
  const file = path.join(dir, FILES.manifest);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field} must hold a sweep ${FILES.manifest}: ${(e as Error).message}`,
      field,
    );
  }
  return parseManifest(text, `${field}/${FILES.manifest}`);
}
