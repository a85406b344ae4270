/** Shared helpers for the sweep tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temporary directory, removed by `cleanup`. */
export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mechlab-sweep-${prefix}-`));
}

export function cleanup(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The result files that must be byte-identical across worker counts and shard splits. */
export const RESULT_FILES = ['rows.csv', 'aggregates.csv', 'manifest.json', 'figure.json'] as const;

export function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf8');
}
