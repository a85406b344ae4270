/**
 * mechlab's sweep catalogue through the CLI: every preset is listed and runs; `mechlab contribution`
 * is the engine's `contribution-vary-tau` row for row; the forum and coalition presets give identical
 * files for 0 and 2 worker threads and after a SIGKILL + `--resume`; the CLI's figure renderer draws
 * the engine's figure data.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSweepSpec, readAggregates, scanJournal } from '@mechlab/sweep';
import { figureChart, figureData } from '@mechlab/sweep/spec';
import { BUILTIN_EXPERIMENTS, BUILTIN_PRESETS, catalogue } from '../src/catalogue';
import { plotRenderer } from '../src/figure-renderer';
import { cli, expectBadInput } from './helpers';

jest.setTimeout(120_000);

const repoRoot = join(__dirname, '..', '..', '..');
/** Files that must be byte-identical across worker counts and after a resume. */
const RESULT_FILES = ['rows.csv', 'aggregates.csv', 'manifest.json', 'figure.json'] as const;

let root: string;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'mechlab-cli-sweep-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

describe('the catalogue', () => {
  it('holds every model package’s experiment, and `mechlab sweep --help` lists every preset', async () => {
    expect(BUILTIN_EXPERIMENTS.map((e) => e.name)).toEqual([
      'ccs.random-graph',
      'contribution.threshold',
      'forum.game',
      'coalition.market',
    ]);
    for (const e of BUILTIN_EXPERIMENTS) expect(e.source?.module).toMatch(/experiment\.(ts|js)$/);
    const r = await cli(['sweep', '--help']);
    expect(r.code).toBe(0);
    const names = BUILTIN_PRESETS.map((p) => p.name);
    expect(names).toEqual([
      'ccs-vary-n',
      'ccs-vary-p',
      'ccs-vary-cost',
      'contribution-vary-tau',
      'forum-vary-theta',
      'coalition-vary-gamma',
    ]);
    for (const n of names) expect(r.stdout).toContain(n);
    for (const e of BUILTIN_EXPERIMENTS) expect(r.stdout).toContain(e.name);
    expect(r.stdout).toContain('"module"');
    // Every preset is a valid spec of the catalogue.
    for (const p of BUILTIN_PRESETS) expect(parseSweepSpec(p, catalogue.experiments).name).toBe(p.name);
  });
});

describe('mechlab contribution = mechlab sweep contribution-vary-tau', () => {
  it('gives the same files row for row, and a table', async () => {
    const a = join(root, 'contribution');
    const b = join(root, 'preset');
    const r = await cli(['contribution', '--replicates', '30', '--workers', '0', '--out', a]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/mechanism/);
    expect(r.stdout).toMatch(/sequential/);
    const s = await cli([
      'sweep',
      'contribution-vary-tau',
      '--replicates',
      '30',
      '--workers',
      '0',
      '--out',
      b,
    ]);
    expect(s.code).toBe(0);
    for (const f of RESULT_FILES) expect(read(a, f)).toBe(read(b, f));
    const rows = read(a, 'rows.csv').trim().split('\n');
    expect(rows).toHaveLength(1 + 6 * 30);
    expect(rows[0]).toBe(
      'point,replicate,tau,' +
        ['subsidy', 'simultaneous', 'sequential']
          .flatMap((m) =>
            [
              'crossing',
              'totalCost',
              'leakage',
              'participants',
              'supply',
              'costIfCrossed',
              'wastedSupply',
              'sunkCost',
            ].map((k) => `${m}_${k}`),
          )
          .join(','),
    );
    expect(existsSync(join(a, 'figure.svg'))).toBe(true);
  });

  it('--vary / --set build the spec; withdrawal never leaks; 2 workers give the same files', async () => {
    const a = join(root, 'c-inline');
    const b = join(root, 'c-w2');
    const argv = [
      'contribution',
      '--vary',
      'tau=10,25',
      '--set',
      'n=60',
      '--replicates',
      '40',
      '--seed',
      '7',
    ];
    expect((await cli([...argv, '--workers', '0', '--out', a, '--json'])).code).toBe(0);
    expect((await cli([...argv, '--workers', '2', '--out', b, '--json'])).code).toBe(0);
    for (const f of RESULT_FILES) expect(read(b, f)).toBe(read(a, f));
    const [header, ...lines] = read(a, 'rows.csv').trim().split('\n');
    const cols = header!.split(',');
    const rows = lines.map((l) => l.split(',').map(Number));
    expect(rows).toHaveLength(80);
    for (const m of ['simultaneous', 'sequential']) {
      const k = cols.indexOf(`${m}_leakage`);
      expect(k).toBeGreaterThan(0);
      for (const row of rows) expect(row[k]).toBe(0);
    }
    const s = cols.indexOf('subsidy_leakage');
    expect(rows.some((row) => row[s]! > 0)).toBe(true);
    // costIfCrossed is empty exactly where the mechanism missed τ.
    const crossing = cols.indexOf('sequential_crossing');
    const cic = cols.indexOf('sequential_costIfCrossed');
    for (const row of rows) expect(Number.isNaN(row[cic]!) || row[cic] === 0).toBe(row[crossing] === 0);
    // wasted provision: the supply of a miss, nothing on a crossing; sunk costs only on misses
    for (const m of ['subsidy', 'simultaneous', 'sequential']) {
      const [cr, sup, ws, sc] = ['crossing', 'supply', 'wastedSupply', 'sunkCost'].map((k) =>
        cols.indexOf(`${m}_${k}`),
      );
      for (const row of rows) {
        expect(row[ws!]).toBe(row[cr!] === 1 ? 0 : row[sup!]);
        if (row[cr!] === 1) expect(row[sc!]).toBe(0);
      }
    }
    expect(rows.some((row) => row[cols.indexOf('subsidy_sunkCost')]! > 0)).toBe(true);
  });

  it('bad parameters are exit 2 naming the field', async () => {
    expectBadInput(
      await cli(['contribution', '--set', 'tau=-1', '--out', join(root, 'x1')]),
      'spec.grid.tau[0]',
    );
    expectBadInput(
      await cli(['contribution', '--vary', 'costHi=0.5', '--set', 'costLo=0.8', '--out', join(root, 'x2')]),
      /cost/,
    );
    expectBadInput(await cli(['contribution', '--set', 'bogus=1', '--out', join(root, 'x3')]), 'spec.params');
    expectBadInput(await cli(['contribution', '--vary', 'tau', '--out', join(root, 'x4')]), '--vary');
  });
});

