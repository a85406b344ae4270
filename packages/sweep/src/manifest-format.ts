/**
 * A sweep output directory's file names and its `manifest.json` document (browser-safe,
 * `@mechlab/sweep/spec`): what it holds and how its text is checked when read back — by the CLI
 * (`readManifest`, manifest.ts) and by the web app's sweep explorer alike.
 */
import { MechlabError, type BackendName } from '@mechlab/core';
import type { ShardSpec } from './shard';
import type { SweepSpec } from './spec';

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

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Check the text of a `manifest.json` (named `file` in errors): JSON, `format` "mechlab-sweep", and a
 * spec whose grid maps each axis to a non-empty array — what reading the other files relies on.
 * O(text).
 * @throws MechlabError naming `<file>.<field>`.
 */
export function parseManifest(text: string, file: string = FILES.manifest): SweepManifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new MechlabError('ERR_INVALID_INPUT', `${file} must be JSON: ${(e as Error).message}`, file);
  }
  if (!isRecord(m) || m['format'] !== 'mechlab-sweep') {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${file}.format must be "mechlab-sweep", got ${JSON.stringify(isRecord(m) ? m['format'] : m)}`,
      `${file}.format`,
    );
  }
  const spec = m['spec'];
  if (!isRecord(spec) || !isRecord(spec['grid'])) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${file}.spec.grid must be an object of axis → values`,
      `${file}.spec.grid`,
    );
  }
  for (const [axis, values] of Object.entries(spec['grid'])) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `${file}.spec.grid.${axis} must be a non-empty array`,
        `${file}.spec.grid.${axis}`,
      );
    }
  }
  return m as unknown as SweepManifest;
}
