/** Map Node's `fs` error codes to mechlab's contract: bad input (exit 2) naming the flag, or rethrow. */
import { MechlabError } from '@mechlab/core';

/** Errors that mean "this path cannot be used" (the user's input), as opposed to a failing disk. */
const WHY: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  ENOTDIR: 'a path component is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
  EINVAL: 'invalid path',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
};

/** The `code` of a Node system error, if it has one. */
export function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turn an `fs` error on `path` into a MechlabError naming `flag` (exit 2) when the path itself is
 * unusable; anything else (ENOSPC, EIO, …) is not the user's input and is rethrown unchanged (exit 1).
 */
export function pathError(e: unknown, flag: string, verb: 'read' | 'write' | 'create', path: string): never {
  const code = errnoCode(e);
  const why = code === undefined ? undefined : WHY[code];
  if (why === undefined) throw e;
  throw new MechlabError(
    'ERR_INVALID_INPUT',
    `${flag}: cannot ${verb} ${JSON.stringify(path)} (${why})`,
    flag,
  );
}

/** A bad-input error naming `flag`: `flag: <message>`. */
export function badPath(flag: string, message: string): MechlabError {
  return new MechlabError('ERR_INVALID_INPUT', `${flag}: ${message}`, flag);
}
