/**
 * Writes confined to an output directory (issue 18, findings 1, 3 and 6): a relative name is resolved
 * inside the directory, `..` escapes and absolute names are refused, every existing component below the
 * directory is `lstat`ed and a symbolic link anywhere below it is refused, and the bytes go to a
 * temporary file in the same directory that is then renamed over the target (atomic on POSIX: a reader
 * sees the old file or the new one, never half of one; a rename replaces a planted symlink instead of
 * following it). Temporary files of this naming scheme left by a killed process are removed.
 */
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { isMechlabError } from '@mechlab/core';
import { badPath, errnoCode, pathError } from './errors';

/** Suffix of this package's temporary files: `<name>.mechlab-tmp-<pid>-<seq>`. */
export const TEMP_MARK = '.mechlab-tmp-';
/** A temp name, optionally followed by a library's sidecar suffix (`.wal`, see {@link reserveAtomicTemp}). */
const TEMP_RE = /\.mechlab-tmp-(\d+)-(\d+)(\.[A-Za-z0-9]+)?$/;
const SIDECAR_RE = /^\.[A-Za-z0-9]+$/;

let seq = 0;

/** Options of {@link resolveInside} and {@link writeInside}. */
export interface WriteOptions {
  /** The flag that named the output directory, for error messages (default `--out`). */
  readonly flag?: string;
  /** fsync the file before the rename (default true): a crash cannot leave a renamed empty file. */
  readonly durable?: boolean;
}

/**
 * Resolve `name` (a relative path such as `rows.json` or `figures/a.svg`) inside `outDir`.
 * Refuses absolute names, `..` components that leave the directory, empty names and NUL bytes.
 *
 * Complexity O(|name|); touches no file.
 * @throws MechlabError `ERR_INVALID_INPUT` naming `opts.flag` (default `--out`).
 * @example resolveInside('/tmp/out', 'a/../b.txt') // → '/tmp/out/b.txt'
 * @example resolveInside('/tmp/out', '../victim') // throws: --out: "../victim" escapes the output directory
 */
export function resolveInside(outDir: string, name: string, opts: WriteOptions = {}): string {
  const flag = opts.flag ?? '--out';
  if (outDir === '') throw badPath(flag, 'must name a directory, got ""');
  if (outDir.includes('\0') || name.includes('\0')) throw badPath(flag, 'a path must not contain NUL bytes');
  if (name === '' || isAbsolute(name)) {
    throw badPath(flag, `${JSON.stringify(name)} must be a relative file name inside the output directory`);
  }
  const rel = normalize(name);
  if (rel === '.' || rel === '..' || rel.startsWith('..' + sep) || rel.endsWith(sep) || isAbsolute(rel)) {
    throw badPath(flag, `${JSON.stringify(name)} escapes the output directory`);
  }
  return join(resolve(outDir), rel);
}

/**
 * Create `dir` (and its parents) if missing and check that it is a directory. The output directory
 * itself may be a symlink the user chose; what lies below it may not (see {@link writeInside}).
 *
 * @throws MechlabError naming `flag` when the path cannot be a directory (`/dev/null`, a regular file,
 *   a path under a file, no permission, `""`).
 */
export function ensureDirectory(dir: string, flag = '--out'): string {
  if (dir === '') throw badPath(flag, 'must name a directory, got ""');
  if (dir.includes('\0')) throw badPath(flag, 'a path must not contain NUL bytes');
  const abs = resolve(dir);
  try {
    mkdirSync(abs, { recursive: true });
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') pathError(e, flag, 'create', dir);
  }
  let isDir = false;
  try {
    // stat, not lstat: `--out` itself may be a symlink to a directory the user picked.
    isDir = statSync(abs).isDirectory();
  } catch (e) {
    pathError(e, flag, 'create', dir);
  }
  if (!isDir) throw badPath(flag, `${JSON.stringify(dir)} is not a directory`);
  return abs;
}