function countDone(file: string): number {
  if (!existsSync(file)) return 0;
  return (readFileSync(file, 'latin1').match(/^#done /gm) ?? []).length;
}

/** Start `mechlab sweep ARGS` from sources, SIGKILL it after `after` journaled tasks; its journal. */
async function killMidway(args: string[], out: string, after: number): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'apps', 'cli', 'src', 'main.ts'), 'sweep', ...args, '--out', out],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const journal = join(out, 'journal.csv');
  const deadline = Date.now() + 60_000;
  while (countDone(journal) < after && Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  await exited;
  expect(stderr).toBe('');
  return scanJournal(journal).tasks.size;
}

describe.each([
  ['forum-vary-theta', '3', 5],
  ['coalition-vary-gamma', '1500', 3],
])('preset %s', (preset, replicates, killAfter) => {
  it('identical files for 0 and 2 workers and after SIGKILL + --resume', async () => {
    const w0 = join(root, `${preset}-w0`);
    const w2 = join(root, `${preset}-w2`);
    const killed = join(root, `${preset}-killed`);
    const args = [preset, '--replicates', replicates];
    expect((await cli(['sweep', ...args, '--workers', '0', '--out', w0])).code).toBe(0);
    expect((await cli(['sweep', ...args, '--workers', '2', '--out', w2])).code).toBe(0);
    for (const f of RESULT_FILES) expect(read(w2, f)).toBe(read(w0, f));

    const committed = await killMidway([...args, '--workers', '0'], killed, killAfter);
    // The kill must really have interrupted the run, otherwise this test proves nothing.
    expect(committed).toBeGreaterThanOrEqual(killAfter);
    expect(existsSync(join(killed, 'rows.csv'))).toBe(false);
    const r = await cli(['sweep', ...args, '--workers', '2', '--resume', '--out', killed, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { tasks: { skipped: number } };
    expect(summary.tasks.skipped).toBe(committed);
    for (const f of RESULT_FILES) expect(read(killed, f)).toBe(read(w0, f));
    // The figure is in the paper's form: one panel per metric, one series per strategy / structure.
    const fig = JSON.parse(read(w0, 'figure.json')) as { panels: { id: string; series: unknown[] }[] };
    expect(fig.panels.length).toBeGreaterThanOrEqual(2);
    expect(fig.panels[0]!.series.length).toBe(3);
    expect(read(w0, 'figure.svg').startsWith('<svg')).toBe(true);
  });
});

describe('the CLI figure renderer', () => {
  it('draws the engine’s figure data with @mechlab/plot: SVG with the series labels and a PNG', async () => {
    const d = join(root, 'fig');
    expect((await cli(['sweep', 'ccs-vary-p', '--replicates', '8', '--workers', '0', '--out', d])).code).toBe(
      0,
    );
    const spec = parseSweepSpec(
      BUILTIN_PRESETS.find((p) => p.name === 'ccs-vary-p'),
      catalogue.experiments,
    );
    const fig = figureData(readAggregates(d), { ...spec, replicates: 8 }, BUILTIN_EXPERIMENTS[0]!);
    expect(JSON.parse(read(d, 'figure.json'))).toEqual(JSON.parse(JSON.stringify(fig)));
    expect(figureChart(fig).panels).toHaveLength(2);
    const pic = await plotRenderer(fig);
    expect(pic.svg).toContain('Greedy Cost Selection');
    expect(pic.svg).not.toContain('NaN');
    const svg = read(d, 'figure.svg');
    expect(svg).toContain('Corollary 13 prediction');
    expect([...readFileSync(join(d, 'figure.png')).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});
