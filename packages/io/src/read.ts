/**
 * Bounded input reads (issue 18, finding 2): `--instance /dev/zero` or a FIFO must not read forever.
 * Only regular files are read, never more than a cap, and every refusal names the flag.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { badPath, errnoCode, pathError } from './errors';

/** Default cap on one input file: 256 MiB. */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** Options of {@link readInputBytes} / {@link readInputText} / {@link checkInputFile}. */
export interface ReadOptions {
  /** The flag that named the file (`--instance`), for error messages. */
  readonly flag: string;
  /** Refuse files larger than this many bytes (default {@link DEFAULT_MAX_INPUT_BYTES}). */
  readonly maxBytes?: number;
  /** {@link checkInputFile} only: accept a directory too (an input a package reads as a folder). */
  readonly allowDirectory?: boolean;
}

/** `1.5 GiB`-style size for messages. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} bytes` : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

const DEVICE_DIRS = ['/dev/', '/proc/', '/sys/'];

function kindOf(st: import('node:fs').Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'is a directory';
  if (st.isFIFO()) return 'is a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'is a character device';
  if (st.isBlockDevice()) return 'is a block device';
  if (st.isSocket()) return 'is a socket';
  return 'is not a regular file';
}

/** Resolve and vet `path` (not under /dev, /proc, /sys, even through symlinks). */
function vet(path: string, flag: string): string {
  if (path === '') throw badPath(flag, 'must name a file, got ""');
  if (path.includes('\0')) throw badPath(flag, 'a path must not contain NUL bytes');
  let real: string;
  try {
    real = realpathSync(resolve(path));
  } catch (e) {
    pathError(e, flag, 'read', path);
  }
  for (const d of [resolve(path), real]) {
    if (DEVICE_DIRS.some((p) => d.startsWith(p))) {
      throw badPath(flag, `cannot read ${JSON.stringify(path)} (device and kernel files are not inputs)`);
    }
  }
  return real;
}

/**
 * Stat `path` without reading it: a regular file within the cap (for inputs a package streams).
 *
 * @returns its size in bytes.
 * @throws MechlabError `ERR_INVALID_INPUT` naming `opts.flag`.
 */
export function checkInputFile(path: string, opts: ReadOptions): number {
  const real = vet(path, opts.flag);
  const fd = openNonBlocking(real, path, opts.flag);
  try {
    return checkFd(fd, path, opts);
  } finally {
    closeSync(fd);
  }
}

function openNonBlocking(real: string, path: string, flag: string): number {
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not hang before fstat can refuse it.
    return openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    pathError(e, flag, 'read', path);
  }
}

function checkFd(fd: number, path: string, opts: ReadOptions): number {
  const st = fstatSync(fd);
  if (opts.allowDirectory && st.isDirectory()) return 0;
  const kind = kindOf(st);
  if (kind !== undefined) throw badPath(opts.flag, `cannot read ${JSON.stringify(path)} (${kind})`);
  const max = opts.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (st.size > max) {
    throw badPath(
      opts.flag,
      `${JSON.stringify(path)} is ${formatBytes(st.size)}, over the ${formatBytes(max)} input limit`,
    );
  }
  return st.size;
}

/**
 * Read a regular file of at most `opts.maxBytes` bytes. Refuses devices (`/dev/zero`, `/dev/stdin`),
 * FIFOs, sockets, directories and anything under /dev, /proc or /sys; never reads more than the cap
 * plus one byte even if the file grows while being read.
 *
 * Complexity O(size).
 * @throws MechlabError `ERR_INVALID_INPUT` naming `opts.flag`.
 * @example readInputBytes('/dev/zero', { flag: '--instance' }) // throws: --instance: cannot read "/dev/zero" (…)
 */
export function readInputBytes(path: string, opts: ReadOptions): Uint8Array {
  const real = vet(path, opts.flag);
  const fd = openNonBlocking(real, path, opts.flag);
  try {
    const size = checkFd(fd, path, { ...opts, allowDirectory: false });
    const max = opts.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
    let buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(size, 4096)));
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        if (len > max) break;
        const next = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
        buf.copy(next, 0, 0, len);
        buf = next;
      }
      let got: number;
      try {
        got = readSync(fd, buf, len, buf.length - len, null);
      } catch (e) {
        if (errnoCode(e) === 'EAGAIN') break;
        pathError(e, opts.flag, 'read', path);
      }
      if (got === 0) break;
      len += got;
    }
    if (len > max) {
      throw badPath(opts.flag, `${JSON.stringify(path)} is over the ${formatBytes(max)} input limit`);
    }
    return buf.subarray(0, len);
  } finally {
    closeSync(fd);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * {@link readInputBytes} decoded as UTF-8 (a leading byte-order mark is dropped).
 * @throws MechlabError naming `opts.flag` also for bytes that are not UTF-8.
 */
export function readInputText(path: string, opts: ReadOptions): string {
  const bytes = readInputBytes(path, opts);
  try {
    const text = utf8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw badPath(opts.flag, `${JSON.stringify(path)} is not UTF-8 text`);
  }
}