/**
 * Write `data` to `name` inside `outDir` atomically (temporary file in the same directory + rename).
 *
 * Every existing component between `outDir` and the file is `lstat`ed: a symbolic link (planted to
 * redirect the write outside `--out`) or a non-directory is refused; missing directories are created
 * one level at a time. An existing target that is a symlink or a directory is refused too. Stale
 * temporary files of the same target (from a killed process) are removed first.
 *
 * Complexity O(depth) system calls + the write.
 * @returns the absolute path written.
 * @throws MechlabError `ERR_INVALID_INPUT` naming `opts.flag` for an unusable path; disk errors
 *   (ENOSPC, EIO) are rethrown as they are.
 * @example writeInside('out/forum', 'scatter.svg', svg) // → '/abs/out/forum/scatter.svg'
 */
export function writeInside(
  outDir: string,
  name: string,
  data: string | Uint8Array,
  opts: WriteOptions = {},
): string {
  const w = openAtomicWriter(outDir, name, opts);
  w.write(data);
  return w.close();
}

/**
 * A streaming atomic write in progress (see {@link openAtomicWriter}): bytes go to a temporary file
 * beside the target; `close` renames it over the target, `abort` removes it. After either, the writer
 * is spent (further calls throw, except `abort`, which is then a no-op).
 */
export interface AtomicWriter {
  /** Absolute path the file will have after `close`. */
  readonly target: string;
  /** Append `data` (a string is written as UTF-8). On a failing write the temp file is removed. */
  write(data: string | Uint8Array): void;
  /** fsync (unless `durable: false`), close and rename over the target. @returns the target. */
  close(): string;
  /** Close and remove the temporary file; the target is untouched. Idempotent. */
  abort(): void;
}

/**
 * Open `name` inside `outDir` for a streaming atomic write — {@link writeInside} for output too large
 * to hold in one buffer (a sweep's `rows.csv`). Same checks: `..`/absolute names refused, every
 * component below `outDir` `lstat`ed (no symlinks), a symlink or directory at the target refused,
 * stale temporaries of the target removed. The temporary file `<name>.mechlab-tmp-<pid>-<seq>` lives
 * in the target's directory (so the rename is atomic) and is created with
 * `O_CREAT | O_EXCL | O_NOFOLLOW`: a file or symlink planted at that name is refused, never opened.
 * A writer killed before `close` leaves a temp file that {@link removeStaleTemps} recognises.
 *
 * Complexity O(depth) system calls to open; each `write` is one `write(2)` loop.
 * @throws MechlabError `ERR_INVALID_INPUT` naming `opts.flag` for an unusable path; disk errors rethrown.
 * @example const w = openAtomicWriter(out, 'rows.csv'); w.write('a,b\n'); w.close();
 */
export function openAtomicWriter(outDir: string, name: string, opts: WriteOptions = {}): AtomicWriter {
  const flag = opts.flag ?? '--out';
  const target = prepareTarget(outDir, name, flag);
  const tmp = tempName(target);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, CREATE_FLAGS, 0o644);
  } catch (e) {
    pathError(e, flag, 'write', join(outDir, name));
  }
  return new FileAtomicWriter(target, tmp, fd, flag, join(outDir, name), opts.durable ?? true);
}

/** `O_CREAT | O_EXCL` never opens an existing file; `O_NOFOLLOW` states the intent for the symlink case. */
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

class FileAtomicWriter implements AtomicWriter {
  private done = false;
  constructor(
    readonly target: string,
    private readonly tmp: string,
    private fd: number | undefined,
    private readonly flag: string,
    private readonly shown: string,
    private readonly durable: boolean,
  ) {}

  write(data: string | Uint8Array): void {
    const fd = this.live();
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      this.abort();
      pathError(e, this.flag, 'write', this.shown);
    }
  }

  close(): string {
    const fd = this.live();
    try {
      if (this.durable) fsyncSync(fd);
      closeSync(fd);
      this.fd = undefined;
      renameSync(this.tmp, this.target);
      this.done = true;
    } catch (e) {
      this.abort();
      pathError(e, this.flag, 'write', this.shown);
    }
    return this.target;
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed by a failed close(): the unlink below is what matters
      }
      this.fd = undefined;
    }
    unlinkQuiet(this.tmp);
  }

  private live(): number {
    if (this.done || this.fd === undefined) {
      throw new Error(`atomic writer of ${JSON.stringify(this.target)} is already closed`);
    }
    return this.fd;
  }
}

