/**
 * Crash safety: a sweep killed mid-run (SIGKILL — no chance to clean up) and then resumed yields the
 * same bytes as an uninterrupted run; torn journal tails are dropped; finished tasks are never re-run.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMechlabError } from '@mechlab/core';
import { runSweep, scanJournal } from '../src';
import { experiment as toy } from './fixtures/toy-experiment';
import { RESULT_FILES, cleanup, read, tmpDir } from './helpers';
import { EXPERIMENTS } from './fixtures/experiments';

const spec = {
  experiment: toy.name,
  name: 'resume',
  grid: { size: [3, 7] },
  params: { spinMs: 8 },
  replicates: 60,
  seed: 11,
  blockSize: 3,
};
const TASKS = 2 * (60 / 3);

const fast = { ...spec, params: { spinMs: 0 } };

let root: string;
/** Uninterrupted runs of `spec` and of `fast` (the spin is a parameter, so it changes the seeds). */
let reference: string;
let fastReference: string;

beforeAll(async () => {
  root = tmpDir('resume');
  reference = path.join(root, 'reference');
  fastReference = path.join(root, 'fast-reference');
  expect(
    (await runSweep(spec, { experiments: EXPERIMENTS, out: reference, workers: 2, duckdb: false })).status,
  ).toBe('complete');
  expect(
    (await runSweep(fast, { experiments: EXPERIMENTS, out: fastReference, workers: 'inline', duckdb: false }))
      .status,
  ).toBe('complete');
}, 30_000);

afterAll(() => cleanup(root));

function countDone(file: string): number {
  if (!fs.existsSync(file)) return 0;
  return (fs.readFileSync(file, 'latin1').match(/^#done /gm) ?? []).length;
}

describe('resume', () => {
  it('a run SIGKILLed mid-way and resumed equals an uninterrupted run', async () => {
    const out = path.join(root, 'killed');
    const specFile = path.join(root, 'spec.json');
    fs.writeFileSync(specFile, JSON.stringify(spec));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'fixtures', 'child-run.ts'), specFile, out],
      { cwd: path.join(__dirname, '..', '..', '..'), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const journal = path.join(out, 'journal.csv');
    const deadline = Date.now() + 30_000;
    while (countDone(journal) < 5 && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    expect(stderr).toBe('');
    const before = scanJournal(journal);
    // The kill must really have interrupted the run, otherwise this test proves nothing.
    expect(before.tasks.size).toBeGreaterThanOrEqual(5);
    expect(before.tasks.size).toBeLessThan(TASKS);
    expect(fs.existsSync(path.join(out, 'rows.csv'))).toBe(false);

    const s = await runSweep(spec, {
      experiments: EXPERIMENTS,
      out,
      workers: 2,
      resume: true,
      duckdb: false,
    });
    expect(s.status).toBe('complete');
    expect(s.tasks.skipped).toBe(before.tasks.size);
    expect(s.tasks.run).toBe(TASKS - before.tasks.size);
    for (const f of RESULT_FILES) expect(read(out, f)).toBe(read(reference, f));
    // No task committed twice.
    expect(countDone(journal)).toBe(TASKS);
  }, 60_000);

  it('drops a torn tail (partial rows, partial marker) and re-runs only that task', async () => {
    const out = path.join(root, 'torn');
    await runSweep(fast, { experiments: EXPERIMENTS, out, workers: 'inline', duckdb: false });
    const journal = path.join(out, 'journal.csv');
    const text = fs.readFileSync(journal, 'latin1');
    // Cut the journal in the middle of the 12th task's marker line, as a crash during write(2) would.
    let cut = 0;
    for (let k = 0; k < 12; k++) cut = text.indexOf('#done ', cut) + 1;
    fs.writeFileSync(journal, text.slice(0, cut + 8));
    const scan = scanJournal(journal);
    expect(scan.tasks.size).toBe(11);
    expect(scan.tornBytes).toBeGreaterThan(0);
    const s = await runSweep(fast, {
      experiments: EXPERIMENTS,
      out,
      workers: 'inline',
      resume: true,
      duckdb: false,
    });
    expect(s.tasks.skipped).toBe(11);
    expect(s.tasks.run).toBe(TASKS - 11);
    for (const f of RESULT_FILES) expect(read(out, f)).toBe(read(fastReference, f));
    expect(countDone(journal)).toBe(TASKS);
  }, 30_000);

  it('resuming a finished sweep runs nothing and rewrites identical files', async () => {
    const out = path.join(root, 'torn');
    const s = await runSweep(fast, {
      experiments: EXPERIMENTS,
      out,
      workers: 2,
      resume: true,
      duckdb: false,
    });
    expect(s.tasks.run).toBe(0);
    expect(s.status).toBe('complete');
    for (const f of RESULT_FILES) expect(read(out, f)).toBe(read(fastReference, f));
  });

  it('an aborted run stops early, reports `aborted`, and resumes to the same result', async () => {
    const out = path.join(root, 'aborted');
    const ac = new AbortController();
    const s = await runSweep(fast, {
      experiments: EXPERIMENTS,
      out,
      workers: 'inline',
      duckdb: false,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.tasksDone === 4) ac.abort();
      },
    });
    expect(s.status).toBe('aborted');
    expect(s.tasks.run).toBe(4);
    const r = await runSweep(fast, {
      experiments: EXPERIMENTS,
      out,
      workers: 'inline',
      resume: true,
      duckdb: false,
    });
    expect(r.tasks.skipped).toBe(4);
    for (const f of RESULT_FILES) expect(read(out, f)).toBe(read(fastReference, f));
  });

  it('a journal cut inside its header line (crash at creation) restarts from scratch', async () => {
    const out = path.join(root, 'header');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'journal.csv'), '#mechlab-sweep-jour');
    const s = await runSweep(fast, {
      experiments: EXPERIMENTS,
      out,
      workers: 'inline',
      resume: true,
      duckdb: false,
    });
    expect(s.tasks.skipped).toBe(0);
    for (const f of RESULT_FILES) expect(read(out, f)).toBe(read(fastReference, f));
  });

  it('refuses to resume a directory that holds a different sweep, naming `out`', async () => {
    const out = path.join(root, 'torn');
    const err = await runSweep(
      { ...spec, seed: 12 },
      { experiments: EXPERIMENTS, out, workers: 'inline', resume: true },
    ).catch((e: unknown) => e);
    expect(isMechlabError(err)).toBe(true);
    expect((err as { field?: string }).field).toBe('out');
    expect((err as Error).message).toMatch(/holds a different sweep/);
  });
});
