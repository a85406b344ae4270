/**
 * Issue 18, the sweep findings (the engine behind `mechlab sweep` and `mechlab contribution`): path
 * traversal through spec.name, planted symlinks, silent clobbering, --out exit codes, journal integrity
 * (checksums, precise reports, recompute on --resume), stale temporaries, --workers, replicates × grid.
 * Each runs the CLI in-process on the real file system with small ccs.random-graph sweeps.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliOnDisk, expectBadInput, type CliResult } from './helpers';

jest.setTimeout(120_000);

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mechlab-hardening-sweep-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function run(argv: string[], cwd?: string): Promise<CliResult> {
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    return await cliOnDisk(argv);
  } finally {
    process.chdir(before);
  }
}

function spec(name: string, extra: Record<string, unknown> = {}): string {
  const p = join(root, `${name.replace(/[^a-z0-9]/gi, '_')}.json`);
  writeFileSync(
    p,
    JSON.stringify({
      experiment: 'ccs.random-graph',
      name,
      grid: { n: [4, 6] },
      params: { rho: 0.3 },
      replicates: 30,
      seed: 1,
      ...extra,
    }),
  );
  return p;
}

/** The summary line of a `--json` sweep. */
function summary(r: CliResult): {
  warnings: string[];
  workers: number;
  status: string;
  files: Record<string, string>;
} {
  const lines = r.stdout.trimEnd().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as ReturnType<typeof summary>;
}

const sweep = (specFile: string, out: string, ...more: string[]) =>
  run(['sweep', specFile, '--out', out, '--workers', '0', '--json', ...more]);

describe('finding 1: spec.name cannot aim the default output directory elsewhere', () => {
  it('"name": "../../../../tmp/victim" is refused naming spec.name; the victim is untouched', async () => {
    const cwd = join(root, 'cwd');
    const victim = join(root, 'victim');
    mkdirSync(cwd);
    mkdirSync(victim);
    writeFileSync(join(victim, 'rows.csv'), 'precious');
    for (const name of ['../victim', '../../victim', '..', 'a/b', '.hidden']) {
      const r = await run(['sweep', spec(name), '--workers', '0'], cwd);
      expectBadInput(r, /^error: spec\.name: /);
    }
    expect(readdirSync(victim)).toEqual(['rows.csv']);
    expect(readFileSync(join(victim, 'rows.csv'), 'utf8')).toBe('precious');
    expect(readdirSync(cwd)).toEqual([]);
    // A plain name still gets out/sweeps/<name> under the working directory.
    const ok = await run(['sweep', spec('coins'), '--workers', '0', '--json'], cwd);
    expect(ok.code).toBe(0);
    expect(readdirSync(join(cwd, 'out', 'sweeps'))).toEqual(['coins']);
  });
});