/**
 * A temporary path beside `name` inside `outDir` for a file a native library creates itself (DuckDB's
 * `results.duckdb`), with `commit` to rename it over the target and `abort` to remove it. The library
 * opens the path, so `O_EXCL` cannot be imposed; instead the temp path (and each `<temp><sidecar>`,
 * e.g. DuckDB's `.wal`) must not exist when reserved, and `commit` renames only a regular file, never
 * a symlink. Same path checks and stale-temp removal as {@link openAtomicWriter}; the name follows the
 * same scheme, so a killed process's leftovers (sidecars included) are removed by the next run.
 */
export interface AtomicTemp {
  /** Absolute path the file will have after `commit`. */
  readonly target: string;
  /** Absolute temporary path for the library to create. */
  readonly temp: string;
  /** Remove the sidecars, rename the temp file over the target. @returns the target. */
  commit(): string;
  /** Remove the temp file and its sidecars (missing ones are fine). Idempotent. */
  abort(): void;
}

/** Options of {@link reserveAtomicTemp}. */
export interface TempOptions extends WriteOptions {
  /** Suffixes of files the library writes next to the temp path (DuckDB: `['.wal']`). */
  readonly sidecars?: readonly string[];
}

/**
 * Reserve a temporary path for `name` inside `outDir` (see {@link AtomicTemp}).
 * @throws MechlabError naming `opts.flag` for an unusable path or a file already at the temp path.
 * @example const t = reserveAtomicTemp(out, 'results.duckdb', { sidecars: ['.wal'] }); build(t.temp); t.commit();
 */
export function reserveAtomicTemp(outDir: string, name: string, opts: TempOptions = {}): AtomicTemp {
  const flag = opts.flag ?? '--out';
  const sidecars = opts.sidecars ?? [];
  for (const s of sidecars) {
    if (!SIDECAR_RE.test(s)) throw new Error(`sidecar suffix ${JSON.stringify(s)} must match ${SIDECAR_RE}`);
  }
  const target = prepareTarget(outDir, name, flag);
  const temp = tempName(target);
  const all = [temp, ...sidecars.map((s) => temp + s)];
  for (const p of all) {
    let exists = true;
    try {
      lstatSync(p);
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') pathError(e, flag, 'write', p);
      exists = false;
    }
    if (exists) throw badPath(flag, `refusing to reuse the existing temporary file ${JSON.stringify(p)}`);
  }
  let done = false;
  const abort = (): void => {
    if (done) return;
    done = true;
    for (const p of all) unlinkQuiet(p);
  };
  const commit = (): string => {
    if (done) throw new Error(`temporary file of ${JSON.stringify(target)} is already committed or aborted`);
    try {
      const st = lstatSync(temp);
      if (!st.isFile()) throw badPath(flag, `${JSON.stringify(temp)} is not a regular file`);
      for (const p of all.slice(1)) unlinkQuiet(p);
      renameSync(temp, target);
      done = true;
    } catch (e) {
      abort();
      if (isMechlabError(e)) throw e;
      pathError(e, flag, 'write', join(outDir, name));
    }
    return target;
  };
  return { target, temp, commit, abort };
}

/**
 * The shared checks of every atomic write: resolve `name` inside `outDir`, create missing directories
 * one level at a time, refuse a symlink or non-directory on the way and a symlink/directory at the
 * target, remove the target's stale temporaries. @returns the absolute target.
 */
function prepareTarget(outDir: string, name: string, flag: string): string {
  const target = checkTarget(outDir, name, flag);
  removeStaleTemps(dirname(target), basename(target));
  return target;
}

/** {@link prepareTarget} without the stale-temp removal (also for {@link openInside}). */
function checkTarget(outDir: string, name: string, flag: string): string {
  const target = resolveInside(outDir, name, { flag });
  const root = ensureDirectory(outDir, flag);
  const parts = target.slice(root.length + 1).split(sep);
  let dir = root;
  for (let i = 0; i < parts.length - 1; i++) {
    dir = join(dir, parts[i]!);
    checkComponent(dir, flag, true);
  }
  checkComponent(target, flag, false);
  return target;
}

