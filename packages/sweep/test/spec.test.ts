/** Spec validation (FORMATS.md: bad input → exit 2 and one `error:` line naming the field), presets, tasks. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MechlabError, isMechlabError } from '@mechlab/core';
import { ccsPresets } from '@mechlab/ccs';
import { loadSweepSpec, parseSweepSpec as parseWith, sweepCli } from '../src';
import type { SweepCliIo } from '../src/cli';
import { parseShard } from '../src/shard';
import { planSweep as planWith } from '../src/spec';
import { cleanup, tmpDir } from './helpers';
import { CATALOGUE, EXPERIMENTS } from './fixtures/experiments';
import { expectMechlabError } from '@mechlab/core/testing';

const good = { experiment: 'ccs.random-graph', grid: { n: [10, 20] }, replicates: 5, seed: 1 };

const parseSweepSpec = (doc: unknown): ReturnType<typeof parseWith> => parseWith(doc, EXPERIMENTS);
const planSweep = (spec: Parameters<typeof planWith>[0]): ReturnType<typeof planWith> =>
  planWith(spec, EXPERIMENTS);
const presets = Object.fromEntries(ccsPresets.map((p) => [p.name, { version: 1 as const, ...p }]));

async function asyncErrorOf(f: () => Promise<unknown>): Promise<MechlabError> {
  try {
    await f();
  } catch (e) {
    if (isMechlabError(e)) return e;
    throw e;
  }
  throw new Error('expected a MechlabError');
}

describe('parseSweepSpec', () => {
  it('accepts a minimal spec and fills defaults', () => {
    const s = parseSweepSpec(good);
    expect(s).toMatchObject({ version: 1, name: 'ccs.random-graph', params: {}, replicates: 5, seed: 1 });
  });

  it.each([
    [
      { ...good, grid: { n: [10, 20, 0] } },
      'spec.grid.n[2]',
      /^spec\.grid\.n\[2\] must be ≥ 1, got 0$/,
      'ERR_OUT_OF_RANGE',
    ],
    [
      { ...good, grid: { n: [10, 2.5] } },
      'spec.grid.n[1]',
      /must be an integer, got 2\.5/,
      'ERR_INVALID_TYPE',
    ],
    [{ ...good, grid: { rho: [0.1, 1.5] } }, 'spec.grid.rho[1]', /must be ≤ 1, got 1\.5/, 'ERR_OUT_OF_RANGE'],
    [
      { ...good, grid: { nn: [1] } },
      'spec.grid.nn',
      /is not a parameter of ccs\.random-graph \(expected one of n, rho/,
      'ERR_INVALID_INPUT',
    ],
    [{ ...good, grid: { n: [10, 10] } }, 'spec.grid.n[1]', /repeats the value 10/, 'ERR_INVALID_INPUT'],
    [{ ...good, grid: {} }, 'spec.grid', /at least one axis/, 'ERR_INVALID_INPUT'],
    [{ ...good, grid: { n: [] } }, 'spec.grid.n', /must have ≥ 1 items/, 'ERR_OUT_OF_RANGE'],
    [{ ...good, replicates: 0 }, 'spec.replicates', /must be ≥ 1, got 0/, 'ERR_OUT_OF_RANGE'],
    [{ ...good, replicates: '5' }, 'spec.replicates', /must be a number, got "5"/, 'ERR_INVALID_TYPE'],
    [{ ...good, seed: -1 }, 'spec.seed', /./, undefined],
    [
      { ...good, experiment: 'nope' },
      'spec.experiment',
      /must be a known experiment \(.*ccs\.random-graph.*\) or give "module", got "nope"/,
      'ERR_INVALID_INPUT',
    ],
    [{ ...good, params: { rho: -0.1 } }, 'spec.params.rho', /must be ≥ 0, got -0\.1/, 'ERR_OUT_OF_RANGE'],
    [{ ...good, params: { costmax: 2 } }, 'spec.params', /unknown key "costmax"/, 'ERR_INVALID_INPUT'],
    [{ ...good, params: { n: 5 } }, 'spec.grid.n', /also fixed in spec\.params\.n/, 'ERR_INVALID_INPUT'],
    [
      { ...good, params: { costDist: 'lognormal' } },
      'spec.params.costDist',
      /must be one of "uniform"/,
      'ERR_INVALID_INPUT',
    ],
    [{ ...good, extra: 1 }, 'spec', /unknown key "extra"/, 'ERR_INVALID_INPUT'],
    [{ ...good, blockSize: 0 }, 'spec.blockSize', /must be ≥ 1/, 'ERR_OUT_OF_RANGE'],
    [{ ...good, version: 2 }, 'spec.version', /./, undefined],
    [[1, 2], 'spec', /must be an object/, 'ERR_INVALID_TYPE'],
  ])('rejects %j naming %s', (doc, field, message, code) => {
    const e = expectMechlabError(() => parseSweepSpec(doc));
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(field)).toBe(true);
    if (code) expect(e.code).toBe(code);
  });

  it('rejects a grid that would change the metric columns between points', () => {
    const e = expectMechlabError(() => planSweep(parseSweepSpec({ ...good, grid: { exactMaxN: [0, 5] } })));
    expect(e.field).toBe('spec.grid');
    expect(e.message).toMatch(/changes the metric columns/);
  });
});

describe('presets and plans', () => {
  it('ships the three experiments of MODELS.md §1.4 with 1000 replicates per point', () => {
    expect(Object.keys(presets)).toEqual(['ccs-vary-n', 'ccs-vary-p', 'ccs-vary-cost']);
    expect(CATALOGUE.presets.map((p) => p.name)).toEqual(Object.keys(presets));
    expect(presets['ccs-vary-n']!.grid.n).toEqual([10, 20, 50, 100, 200, 500, 1000]);
    expect(presets['ccs-vary-p']!.grid.rho).toEqual([0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9]);
    expect(presets['ccs-vary-cost']!.grid.costMax).toEqual([0.25, 0.5, 1, 2, 4]);
    for (const p of Object.values(presets)) {
      expect(p.replicates).toBe(1000);
      expect(parseSweepSpec(p)).toEqual({ ...p, blockSize: undefined });
    }
  });

  it('loadSweepSpec applies --replicates/--seed before validation and reads SPEC.json files', async () => {
    expect(await loadSweepSpec('ccs-vary-p', CATALOGUE, { replicates: 7, seed: 'x' })).toMatchObject({
      replicates: 7,
      seed: 'x',
    });
    expect((await asyncErrorOf(() => loadSweepSpec('ccs-vary-p', CATALOGUE, { replicates: 0 }))).field).toBe(
      'spec.replicates',
    );
    expect((await asyncErrorOf(() => loadSweepSpec('no-such-preset', CATALOGUE))).message).toMatch(
      /must be a preset \(ccs-vary-n/,
    );
    const d = tmpDir('spec');
    try {
      fs.writeFileSync(path.join(d, 'bad.json'), '{ nope');
      expect((await asyncErrorOf(() => loadSweepSpec('bad.json', CATALOGUE, { cwd: d }))).message).toMatch(
        /valid JSON/,
      );
      fs.writeFileSync(path.join(d, 'ok.json'), JSON.stringify(good));
      expect((await loadSweepSpec('ok.json', CATALOGUE, { cwd: d, replicates: 3 })).replicates).toBe(3);
    } finally {
      cleanup(d);
    }
  });

  it('loadSweepSpec sizes the raw document once: points, axes and replicates as the parsed spec has them', async () => {
    const sizes: number[][] = [];
    const spec = await loadSweepSpec('ccs-vary-p', CATALOGUE, {
      replicates: 7,
      checkSize: (...s) => void sizes.push(s),
    });
    expect(sizes).toEqual([[spec.grid.rho!.length, Object.keys(spec.grid).length, spec.replicates]]);
    expect(sizes).toEqual([[7, 1, 7]]);
  });

  it('decomposes into tasks whose ids and blocks do not depend on anything but the spec', () => {
    const plan = planSweep(parseSweepSpec({ ...good, replicates: 23, blockSize: 10 }));
    expect(plan.tasks.map((t) => t.id)).toEqual([
      'p0r0-10',
      'p0r10-20',
      'p0r20-23',
      'p1r0-10',
      'p1r10-20',
      'p1r20-23',
    ]);
    expect(plan.points[1]!.key).toBe(
      '{"costDist":"uniform","costMax":1,"exactMaxN":0,"n":20,"rho":0.1,"thetaDist":"uniform","thetaMax":1,"wMax":1,"weightDist":"uniform"}',
    );
    // The automatic block size follows the cost model: big n ⇒ small blocks.
    const auto = planSweep(presets['ccs-vary-n']!);
    const sizes = auto.points.map((p) => auto.tasks.find((t) => t.point === p.index)!.r1);
    expect(sizes[0]).toBe(250);
    expect(sizes[6]).toBeLessThan(20);
    expect(auto.specHash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('parseShard takes 0-based i/k', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['3/3', '1', 'a/b', '-1/2', '0/0']) {
      expect(expectMechlabError(() => parseShard(bad, '--shard')).field).toBe('--shard');
    }
  });
});

function captureIo(): SweepCliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTty: false,
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
  };
  return io;
}

describe('sweepCli (the `mechlab sweep` command)', () => {
  it.each([
    [['ccs-vary-n', '--replicates', '0'], /^error: --replicates must be an integer ≥ 1, got "0"\n$/],
    [['ccs-vary-n', '--workers', 'many'], /^error: --workers must be an integer ≥ 0, got "many"\n$/],
    [['ccs-vary-n', '--shard', '3/3'], /^error: --shard must be i\/k/],
    [['nope.json'], /^error: spec must be a preset/],
    [[], /^error: spec must be exactly one PRESET\|SPEC\.json argument/],
    [['ccs-vary-n', '--frobnicate'], /^error: sweep: Unknown option '--frobnicate'/],
  ])('%j → exit 2, nothing on stdout, one field-naming error line', async (argv, message) => {
    const io = captureIo();
    expect(await sweepCli([...argv, '--json'], io, CATALOGUE)).toBe(2);
    expect(io.out).toBe('');
    expect(io.err).toMatch(message);
    expect(io.err.split('\n')).toHaveLength(2);
  });

  it('a bad SPEC.json file exits 2 from a real process, naming the field', () => {
    const d = tmpDir('cli');
    try {
      const file = path.join(d, 'spec.json');
      fs.writeFileSync(file, JSON.stringify({ ...good, grid: { n: [10, 20, 0] } }));
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'fixtures', 'sweep-main.ts'), file, '--json'],
        {
          cwd: path.join(__dirname, '..', '..', '..'),
          encoding: 'utf8',
        },
      );
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('error: spec.grid.n[2] must be ≥ 1, got 0\n');
    } finally {
      cleanup(d);
    }
  }, 20_000);

  it('--json streams progress lines then a summary; --resume of a finished sweep runs nothing', async () => {
    const d = tmpDir('cli');
    try {
      const file = path.join(d, 'spec.json');
      fs.writeFileSync(file, JSON.stringify({ ...good, grid: { n: [10, 20, 30] }, blockSize: 2 }));
      const out = path.join(d, 'out');
      const io = captureIo();
      expect(await sweepCli([file, '--out', out, '--workers', '0', '--json'], io, CATALOGUE)).toBe(0);
      const lines = io.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines[0]).toMatchObject({ type: 'progress', done: 0, total: 15 });
      expect(lines.at(-2)).toMatchObject({ type: 'progress', done: 15, total: 15, eta: 0 });
      const summary = lines.at(-1)!;
      expect(summary).toMatchObject({
        type: 'summary',
        status: 'complete',
        instances: { total: 15, done: 15, run: 15 },
      });
      expect(Object.keys(summary.files as object)).toEqual(
        expect.arrayContaining(['rows', 'aggregates', 'duckdb', 'figureJson', 'manifest', 'journal']),
      );
      const again = captureIo();
      expect(
        await sweepCli([file, '--out', out, '--workers', '0', '--resume', '--json'], again, CATALOGUE),
      ).toBe(0);
      expect(again.out.trim().split('\n').at(-1)).toMatch(
        /"tasks":\{"total":9,"inShard":9,"skipped":9,"run":0\}/,
      );
    } finally {
      cleanup(d);
    }
  }, 20_000);

  it('--shard runs write partial directories that --merge combines', async () => {
    const d = tmpDir('cli');
    try {
      const file = path.join(d, 'spec.json');
      fs.writeFileSync(file, JSON.stringify({ ...good, blockSize: 2 }));
      const io = captureIo();
      for (const i of [0, 1]) {
        expect(
          await sweepCli(
            [file, '--shard', `${i}/2`, '--out', path.join(d, `s${i}`), '--workers', '0'],
            io,
            CATALOGUE,
          ),
        ).toBe(0);
      }
      expect(await sweepCli([file, '--out', path.join(d, 'whole'), '--workers', '0'], io, CATALOGUE)).toBe(0);
      expect(
        await sweepCli(['--merge', `${path.join(d, 's0')}`, '--out', path.join(d, 'm')], io, CATALOGUE),
      ).toBe(2);
      expect(io.err).toMatch(/error: dirs are missing 3 of 6 tasks \(first: p0r2-4\)/);
      expect(
        await sweepCli(
          ['--merge', `${path.join(d, 's0')},${path.join(d, 's1')}`, '--out', path.join(d, 'm')],
          io,
          CATALOGUE,
        ),
      ).toBe(0);
      for (const f of ['rows.csv', 'aggregates.csv', 'manifest.json']) {
        expect(fs.readFileSync(path.join(d, 'm', f), 'utf8')).toBe(
          fs.readFileSync(path.join(d, 'whole', f), 'utf8'),
        );
      }
    } finally {
      cleanup(d);
    }
  }, 20_000);
});
