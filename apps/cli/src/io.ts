/** The CLI's window on the world, injectable so tests run commands in-process. */
import { basename, dirname } from 'node:path';
import { MechlabError } from '@mechlab/core';
import { DEFAULT_MAX_INPUT_BYTES, claimOutDir, readInputText, writeInside } from '@mechlab/io';
import type { ClaimOptions } from '@mechlab/io';

/** A claimed output directory (see {@link Io.claimOut}). */
export interface OutWriter {
  /** Write `name` inside the directory (atomically, never through a symlink); returns its path. */
  write(name: string, data: string | Uint8Array): string;
}

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Read an input file named by `flag` (`--instance`): regular files only, at most `maxBytes`
   * (default 256 MiB); devices, FIFOs and directories are refused naming the flag.
   */
  readText(path: string, flag?: string, maxBytes?: number): string;
  /** Write one file (atomically, refusing a symlink at `path`). Prefer {@link Io.claimOut}. */
  writeFile(path: string, data: string | Uint8Array): void;
  /**
   * Claim an output directory for a command: created if missing; a non-empty directory that is not
   * this command's own is refused (exit 2 naming the flag) unless `opts.force`.
   */
  claimOut(dir: string, opts: ClaimOptions): OutWriter;
  /** Is stdout a terminal (for progress bars and colour)? */
  readonly isTty: boolean;
}

export const nodeIo: Io = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readText: (p, flag = 'input', maxBytes = DEFAULT_MAX_INPUT_BYTES) => readInputText(p, { flag, maxBytes }),
  writeFile: (p, d) => void writeInside(dirname(p), basename(p), d),
  claimOut: (dir, opts) => claimOutDir(dir, opts),
  isTty: process.stdout.isTTY === true,
};

/**
 * Read and parse a JSON file named by a flag. A missing, unreadable, oversized or non-regular file and
 * malformed JSON are bad input (exit 2), reported against the flag that named it. The parsed document
 * is remembered (see {@link lastInput}) so a result that overflows doubles can name the input field.
 */
export function readJsonFile(io: Io, path: string, flag: string, maxBytes?: number): unknown {
  // io.readText names the flag for an unusable path (@mechlab/io) and rethrows a failing disk (exit 1).
  const text = io.readText(path, flag, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (e) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${flag}: ${JSON.stringify(path)} is not valid JSON (${(e as Error).message})`,
      flag,
    );
  }
  current = { flag, json };
  return json;
}

let current: { flag: string; json: unknown } | undefined;

/** The input document read last by this run (reset by `runMain` before each command). */
export function lastInput(): { flag: string; json: unknown } | undefined {
  return current;
}

/** Forget the last input (a new command starts). */
export function resetInput(): void {
  current = undefined;
}
