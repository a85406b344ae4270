/**
 * Claiming an output directory (issue 18, findings 4 and 5): a command may write into an empty or
 * missing directory, or into one it wrote before; a non-empty directory holding anything else is
 * refused (exit 2 naming the flag) unless the user passes `--force`, so a typo in `--out` cannot
 * clobber someone's files. Unusable paths (`""`, `/dev/null`, `/dev/null/x`, a regular file) are bad
 * input naming the flag, never an internal error.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badPath } from './errors';
import { TEMP_MARK, ensureDirectory, removeStaleTemps, writeInside, type WriteOptions } from './write';

/** The marker a claimed directory carries: which command owns it. */
export const OWNER_FILE = '.mechlab-out.json';

/** Options of {@link claimOutDir}. */
export interface ClaimOptions {
  /** Who writes here, e.g. `mechlab forum`; recorded in {@link OWNER_FILE}. */
  readonly owner: string;
  /** The flag that named the directory (default `--out`). */
  readonly flag?: string;
  /**
   * File names this command writes: a directory holding only these (and no marker, e.g. from an
   * older mechlab) counts as the command's own.
   */
  readonly expected?: readonly string[];
  /** Take the directory even if it holds other files (`--force`). */
  readonly force?: boolean;
}

/** A claimed output directory: every write goes through {@link writeInside}. */
export interface OutDir {
  /** The directory as the user named it. */
  readonly dir: string;
  /** Its absolute path. */
  readonly path: string;
  /** Write `name` (relative) atomically inside the directory; returns the user-facing path. */
  write(name: string, data: string | Uint8Array): string;
}

function ownerOf(abs: string): string | undefined {
  const marker = join(abs, OWNER_FILE);
  try {
    if (!lstatSync(marker).isFile()) return undefined;
    const parsed = JSON.parse(readFileSync(marker, 'utf8')) as { owner?: unknown };
    return typeof parsed.owner === 'string' ? parsed.owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Claim `dir` for `opts.owner`: create it if missing, remove stale temporary files, refuse a
 * non-empty directory that is not the owner's unless `opts.force`, and record the owner.
 *
 * Complexity O(entries of dir).
 * @throws MechlabError `ERR_INVALID_INPUT` naming `opts.flag` (`--out`) for an unusable path or a
 *   foreign non-empty directory.
 * @example
 * const out = claimOutDir('out/forum', { owner: 'mechlab forum', expected: ['scatter.svg'] });
 * out.write('scatter.svg', svg); // → 'out/forum/scatter.svg'
 */
export function claimOutDir(dir: string, opts: ClaimOptions): OutDir {
  const flag = opts.flag ?? '--out';
  const abs = ensureDirectory(dir, flag);
  removeStaleTemps(abs);
  const entries = readdirSync(abs).filter((n) => !n.includes(TEMP_MARK));
  const owner = ownerOf(abs);
  const expected = new Set([...(opts.expected ?? []), OWNER_FILE]);
  const ours =
    entries.length === 0 ||
    owner === opts.owner ||
    (owner === undefined && entries.every((n) => expected.has(n)));
  if (!ours && !opts.force) {
    const shown = entries.filter((n) => !expected.has(n) || owner !== undefined).slice(0, 3);
    const by = owner === undefined ? 'files it did not write' : `the output of ${owner}`;
    throw badPath(
      flag,
      `${JSON.stringify(dir)} is not empty and holds ${by} (${shown.join(', ')}${entries.length > shown.length ? ', …' : ''}); choose an empty directory or pass --force to write into it anyway`,
    );
  }
  const wopts: WriteOptions = { flag };
  if (owner !== opts.owner) {
    writeInside(abs, OWNER_FILE, JSON.stringify({ owner: opts.owner, version: 1 }) + '\n', wopts);
  }
  return {
    dir,
    path: abs,
    write: (name, data) => {
      writeInside(abs, name, data, wopts);
      return join(dir, name);
    },
  };
}
