/** The CLI's window on the world, injectable so tests run commands in-process. */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MechlabError } from '@mechlab/core';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readText(path: string): string;
  writeFile(path: string, data: string | Uint8Array): void;
  /** Is stdout a terminal (for progress bars and colour)? */
  readonly isTty: boolean;
}

export const nodeIo: Io = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readText: (p) => readFileSync(p, 'utf8'),
  writeFile: (p, d) => {
    mkdirSync(dirname(resolve(p)), { recursive: true });
    writeFileSync(p, d);
  },
  isTty: process.stdout.isTTY === true,
};

/**
 * Read and parse a JSON file named by a flag. A missing file or malformed JSON is bad input (exit 2),
 * reported against the flag that named it.
 */
export function readJsonFile(io: Io, path: string, flag: string): unknown {
  let text: string;
  try {
    text = io.readText(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(e));
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${flag}: cannot read ${JSON.stringify(path)} (${why})`,
      flag,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${flag}: ${JSON.stringify(path)} is not valid JSON (${(e as Error).message})`,
      flag,
    );
  }
}
