/**
 * MODELS.md §6: results are identical whatever the number of workers or shards. One small sweep is run
 * inline, with 1 and 2 worker threads, and as 3 shards merged; every result file must be byte-identical.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type * as DuckDb from '@duckdb/node-api';
import { Rng, describe as summarize } from '@mechlab/core';
import { randomCcsInstance, solveCcs } from '@mechlab/ccs';
import { parseSweepSpec, readAggregates, runSweep, type SweepSpec } from '../src';
import { mergeShards } from '../src/shards';
import { experiment as toy } from './fixtures/toy-experiment';
import { RESULT_FILES, cleanup, read, tmpDir } from './helpers';
import { EXPERIMENTS } from './fixtures/experiments';

const spec: SweepSpec = parseSweepSpec(
  {
    experiment: 'ccs.random-graph',
    name: 'det',
    grid: { n: [8, 30, 120] },
    params: { rho: 0.2, exactMaxN: 10 },
    replicates: 30,
    seed: 'determinism',
    blockSize: 7,
  },
  EXPERIMENTS,
);

let root: string;
const dirs: Record<string, string> = {};

beforeAll(async () => {
  root = tmpDir('det');
  for (const w of ['inline', 1, 2] as const) {
    dirs[String(w)] = path.join(root, `w${w}`);
    await runSweep(spec, { experiments: EXPERIMENTS, out: dirs[String(w)]!, workers: w });
  }
  const shardDirs = [0, 1, 2].map((i) => path.join(root, `shard${i}`));
  // Shards run with different executors on purpose: a split must not care how each part ran.
  for (const [i, d] of shardDirs.entries()) {
    const s = await runSweep(spec, {
      experiments: EXPERIMENTS,
      out: d,
      workers: i === 1 ? 2 : 'inline',
      shard: `${i}/3`,
    });
    expect(s.status).toBe('partial');
  }
  dirs.merged = path.join(root, 'merged');
  const m = await mergeShards(shardDirs, dirs.merged, { experiments: EXPERIMENTS });
  expect(m.status).toBe('complete');
}, 60_000);

afterAll(() => cleanup(root));

describe('bit-identical results', () => {
  it.each(RESULT_FILES)('%s is identical for inline, 1 worker, 2 workers and 3 merged shards', (file) => {
    const ref = read(dirs.inline!, file);
    expect(ref.length).toBeGreaterThan(100);
    for (const k of ['1', '2', 'merged']) expect(read(dirs[k]!, file)).toBe(ref);
  });

  it('rows are one per instance, in (point, replicate) order, with exact values only where n ≤ exactMaxN', () => {
    const lines = read(dirs.inline!, 'rows.csv').trim().split('\n');
    expect(lines[0]).toBe(
      'point,replicate,n,gcs_welfare,gcs_active,equal_welfare,equal_active,exact_welfare,exact_active',
    );
    expect(lines).toHaveLength(1 + 3 * 30);
    lines.slice(1).forEach((l, i) => {
      const f = l.split(',');
      expect(Number(f[0])).toBe(Math.floor(i / 30));
      expect(Number(f[1])).toBe(i % 30);
      if (f[2] === '8') expect(f[7]).not.toBe('');
      else expect(f[7]).toBe('');
    });
  });

  it('each row is the experiment applied to Rng.fromPath([seed, experiment, pointKey, replicate])', () => {
    const lines = read(dirs['2']!, 'rows.csv').trim().split('\n');
    const row = lines[1 + 30 + 17]!.split(','); // point 1 (n = 30), replicate 17
    const params = { n: 30, rho: 0.2, thetaMax: 1, wMax: 1, costMax: 1 };
    const key = JSON.stringify({
      costDist: 'uniform',
      costMax: 1,
      exactMaxN: 10,
      n: 30,
      rho: 0.2,
      thetaDist: 'uniform',
      thetaMax: 1,
      wMax: 1,
      weightDist: 'uniform',
    });
    const inst = randomCcsInstance(Rng.fromPath(['determinism', 'ccs.random-graph', key, 17]), {
      ...params,
      theta: { kind: 'uniform', min: 0, max: 1 },
      weight: { kind: 'uniform', min: 0, max: 1 },
      cost: { kind: 'uniform', min: 0, max: 1 },
    });
    const g = solveCcs(inst, { algo: 'gcs' });
    expect(Number(row[3])).toBe(g.welfare);
    expect(Number(row[4])).toBe(g.active.length);
  });

  it('aggregates equal an independent recomputation from rows.csv (mean, std, 3σ band, count)', () => {
    const rows = read(dirs.merged!, 'rows.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const aggs = readAggregates(dirs.merged!);
    expect(aggs).toHaveLength(3 * 6);
    const cols = [
      'gcs_welfare',
      'gcs_active',
      'equal_welfare',
      'equal_active',
      'exact_welfare',
      'exact_active',
    ];
    for (const a of aggs) {
      const c = 3 + cols.indexOf(`${a.algo}_${a.metric}`);
      const xs = rows.filter((r) => Number(r[0]) === a.point && r[c] !== '').map((r) => Number(r[c]));
      const s = summarize(xs);
      expect(a.count).toBe(xs.length);
      if (xs.length === 0) {
        expect(a.mean).toBeNaN();
        continue;
      }
      expect(a.mean).toBe(s.mean);
      expect(a.std).toBe(s.std);
      expect(a.lo3).toBe(s.mean - 3 * s.std);
      expect(a.hi3).toBe(s.mean + 3 * s.std);
      expect(Number.isFinite(a.prediction)).toBe(true);
    }
    // GCS never does worse than the exact optimum allows, and exact ≥ GCS ≥ 0 on every small instance.
    for (const r of rows.filter((r) => r[2] === '8'))
      expect(Number(r[7])).toBeGreaterThanOrEqual(Number(r[3]) - 1e-9);
  });

  it('results.duckdb holds the same rows and aggregates in every directory', async () => {
    const duck = createRequire(__filename)('@duckdb/node-api') as typeof DuckDb;
    const dump = async (dir: string): Promise<string> => {
      const inst = await duck.DuckDBInstance.create(path.join(dir, 'results.duckdb'), {
        access_mode: 'READ_ONLY',
      });
      const con = await inst.connect();
      const rows = await con.runAndReadAll('SELECT * FROM rows ORDER BY point, replicate');
      const agg = await con.runAndReadAll(
        "SELECT point, n, algo, metric, count, mean, lo3, hi3 FROM aggregates WHERE algo = 'gcs' ORDER BY point, metric",
      );
      const out = JSON.stringify([rows.getRowsJson(), agg.getRowsJson()]);
      con.closeSync();
      inst.closeSync();
      return out;
    };
    const ref = await dump(dirs.inline!);
    expect(ref).toContain('"gcs"');
    for (const k of ['2', 'merged']) expect(await dump(dirs[k]!)).toBe(ref);
  });
});

describe('custom experiments', () => {
  it('a registered experiment with `module` runs identically in worker threads and inline', async () => {
    const d = tmpDir('toy');
    try {
      const toySpec = {
        experiment: toy.name,
        grid: { label: ['x', 'a,"b"'], flag: [false, true] },
        params: { size: 5 },
        replicates: 9,
        seed: 3,
        blockSize: 4,
      };
      const a = await runSweep(toySpec, {
        experiments: EXPERIMENTS,
        out: path.join(d, 'a'),
        workers: 'inline',
        duckdb: false,
      });
      const b = await runSweep(toySpec, {
        experiments: EXPERIMENTS,
        out: path.join(d, 'b'),
        workers: 2,
        duckdb: false,
      });
      expect(a.status).toBe('complete');
      expect(b.workers).toBe(2);
      for (const f of RESULT_FILES) expect(read(path.join(d, 'b'), f)).toBe(read(path.join(d, 'a'), f));
      const rows = read(path.join(d, 'a'), 'rows.csv').split('\n');
      expect(rows[0]).toBe('point,replicate,label,flag,a_sum,a_max,b_sum,b_sometimes');
      expect(rows[1]).toMatch(/^0,0,x,false,/);
      expect(rows.some((l) => l.startsWith('2,0,"a,""b""",false,'))).toBe(true);
      expect(rows.some((l) => l.endsWith(','))).toBe(true); // NaN → empty field
      const aggs = readAggregates(path.join(d, 'a'));
      expect(aggs.find((x) => x.point === 3 && x.algo === 'b' && x.metric === 'sum')!.coords).toEqual({
        label: 'a,"b"',
        flag: true,
      });
      expect(fs.existsSync(path.join(d, 'a', 'results.duckdb'))).toBe(false);
    } finally {
      cleanup(d);
    }
  }, 30_000);

  it('an experiment without a `source` module is refused for worker threads, naming `workers`', async () => {
    const experiments = [
      { ...toy, name: 'test.toy-no-module', source: undefined },
    ] as unknown as typeof EXPERIMENTS;
    const d = tmpDir('nomod');
    try {
      const s = { experiment: 'test.toy-no-module', grid: { size: [2] }, replicates: 2, seed: 1 };
      const err = await runSweep(s, { experiments, out: d, workers: 2 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'ERR_INVALID_INPUT', field: 'workers' });
      expect((await runSweep(s, { experiments, out: d, workers: 0, duckdb: false })).status).toBe('complete');
    } finally {
      cleanup(d);
    }
  });
});
