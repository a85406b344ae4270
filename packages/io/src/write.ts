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
import { badPath, errnoCode, pathError } from './errors';

/** Suffix of this package's temporary files: `<name>.mechlab-tmp-<pid>-<seq>`. */
export const TEMP_MARK = '.mechlab-tmp-';
const TEMP_RE = /\.mechlab-tmp-(\d+)-(\d+)$/;

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
  const flag = opts.flag ?? '--out';
  const target = resolveInside(outDir, name, opts);
  const root = ensureDirectory(outDir, flag);
  const parts = target.slice(root.length + 1).split(sep);
  let dir = root;
  for (let i = 0; i < parts.length - 1; i++) {
    dir = join(dir, parts[i]!);
    checkComponent(dir, flag, true);
  }
  checkComponent(target, flag, false);
  removeStaleTemps(dirname(target), basename(target));
  const tmp = `${target}${TEMP_MARK}${process.pid}-${seq++}`;
  let fd: number | undefined;
  try {
    // 'wx' = O_CREAT | O_EXCL: never opens an existing file and never follows a symlink at `tmp`.
    fd = openSync(tmp, 'wx', 0o644);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    if (opts.durable ?? true) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone (or never created)
    }
    pathError(e, flag, 'write', join(outDir, name));
  }
  return target;
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
  const target = resolveInside(outDir, name, opts);
  const root = ensureDirectory(outDir, flag);
  const parts = target.slice(root.length + 1).split(sep);
  let dir = root;
  for (let i = 0; i < parts.length - 1; i++) {
    dir = join(dir, parts[i]!);
    checkComponent(dir, flag, true);
  }
  checkComponent(target, flag, false);
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

/** Is process `pid` alive? (signal 0 checks existence; EPERM means it exists under another user.) */
function alive(pid: number): boolean {
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
    if (alive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // raced with another cleaner, or a directory of that name: leave it
    }
  }
  return removed;
}
