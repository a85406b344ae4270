import { runMain } from '../src/main';
import { nodeIo, type Io } from '../src/io';
import { join } from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process with captured streams; `files` are virtual inputs looked up before disk. */
export async function cli(argv: string[], files: Record<string, unknown> = {}): Promise<CliResult> {
  let stdout = '',
    stderr = '';
  const written: Record<string, string | Uint8Array> = {};
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readText: (p, flag, maxBytes) => {
      if (p in files) {
        const v = files[p];
        return typeof v === 'string' ? v : JSON.stringify(v);
      }
      return nodeIo.readText(p, flag, maxBytes);
    },
    writeFile: (p, d) => void (written[p] = d),
    claimOut: (dir) => ({
      write: (name, d) => {
        const p = join(dir, name);
        written[p] = d;
        return p;
      },
    }),
    isTty: false,
  };
  const code = await runMain(argv, io);
  return { code, stdout, stderr };
}

/** Run the CLI in-process on the real file system (`nodeIo`) with captured streams. */
export async function cliOnDisk(argv: string[], isTty = false): Promise<CliResult> {
  let stdout = '',
    stderr = '';
  const io: Io = {
    ...nodeIo,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTty,
  };
  const code = await runMain(argv, io);
  return { code, stdout, stderr };
}

/** Assert the FORMATS.md bad-input contract: exit 2, empty stdout, one `error:` line naming `field`. */
export function expectBadInput(r: CliResult, field: string | RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  if (typeof field === 'string') expect(lines[0]).toContain(field);
  else expect(lines[0]).toMatch(field);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}