/** `<target>.mechlab-tmp-<pid>-<seq>`: unique within this process, recognisable as stale after it. */
function tempName(target: string): string {
  return `${target}${TEMP_MARK}${process.pid}-${seq++}`;
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone (or never created)
  }
}

/**
 * Check that `name` can be opened inside `outDir` without following a symlink (every component below
 * `outDir` is `lstat`ed, missing directories are created) and open it with `O_NOFOLLOW` — for files a
 * command appends to in place, such as a sweep journal. `flags` are `fs.constants` open flags.
 *
 * @returns the file descriptor.
 * @throws MechlabError naming `opts.flag` for a symlink, an escape or an unusable path.
 */
export function openInside(outDir: string, name: string, flags: number, opts: WriteOptions = {}): number {
  const flag = opts.flag ?? '--out';
  const target = checkTarget(outDir, name, flag);
  try {
    // O_NOFOLLOW closes the window between the lstat above and the open.
    return openSync(target, flags | constants.O_NOFOLLOW, 0o644);
  } catch (e) {
    if (errnoCode(e) === 'ELOOP') {
      throw badPath(flag, `refusing to write through the symbolic link ${JSON.stringify(target)}`);
    }
    pathError(e, flag, 'write', join(outDir, name));
  }
}

/**
 * Refuse `name` inside `outDir` if it, or any existing component between, is a symbolic link or escapes
 * the directory (nothing is created). For directories a package fills itself (a model cache under
 * `--out`): a planted link cannot redirect those writes outside `--out`.
 *
 * @throws MechlabError naming `opts.flag`.
 */
export function assertInside(outDir: string, name: string, opts: WriteOptions = {}): string {
  const flag = opts.flag ?? '--out';
  const target = resolveInside(outDir, name, opts);
  let path = resolve(outDir);
  for (const part of target.slice(path.length + 1).split(sep)) {
    path = join(path, part);
    let link = false;
    try {
      link = lstatSync(path).isSymbolicLink();
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') break;
      pathError(e, flag, 'write', path);
    }
    if (link) throw badPath(flag, `refusing to write through the symbolic link ${JSON.stringify(path)}`);
  }
  return target;
}

/** lstat one path below the output directory: no symlinks, directories where directories belong. */
function checkComponent(path: string, flag: string, mustBeDir: boolean): void {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') pathError(e, flag, 'write', path);
    if (!mustBeDir) return; // the file is about to be created
    try {
      mkdirSync(path);
    } catch (e2) {
      if (errnoCode(e2) !== 'EEXIST') pathError(e2, flag, 'create', path);
    }
    st = lstatSync(path);
  }
  if (st.isSymbolicLink()) {
    throw badPath(flag, `refusing to write through the symbolic link ${JSON.stringify(path)}`);
  }
  if (mustBeDir && !st.isDirectory()) throw badPath(flag, `${JSON.stringify(path)} is not a directory`);
  if (!mustBeDir && st.isDirectory()) throw badPath(flag, `${JSON.stringify(path)} is a directory`);
  if (!mustBeDir && !st.isFile()) throw badPath(flag, `${JSON.stringify(path)} is not a regular file`);
}

/**
 * Is process `pid` alive (this process included)? Signal 0 checks existence; EPERM means it exists
 * under another user. O(1).
 * @example processAlive(process.pid) // → true
 */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
}

/**
 * Remove temporary files of this package's naming scheme (`<name>.mechlab-tmp-<pid>-<seq>`) in `dir`
 * whose writing process is gone; only those of `target` when given. Never follows symlinks (a symlink
 * with a temp name is unlinked, not its target).
 *
 * Complexity O(entries of dir).
 * @returns the names removed.
 */
export function removeStaleTemps(dir: string, target?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m) continue;
    if (target !== undefined && name.slice(0, m.index) !== target) continue;
    if (processAlive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // raced with another cleaner, or a directory of that name: leave it
    }
  }
  return removed;
}
