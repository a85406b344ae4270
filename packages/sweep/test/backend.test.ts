/**
 * Issue 12, Deliver 3: every computing thread registers the kernel backends, `backend` selects the one
 * every task runs (inside `withBackendScope`), the manifest names it, and the kernels' promise of
 * identical answers holds for whole sweeps: `ts` and `wasm`, inline and on 2 worker threads, give
 * byte-identical result files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMechlabError, type Experiment } from '@mechlab/core';
import { runSweep, sweepCli } from '../src';
import type { SweepSummary } from '../src/lifecycle';
import { readManifest } from '../src/manifest';
import { mergeShards } from '../src/shards';
import { poolExecutor } from '../src/pool';
import { experiment as probe } from './fixtures/backend-experiment';
import { CATALOGUE, EXPERIMENTS } from './fixtures/experiments';
import { experiment as toy } from './fixtures/toy-experiment';
import { cleanup, read, tmpDir } from './helpers';

jest.setTimeout(60_000);

const WITH_PROBE: readonly Experiment[] = [...EXPERIMENTS, probe as unknown as Experiment];

const spec = {
  experiment: 'ccs.random-graph',
  name: 'backends',
  grid: { n: [6, 40] },
  params: { rho: 0.3, exactMaxN: 8 },
  replicates: 12,
  seed: 'backend',
  blockSize: 4,
};

let root: string;
const runs: Record<string, { dir: string; summary: SweepSummary }> = {};

beforeAll(async () => {
  root = tmpDir('backend');
  for (const backend of ['ts', 'wasm'] as const) {
    for (const workers of ['inline', 2] as const) {
      const dir = path.join(root, `${backend}-${workers}`);
      const summary = await runSweep(spec, {
        experiments: EXPERIMENTS,
        out: dir,
        workers,
        backend,
        duckdb: false,
      });
      runs[`${backend}-${workers}`] = { dir, summary };
    }
  }
});

afterAll(() => cleanup(root));

describe('--backend ts|wasm', () => {
  it.each(['rows.csv', 'aggregates.csv', 'figure.json'])(
    '%s is byte-identical for ts and wasm, inline and on 2 workers',
    (file) => {
      const ref = read(runs['ts-inline']!.dir, file);
      expect(ref.length).toBeGreaterThan(100);
      for (const k of ['ts-2', 'wasm-inline', 'wasm-2']) expect(read(runs[k]!.dir, file)).toBe(ref);
    },
  );

  it('manifest.json and the summary name the backend; nothing else in the manifest differs', () => {
    const strip = (dir: string): unknown => {
      const { backend: _b, ...rest } = readManifest(dir);
      return rest;
    };
    for (const [k, { dir, summary }] of Object.entries(runs)) {
      const backend = k.split('-')[0];
      expect(readManifest(dir).backend).toBe(backend);
      expect(JSON.parse(read(dir, 'manifest.json')).backend).toBe(backend);
      expect(summary.backend).toBe(backend);
      expect(summary.status).toBe('complete');
      expect(strip(dir)).toEqual(strip(runs['ts-inline']!.dir));
    }
  });

  it('defaults to the fastest registered backend (wasm) and records it', async () => {
    const dir = path.join(root, 'default');
    const s = await runSweep(spec, { experiments: EXPERIMENTS, out: dir, workers: 'inline', duckdb: false });
    expect(s.backend).toBe('wasm');
    expect(readManifest(dir).backend).toBe('wasm');
    expect(read(dir, 'rows.csv')).toBe(read(runs['ts-inline']!.dir, 'rows.csv'));
  });
});

describe('worker threads register the backends', () => {
  it('a piscina worker reports wasm when asked, and runs the backend a task names in scope', async () => {
    const pool = poolExecutor(1);
    const task = {
      experiment: probe.name,
      source: probe.source,
      seed: 1,
      pointKey: '{}',
      point: 0,
      params: { items: 4 },
      r0: 0,
      r1: 2,
      metricCount: 5,
    };
    try {
      // No backend in the task: the thread's own default — wasm, because worker.ts registered it.
      const dflt = Array.from(await pool.run(task));
      expect(dflt.filter((_, i) => i % 5 !== 3)).toEqual([-1, 1, 1, 1, -1, 1, 1, 1]);
      const wasm = Array.from(await pool.run({ ...task, backend: 'wasm' }));
      const ts = Array.from(await pool.run({ ...task, backend: 'ts' }));
      // [scope, nash, mckp, mckp value, wasm registered] per replicate.
      expect(wasm.filter((_, i) => i % 5 !== 3)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
      expect(ts.filter((_, i) => i % 5 !== 3)).toEqual([0, 0, 0, 1, 0, 0, 0, 1]);
      // Same knapsack optimum on both backends.
      expect(ts.filter((_, i) => i % 5 === 3)).toEqual(wasm.filter((_, i) => i % 5 === 3));
      expect(Number.isFinite(wasm[3])).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('a sweep on 2 worker threads runs every instance on the requested backend', async () => {
    const dir = path.join(root, 'probe');
    const base = {
      experiment: probe.name,
      name: 'probe',
      grid: { items: [2, 5] },
      replicates: 6,
      seed: 3,
      blockSize: 2,
    };
    await runSweep(base, { experiments: WITH_PROBE, out: dir, workers: 2, backend: 'ts', duckdb: false });
    const rows = read(dir, 'rows.csv').trim().split('\n').slice(1);
    expect(rows).toHaveLength(12);
    // point, replicate, items, scope, nash, mckp, value, registered
    for (const r of rows)
      expect(r.split(',').filter((_, i) => [3, 4, 5, 7].includes(i))).toEqual(['0', '0', '0', '1']);
  });
});

describe('one sweep directory, one backend', () => {
  const small = {
    experiment: toy.name,
    name: 'one',
    grid: { size: [2, 3] },
    replicates: 4,
    seed: 5,
    blockSize: 2,
  };

  it('--resume with another backend is refused (naming backend); without --backend it keeps the manifest’s', async () => {
    const dir = path.join(root, 'resume');
    await runSweep(small, {
      experiments: EXPERIMENTS,
      out: dir,
      workers: 'inline',
      backend: 'ts',
      duckdb: false,
    });
    const before = fs.readFileSync(path.join(dir, 'journal.csv'));
    const err = await runSweep(small, {
      experiments: EXPERIMENTS,
      out: dir,
      workers: 'inline',
      backend: 'wasm',
      resume: true,
    }).catch((e: unknown) => e);
    expect(isMechlabError(err) && err.field).toBe('backend');
    expect((err as Error).message).toMatch(/"wasm" differs from "ts".*--backend ts/);
    expect(fs.readFileSync(path.join(dir, 'journal.csv'))).toEqual(before);
    const s = await runSweep(small, { experiments: EXPERIMENTS, out: dir, workers: 'inline', resume: true });
    expect(s.backend).toBe('ts');
    expect(s.tasks.skipped).toBe(s.tasks.total);
    expect(readManifest(dir).backend).toBe('ts');
  });

  it('shards that ran on different backends do not merge', async () => {
    const d0 = path.join(root, 'shard0');
    const d1 = path.join(root, 'shard1');
    await runSweep(small, {
      experiments: EXPERIMENTS,
      out: d0,
      workers: 'inline',
      backend: 'ts',
      shard: '0/2',
    });
    await runSweep(small, {
      experiments: EXPERIMENTS,
      out: d1,
      workers: 'inline',
      backend: 'wasm',
      shard: '1/2',
    });
    const err = await mergeShards([d0, d1], path.join(root, 'merged'), { experiments: EXPERIMENTS }).catch(
      (e: unknown) => e,
    );
    expect(isMechlabError(err) && err.field).toBe('dirs[1]');
  });
});

describe('sweepCli --backend', () => {
  function io(): {
    out: string;
    err: string;
    stdout(t: string): void;
    stderr(t: string): void;
    isTty: boolean;
  } {
    return {
      out: '',
      err: '',
      isTty: false,
      stdout(t) {
        this.out += t;
      },
      stderr(t) {
        this.err += t;
      },
    };
  }

  it('an unknown backend is exit 2 with one error line naming backend and listing ts and wasm', async () => {
    const o = io();
    const out = path.join(root, 'cli-bad');
    const code = await sweepCli(['ccs-vary-n', '--backend', 'gpu', '--out', out], o, CATALOGUE);
    expect(code).toBe(2);
    expect(o.out).toBe('');
    expect(o.err.trimEnd().split('\n')).toHaveLength(1);
    expect(o.err).toMatch(/^error: backend must be "ts" or "wasm" .*got "gpu"/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('--backend ts runs and the --json summary names it', async () => {
    const o = io();
    const out = path.join(root, 'cli-ts');
    const code = await sweepCli(
      ['ccs-vary-n', '--backend', 'ts', '--replicates', '2', '--workers', '0', '--out', out, '--json'],
      o,
      CATALOGUE,
    );
    expect(o.err).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(o.out.trim().split('\n').at(-1)!) as { backend: string };
    expect(summary.backend).toBe('ts');
    expect(readManifest(out).backend).toBe('ts');
  });
});