describe('finding 3: planted symlinks are refused, never written through', () => {
  it('journal.csv as a symlink (with and without --resume): exit 2 naming out, target untouched', async () => {
    const out = join(root, 'out');
    mkdirSync(out);
    const victim = join(root, 'victim.csv');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(out, 'journal.csv'));
    for (const extra of [[], ['--resume'], ['--force']]) {
      const r = await sweep(spec('coins'), out, ...extra);
      expectBadInput(r, /^error: out: refusing to write through the symbolic link/);
    }
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('manifest.json planted as a symlink: never read or followed; --force replaces the link itself', async () => {
    const out = join(root, 'out');
    const s = spec('coins');
    expect((await sweep(s, out)).code).toBe(0);
    const victim = join(root, 'victim.json');
    writeFileSync(victim, 'precious');
    rmSync(join(out, 'manifest.json'));
    symlinkSync(victim, join(out, 'manifest.json'));
    expectBadInput(
      await sweep(s, out),
      /^error: out: .* holds a manifest\.json that is not a readable sweep manifest/,
    );
    expectBadInput(
      await sweep(s, out, '--resume'),
      /^error: out: refusing to write through the symbolic link/,
    );
    expect((await sweep(s, out, '--force')).code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(join(out, 'manifest.json')).isFile()).toBe(true);
  });
});

describe('finding 4: no silent clobbering', () => {
  it('a user directory or another sweep is refused unless --force; the same sweep reruns', async () => {
    const user = join(root, 'user');
    mkdirSync(user);
    writeFileSync(join(user, 'thesis.tex'), 'years of work');
    expectBadInput(
      await sweep(spec('coins'), user),
      /^error: out: .* is not empty and holds files no sweep writes \(thesis\.tex\).*--force/,
    );
    expect(readdirSync(user)).toEqual(['thesis.tex']);

    const other = join(root, 'other');
    expect((await sweep(spec('coins'), other)).code).toBe(0);
    const before = readFileSync(join(other, 'rows.csv'), 'utf8');
    expectBadInput(
      await sweep(spec('coins2', { seed: 2 }), other),
      /^error: out: .* holds another sweep \(coins2?, spec hash/,
    );
    expect(readFileSync(join(other, 'rows.csv'), 'utf8')).toBe(before);
    expect((await sweep(spec('coins'), other)).code).toBe(0); // same sweep: recomputed in place
    expect((await sweep(spec('coins2', { seed: 2 }), other, '--force')).code).toBe(0);
    expect(readFileSync(join(other, 'rows.csv'), 'utf8')).not.toBe(before);
  });
});

describe('finding 5: every --out case exits 2 naming --out (sweep and contribution)', () => {
  it.each([['/dev/null'], ['/dev/null/x'], ['a regular file'], ['']])('--out %s', async (kind) => {
    const out = kind === 'a regular file' ? join(root, 'plain.txt') : kind;
    if (kind === 'a regular file') writeFileSync(out, 'x');
    expectBadInput(await run(['sweep', spec('coins'), '--workers', '0', '--out', out]), /^error: (--)?out/);
    expectBadInput(await run(['contribution', '--replicates', '5', '--out', out]), /^error: (--)?out/);
    expect(readdirSync(process.cwd()).filter((f) => f.endsWith('.svg') || f === 'rows.csv')).toEqual([]);
  });
});

describe('finding 6: journal integrity', () => {
  /** Run, damage the first committed row with `damage`, resume: the report and the recomputed files. */
  async function damaged(damage: (row: string) => string) {
    const s = spec('coins');
    const clean = join(root, 'clean');
    expect((await sweep(s, clean)).code).toBe(0);
    const out = join(root, 'dirty');
    expect((await sweep(s, out)).code).toBe(0);
    const jf = join(out, 'journal.csv');
    const lines = readFileSync(jf, 'latin1').split('\n');
    lines[1] = damage(lines[1]!);
    writeFileSync(jf, lines.join('\n'), 'latin1');
    const r = await sweep(s, out, '--resume');
    expect(r.code).toBe(0);
    for (const f of ['rows.csv', 'aggregates.csv']) {
      expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(clean, f), 'utf8'));
    }
    expect(readdirSync(out).filter((f) => /\.(mechlab-)?tmp-/.test(f))).toEqual([]);
    return summary(r).warnings;
  }

  it('a changed digit in a committed row: checksum mismatch reported with line and task, task recomputed', async () => {
    const w = await damaged((row) => row.replace(/(\d)$/, (d) => String((Number(d) + 1) % 10)));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(
      /^journal\.csv line \d+: checksum mismatch \(marker [0-9a-f]{8}, rows [0-9a-f]{8}\): a committed row was changed; task \S+ is recomputed$/,
    );
  });

  it('a committed row with a missing field: reported and recomputed (was: --resume blocked forever)', async () => {
    const w = await damaged((row) => row.slice(0, row.lastIndexOf(',')));
    expect(w[0]).toMatch(/^journal\.csv line \d+: checksum mismatch .*; task \S+ is recomputed$/);
  });

  it('stale temp files of a killed run (@mechlab/io scheme and the older .tmp-<pid>) are removed by the next run', async () => {
    const out = join(root, 'out');
    const s = spec('coins');
    expect((await sweep(s, out)).code).toBe(0);
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']));
    for (const f of [
      `rows.csv.tmp-${dead}`,
      `results.duckdb.tmp-${dead}`,
      `results.duckdb.tmp-${dead}.wal`,
      `rows.csv.mechlab-tmp-${dead}-0`,
      `aggregates.csv.mechlab-tmp-${dead}-1`,
      `results.duckdb.mechlab-tmp-${dead}-2`,
      `results.duckdb.mechlab-tmp-${dead}-2.wal`,
    ]) {
      writeFileSync(join(out, f), 'half-written');
    }
    expect((await sweep(s, out, '--resume')).code).toBe(0);
    expect(readdirSync(out).filter((f) => /\.(mechlab-)?tmp-/.test(f))).toEqual([]);
  });
});

describe('finding 2: sizes a user controls', () => {
  it('--workers 1024 on a 2-point sweep runs at most min(tasks, cores) threads', async () => {
    const r = await run(['sweep', spec('coins'), '--out', join(root, 'w'), '--workers', '1024', '--json']);
    expect(r.code).toBe(0);
    expect(summary(r).workers).toBeLessThanOrEqual(Math.min(availableParallelism(), 2));
  });

  it('--replicates 1e8 and a 10⁶-point grid are refused at once naming the field', async () => {
    const t0 = Date.now();
    expectBadInput(
      await run(['sweep', spec('coins'), '--replicates', '100000000', '--out', join(root, 'r')]),
      /^error: --replicates: 2 points × 100000000 replicates = 2\.00e\+8 instances would write about \d+ GiB/,
    );
    const n = Array.from({ length: 1001 }, (_, i) => i + 2);
    const rho = Array.from({ length: 1000 }, (_, i) => (i + 1) / 1001);
    expectBadInput(
      await run(['sweep', spec('big', { grid: { n, rho }, params: {} }), '--out', join(root, 'g')]),
      /^error: spec\.grid: 1\.00e\+6 points, over the 1000000 limit/,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(existsSync(join(root, 'r'))).toBe(false);
    expectBadInput(await run(['sweep', '/dev/zero']), /^error: spec: cannot read "\/dev\/zero"/);
  });
});
