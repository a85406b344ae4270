/**
 * "Sweep your own model" (FORMATS.md "Experiment module"): a plain `.mjs` experiment written to a
 * temporary directory outside the repository runs from its SPEC.json inline, on 2 worker threads and
 * through a test Redis queue with byte-identical `rows.csv` and `aggregates.csv`; every bad-module case
 * gets its exit code and exactly one `error:` line. Real processes (tests/fixtures/run-cli.ts and
 * `mechlab worker`), so the module loads through `import()` as it does under `bin/mechlab.js`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startRedis, type TestRedis } from '../../../tools/testing/redis-server';

jest.setTimeout(180_000);

const repoRoot = join(__dirname, '..', '..', '..');
const main = join(repoRoot, 'apps', 'cli', 'src', 'main.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run command lines in one Node process (see fixtures/run-cli.ts). */
function runCli(runs: string[][]): Run[] {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fixtures', 'run-cli.ts'), JSON.stringify(runs)],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`run-cli exited ${String(r.status)}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Run[];
}

const COIN = `export default {
  name: 'coin.flips',
  description: 'heads in a run of coin flips',
  params: {
    p: { default: 0.5, min: 0, max: 1 },
    flips: { default: 20, min: 1, integer: true },
  },
  metrics: ['heads', 'longestRun'],
  run(rng, params) {
    let heads = 0, run = 0, best = 0;
    for (let i = 0; i < params.flips; i++) {
      if (rng.next() < params.p) { heads++; run++; best = Math.max(best, run); } else run = 0;
    }
    return [heads, best];
  },
};
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mechlab-own-model-'));
  // Outside the repository: nothing there can resolve mechlab's packages.
  expect(relative(repoRoot, dir).startsWith('..')).toBe(true);
  writeFileSync(join(dir, 'coin.mjs'), COIN);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spec(name: string, doc: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      module: './coin.mjs',
      name,
      grid: { p: [0.2, 0.8] },
      params: { flips: 50 },
      replicates: 300,
      seed: 9,
      ...doc,
    }),
  );
  return file;
}

const read = (d: string, f: string): string => readFileSync(join(d, f), 'utf8');

describe('a user experiment module named by SPEC.json', () => {
  it('runs inline, on 2 workers and through a Redis queue with byte-identical rows and aggregates', async () => {
    const file = spec('coins', {});
    const [inline, pooled] = runCli([
      ['sweep', file, '--workers', '0', '--out', join(dir, 'inline'), '--json'],
      ['sweep', file, '--workers', '2', '--out', join(dir, 'w2'), '--json'],
    ]);
    expect(inline!.stderr).toBe('');
    expect(inline!.code).toBe(0);
    expect(pooled!.code).toBe(0);
    const summary = JSON.parse(pooled!.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'complete', experiment: 'coin.flips', workers: 2, points: 2 });
    const rows = read(join(dir, 'inline'), 'rows.csv');
    expect(rows.split('\n')[0]).toBe('point,replicate,p,heads,longestRun');
    expect(rows.trim().split('\n')).toHaveLength(1 + 600);
    const agg = read(join(dir, 'inline'), 'aggregates.csv');
    // E[heads] = 50 p: the means are within 3 standard errors.
    for (const [p, line] of [
      [0.2, agg.split('\n')[1]!],
      [0.8, agg.split('\n')[3]!],
    ] as const) {
      const f = line.split(',');
      expect(f.slice(1, 4)).toEqual([String(p), '', 'heads']);
      expect(Math.abs(Number(f[5]) - 50 * p)).toBeLessThan(
        (3 * Math.sqrt(50 * p * (1 - p))) / Math.sqrt(300) + 1e-9,
      );
    }
    for (const f of ['rows.csv', 'aggregates.csv'])
      expect(read(join(dir, 'w2'), f)).toBe(read(join(dir, 'inline'), f));

    let redis: TestRedis | undefined;
    let worker: ChildProcess | undefined;
    try {
      redis = await startRedis();
      worker = spawn(
        process.execPath,
        ['--import', 'tsx', main, 'worker', '--queue', redis.url, '--idle-exit', '20'],
        {
          cwd: repoRoot,
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let werr = '';
      worker.stderr!.on('data', (b: Buffer) => (werr += b.toString()));
      const exited = new Promise<void>((resolve) => worker!.on('exit', () => resolve()));
      // The same worker also serves a built-in preset: it imports coalition.market from its package.
      const preset = ['sweep', 'coalition-vary-gamma', '--replicates', '40'];
      const [queued, builtinQueued, builtinLocal] = runCli([
        ['sweep', file, '--queue', redis.url, '--out', join(dir, 'queue'), '--json'],
        [...preset, '--queue', redis.url, '--out', join(dir, 'coalition-queue'), '--json'],
        [...preset, '--workers', '0', '--out', join(dir, 'coalition-local'), '--json'],
      ]);
      expect(queued!.stderr).toBe('');
      expect(queued!.code).toBe(0);
      for (const f of ['rows.csv', 'aggregates.csv'])
        expect(read(join(dir, 'queue'), f)).toBe(read(join(dir, 'inline'), f));
      expect([builtinQueued!.code, builtinLocal!.code]).toEqual([0, 0]);
      for (const f of ['rows.csv', 'aggregates.csv', 'figure.json'])
        expect(read(join(dir, 'coalition-queue'), f)).toBe(read(join(dir, 'coalition-local'), f));
      worker.kill('SIGTERM');
      await exited;
      expect(werr).toMatch(/worker: serving/);
      expect(werr).not.toMatch(/error/);
    } finally {
      worker?.kill('SIGKILL');
      await redis?.stop();
    }
  });

  it('each bad module gets its exit code and exactly one error line', () => {
    writeFileSync(join(dir, 'nodefault.mjs'), 'export const experiment1 = 1;\n');
    writeFileSync(
      join(dir, 'shape.mjs'),
      "export default { name: 'bad', params: {}, metrics: 'heads', run() { return [1]; } };\n",
    );
    writeFileSync(
      join(dir, 'length.mjs'),
      "export default { name: 'len', params: {}, metrics: ['a', 'b'], run() { return [1]; } };\n",
    );
    writeFileSync(
      join(dir, 'throws.mjs'),
      "export default { name: 'boom', params: { p: { default: 0.5 } }, metrics: ['a'],\n" +
        "  run(rng, params) { if (params.p > 0.6 && rng.next() < 0.5) throw new Error('boom: the model broke'); return [1]; } };\n",
    );
    writeFileSync(join(dir, 'syntax.mjs'), 'export default {\n');
    const cases: [string, string[], number, RegExp][] = [
      [
        'missing file',
        [spec('missing', { module: './nope.mjs' })],
        2,
        /^error: spec\.module: no such file .*nope\.mjs$/,
      ],
      [
        'no default export',
        [spec('nodefault', { module: './nodefault.mjs' })],
        2,
        /^error: spec\.module .*has no default export/,
      ],
      [
        'wrong shape',
        [spec('shape', { module: './shape.mjs' })],
        2,
        /^error: spec\.module: .*metrics must be a non-empty array/,
      ],
      [
        'does not parse',
        [spec('syntax', { module: './syntax.mjs' })],
        2,
        /^error: spec\.module: cannot import/,
      ],
      [
        'wrong length',
        [spec('length', { module: './length.mjs', grid: { x: [1] } }), '--workers', '0'],
        2,
        /^error: spec\.grid\.x is not a parameter of len/,
      ],
      [
        'run returns 1 of 2',
        [spec('length2', { module: './length.mjs', grid: {}, params: {} }), '--workers', '0'],
        2,
        /^error: spec\.grid must have at least one axis/,
      ],
      [
        'bad grid value',
        [spec('badgrid', { grid: { p: [0.5, 2] } })],
        2,
        /^error: spec\.grid\.p\[1\] must be ≤ 1, got 2$/,
      ],
      [
        'bad params value',
        [spec('badparam', { params: { flips: 0 } })],
        2,
        /^error: spec\.params\.flips must be ≥ 1, got 0$/,
      ],
      [
        'not an integer',
        [spec('badint', { params: { flips: 2.5 } })],
        2,
        /^error: spec\.params\.flips must be an integer, got 2\.5$/,
      ],
      [
        'unknown param',
        [spec('unknown', { params: { flipz: 3 } })],
        2,
        /^error: spec\.params has unknown key "flipz"$/,
      ],
    ];
    // A module with a parameter to sweep, so `run` itself is reached.
    writeFileSync(
      join(dir, 'length3.mjs'),
      "export default { name: 'len3', params: { k: { default: 1, min: 0 } }, metrics: ['a', 'b'], run() { return [1]; } };\n",
    );
    for (const w of ['0', '2']) {
      cases.push([
        `run returns the wrong length (${w} workers)`,
        [
          spec(`length3-${w}`, { module: './length3.mjs', grid: { k: [1, 2] }, params: {}, replicates: 3 }),
          '--workers',
          w,
        ],
        2,
        /^error: spec\.module: len3\.run must return 2 numbers \(a, b\), got 1 values \(point \d .*replicate 0\)$/,
      ]);
      cases.push([
        `run throws (${w} workers)`,
        [
          spec(`throws-${w}`, {
            module: './throws.mjs',
            grid: { p: [0.5, 0.9] },
            params: {},
            replicates: 40,
            blockSize: 40,
          }),
          '--workers',
          w,
        ],
        1,
        /^error: experiment boom threw at point 1 \{"p":0\.9\}, replicate \d+: boom: the model broke$/,
      ]);
    }
    // One shared --out for every case: --force (issue 18), since each case is a different sweep.
    const results = runCli(
      cases.map(([, argv]) => ['sweep', ...argv, '--out', join(dir, 'bad-out'), '--force']),
    );
    cases.forEach(([label, , code, message], i) => {
      const r = results[i]!;
      expect({ label, code: r.code, stdout: r.stdout }).toEqual({ label, code, stdout: '' });
      const lines = r.stderr.trimEnd().split('\n');
      expect({ label, lines: lines.length }).toEqual({ label, lines: 1 });
      expect(lines[0]).toMatch(message);
    });
  });
});
