/**
 * `manifest.json` of a sweep output directory: its shape, the file names beside it, and how it is
 * written (atomically) and read back. See `output.ts` for the whole directory layout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeInside } from '@mechlab/io';
import { MechlabError } from '@mechlab/core';
import type { BackendName } from '@mechlab/core';
import type { ShardSpec } from './shard';
import type { SweepPlan, SweepSpec } from './spec';

/** File names inside an output directory. */
export const FILES = {
  manifest: 'manifest.json',
  journal: 'journal.csv',
  rows: 'rows.csv',
  aggregates: 'aggregates.csv',
  duckdb: 'results.duckdb',
  figureJson: 'figure.json',
  figureSvg: 'figure.svg',
  figurePng: 'figure.png',
} as const;

/** `manifest.json`: everything needed to resume, merge or interpret an output directory. */
export interface SweepManifest {
  readonly format: 'mechlab-sweep';
  readonly formatVersion: 1;
  /** Version of @mechlab/sweep that wrote it. */
  readonly packageVersion: string;
  readonly experiment: string;
  readonly name: string;
  readonly specHash: string;
  readonly spec: SweepSpec;
  /** The shard this directory holds, or null for a whole sweep (also after `mergeShards`). */
  readonly shard: ShardSpec | null;
  /**
   * The kernel backend every task ran on (`--backend`, default the fastest registered). Not part of
   * the spec hash: backends promise identical results. Absent in manifests written before issue 12.
   */
  readonly backend?: BackendName;
  readonly points: number;
  readonly tasks: number;
  readonly tasksInShard: number;
  readonly instancesInShard: number;
  readonly columns: { readonly rows: readonly string[]; readonly aggregates: readonly string[] };
  readonly completedTasks: number;
  readonly complete: boolean;
}

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

/** Header of `rows.csv`. */
export function rowColumns(plan: SweepPlan): string[] {
  return ['point', 'replicate', ...plan.axes, ...plan.metricColumns];
}

/** Header of `aggregates.csv`. */
export function aggregateColumns(plan: SweepPlan): string[] {
  return [
    'point',
    ...plan.axes,
    'algo',
    'metric',
    'count',
    'mean',
    'std',
    'lo3',
    'hi3',
    'min',
    'max',
    'prediction',
  ];
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
 * @throws MechlabError ERR_INVALID_INPUT naming `field` when missing or not a sweep manifest.
 */
export function readManifest(dir: string, field = 'dir'): SweepManifest {
  const file = path.join(dir, FILES.manifest);
  let m: unknown;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field} must hold a sweep ${FILES.manifest}: ${(e as Error).message}`,
      field,
    );
  }
  if (typeof m !== 'object' || m === null || (m as { format?: unknown }).format !== 'mechlab-sweep') {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field}/${FILES.manifest} is not a mechlab sweep manifest`,
      field,
    );
  }
  return m as SweepManifest;
}
