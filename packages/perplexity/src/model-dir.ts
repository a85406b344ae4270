/** Publishing a generated model directory (the tiny LM here, the forum LM in @mechlab/forum). */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Write `files` into `dir` as one unit: everything goes to a staging directory beside `dir`, which is
 * then renamed into place, so a reader never sees a half-written model. Several processes (jest
 * workers, sweep threads) may build the same model at once: if `isCurrent(dir)` says a complete,
 * matching copy is already there — before the rename, or after losing the race to it — that copy is
 * kept. A stale copy (`isCurrent` false) is replaced.
 */
export function publishModelDir(
  dir: string,
  files: Readonly<Record<string, string | Uint8Array>>,
  isCurrent: (dir: string) => boolean,
): void {
  const target = resolve(dir);
  const staging = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(staging, { recursive: true });
  try {
    for (const [name, data] of Object.entries(files)) writeFileSync(join(staging, name), data);
    if (existsSync(target)) {
      if (isCurrent(target)) return; // someone else finished first
      rmSync(target, { recursive: true, force: true });
    }
    try {
      renameSync(staging, target);
    } catch (e) {
      // Lost a race with a concurrent writer: keep theirs if it is complete.
      if (!isCurrent(target)) throw e;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
