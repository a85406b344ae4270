/**
 * Distributed sweeps on a private loopback redis-server: worker processes = a local run, bit for bit;
 * a worker SIGKILLed mid-sweep loses and duplicates nothing; Redis unreachable fails fast.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RedisCommands } from '../src/distributed';
import { parseQueueUrl, runDistributedSweep, runSweep, scanJournal, sweepCli, workerCli } from '../src';
import { PUBLISH_SCRIPT } from '../src/distributed/worker';
import { sweepKey } from '../src/distributed/connection';
import { freePort, startRedis, type TestRedis } from '../../../tools/testing/redis-server';
import { RESULT_FILES, cleanup, read, tmpDir } from './helpers';
import './fixtures/toy-experiment';
import { experiment as probe } from './fixtures/backend-experiment';
import { CATALOGUE, EXPERIMENTS } from './fixtures/experiments';
import type { Experiment } from '@mechlab/core';

jest.setTimeout(40_000);

const repoRoot = path.join(__dirname, '..', '..', '..');
const workerEntry = path.join(__dirname, '..', 'src', 'distributed', 'worker-cli.ts');
let redis: TestRedis;
let root: string;

beforeAll(async () => {
  redis = await startRedis();
  root = tmpDir('distributed');
});

afterAll(async () => {
  await redis?.stop();
  if (root) cleanup(root);
});

interface SpawnedWorker {
  readonly child: ChildProcess;
  readonly tasks: string[];
  readonly exited: Promise<number | null>;
  stderr(): string;
  /** Resolves at the first finished task. */
  readonly firstTask: Promise<void>;
}

function spawnWorker(url: string, idleExitS = 2, extra: readonly string[] = []): SpawnedWorker {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      workerEntry,
      '--queue',
      url,
      '--idle-exit',
      String(idleExitS),
      '--lock-ms',
      '2000',
      '--json',
      ...extra,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tasks: string[] = [];
  let err = '';
  let buf = '';
  let onFirst!: () => void;
  const firstTask = new Promise<void>((r) => (onFirst = r));
  child.stdout!.on('data', (b: Buffer) => {
    buf += b.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) !== -1) {
      const line = JSON.parse(buf.slice(0, nl)) as { type: string; taskId?: string };
      buf = buf.slice(nl + 1);
      if (line.type === 'task' && line.taskId) {
        tasks.push(line.taskId);
        onFirst();
      }
    }
  });
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, tasks, exited, stderr: () => err, firstTask };
}

function doneIds(journal: string): string[] {
  return (fs.readFileSync(journal, 'latin1').match(/^#done \S+/gm) ?? []).map((l) => l.slice(6));
}

async function localRun(spec: object, tag: string): Promise<string> {
  const out = path.join(root, tag);
  const s = await runSweep(spec, {
    experiments: EXPERIMENTS,
    out,
    workers: 'inline',
    duckdb: false,
    render: false,
  });
  expect(s.status).toBe('complete');
  return out;
}

describe('distributed sweep (bullmq + Redis)', () => {
  const spec = {
    experiment: 'test.toy',
    name: 'dist',
    grid: { size: [5, 9], label: ['a', 'bb'] },
    replicates: 12,
    seed: 11,
    blockSize: 3,
  };

  it('2 worker processes give the local results, bit for bit; progress is readable from Redis', async () => {
    const out = path.join(root, 'two-workers');
    const target = parseQueueUrl(redis.url);
    const sweep = runDistributedSweep(spec, {
      experiments: EXPERIMENTS,
      target,
      out,
      duckdb: false,
      render: false,
      pollMs: 20,
    });
    const workers = [spawnWorker(redis.url), spawnWorker(redis.url)];
    const s = await sweep;
    expect(s.status).toBe('complete');
    expect(s.tasks.total).toBe(16);
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes).toEqual([0, 0]);
    expect(workers.map((w) => w.stderr())).toEqual(['', '']);
    // Every task ran (at least once) on some worker; the journal holds each exactly once.
    expect(new Set(workers.flatMap((w) => w.tasks)).size).toBe(16);
    const ids = doneIds(path.join(out, 'journal.csv'));
    expect(ids.length).toBe(16);
    expect(new Set(ids).size).toBe(16);

    const local = await localRun(spec, 'two-workers-local');
    for (const f of RESULT_FILES) expect(read(out, f)).toBe(read(local, f));

    // `mechlab sweep --queue URL --status ID` from "another machine".
    let stdout = '';
    const code = await sweepCli(
      ['--queue', redis.url, '--status', s.specHash],
      {
        stdout: (t) => (stdout += t),
        stderr: () => undefined,
        isTty: false,
      },
      CATALOGUE,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      sweepId: s.specHash,
      status: 'complete',
      tasksDone: 16,
      tasksTotal: 16,
      instancesDone: 48,
      instancesTotal: 48,
      error: null,
    });
  });

  it('a worker SIGKILLed while holding a job: the sweep completes, every row exactly once', async () => {
    // 8 tasks of ≈ 120 ms each: when a worker reports its first task it has already taken the next.
    const slow = {
      ...spec,
      name: 'dist-kill',
      grid: { size: [5, 9] },
      params: { spinMs: 30 },
      replicates: 16,
      blockSize: 4,
    };
    const out = path.join(root, 'killed');
    const target = parseQueueUrl(redis.url);
    let finished = false;
    const sweep = runDistributedSweep(slow, {
      experiments: EXPERIMENTS,
      target,
      out,
      duckdb: false,
      render: false,
      pollMs: 20,
    }).finally(() => (finished = true));
    const victim = spawnWorker(redis.url, 4);
    await victim.firstTask;
    const survivor = spawnWorker(redis.url, 4);
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBeNull();
    expect(finished).toBe(false); // the kill really interrupted the sweep
    const s = await sweep;
    expect(s.status).toBe('complete');
    expect(await survivor.exited).toBe(0);
    expect(survivor.stderr()).toBe('');

    const journal = path.join(out, 'journal.csv');
    const ids = doneIds(journal);
    expect(ids.length).toBe(8);
    expect(new Set(ids).size).toBe(8);
    expect(scanJournal(journal).tornBytes).toBe(0);
    const rows = read(out, 'rows.csv').trim().split('\n').slice(1);
    expect(rows.length).toBe(32);
    expect(new Set(rows.map((r) => r.split(',').slice(0, 2).join(','))).size).toBe(32);
    const local = await localRun(slow, 'killed-local');
    for (const f of RESULT_FILES) expect(read(out, f)).toBe(read(local, f));
  });

  it.each([
    ['its own thread', []],
    ['--concurrency 2 threads', ['--concurrency', '2']],
  ])(
    '`mechlab worker` registers wasm in %s; tasks run the backend the sweep names',
    async (_where, extra) => {
      // The probe reports [scope, nash, mckp, mckp value, wasm registered] (0 = ts, 1 = wasm).
      const withProbe: readonly Experiment[] = [...EXPERIMENTS, probe as unknown as Experiment];
      const spec = {
        experiment: probe.name,
        name: `dist-backend-${extra.length}`,
        grid: { items: [2, 5] },
        replicates: 8,
        seed: 4,
        blockSize: 2,
      };
      const out = path.join(root, `backend-${extra.length}`);
      const sweep = runDistributedSweep(spec, {
        experiments: withProbe,
        target: parseQueueUrl(redis.url),
        out,
        duckdb: false,
        render: false,
        pollMs: 20,
      });
      // A fresh process: its registry holds only what `mechlab worker` registered.
      const worker = spawnWorker(redis.url, 2, extra);
      const s = await sweep;
      expect(s.status).toBe('complete');
      expect(s.backend).toBe('wasm');
      expect(await worker.exited).toBe(0);
      expect(worker.stderr()).toBe('');
      expect(worker.tasks.length).toBe(8);
      const rows = read(out, 'rows.csv').trim().split('\n').slice(1);
      expect(rows).toHaveLength(16);
      // point, replicate, items, scope, nash, mckp, value, registered
      for (const r of rows)
        expect(r.split(',').filter((_, i) => [3, 4, 5, 7].includes(i))).toEqual(['1', '1', '1', '1']);
      expect(JSON.parse(read(out, 'manifest.json')).backend).toBe('wasm');
      // The TS reference finds the same optima.
      const local = path.join(root, `backend-local-ts-${extra.length}`);
      await runSweep(spec, {
        experiments: withProbe,
        out: local,
        workers: 'inline',
        backend: 'ts',
        duckdb: false,
      });
      const values = (dir: string): string[] =>
        read(dir, 'rows.csv')
          .trim()
          .split('\n')
          .slice(1)
          .map((r) => r.split(',')[6]!);
      expect(values(out)).toEqual(values(local));
    },
  );

  it('a duplicate result (at-least-once delivery) is ignored: the first one wins', async () => {
    const c = new RedisCommands(parseQueueUrl(redis.url));
    await c.connect();
    try {
      const keys = ['results', 'done', 'meta'].map((k) => sweepKey('dup-test', k as 'results'));
      const publish = (text: string): Promise<number> =>
        c.send<number>('EVAL', [PUBLISH_SCRIPT, '3', ...keys, 'p0r0-1', text, '1']);
      expect(await publish('0,0,1\n')).toBe(1);
      expect(await publish('0,0,2\n')).toBe(0);
      expect(await c.send('HGET', [keys[0]!, 'p0r0-1'])).toBe('0,0,1\n');
      expect(await c.send('LLEN', [keys[1]!])).toBe(1);
      expect(await c.send('HGET', [keys[2]!, 'tasksDone'])).toBe('1');
    } finally {
      c.close();
    }
  });

  it('Redis unreachable: a clear error within seconds (exit 1), for the sweep and the worker', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const specFile = path.join(root, 'spec.json');
    fs.writeFileSync(specFile, JSON.stringify(spec));
    for (const run of [
      (io: Parameters<typeof workerCli>[1]) =>
        sweepCli(
          [specFile, '--queue', url, '--out', path.join(root, 'nowhere')],
          { ...io, isTty: false },
          CATALOGUE,
        ),
      (io: Parameters<typeof workerCli>[1]) => workerCli(['--queue', url, '--idle-exit', '1'], io),
    ]) {
      let stderr = '';
      let stdout = '';
      const t0 = Date.now();
      const code = await run({ stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        new RegExp(`^error: cannot reach Redis at ${url.replace(/\./g, '\\.')} \\(.*ECONNREFUSED.*\\)\\n$`),
      );
    }
  });

  it('bad --queue URLs are bad input (exit 2)', async () => {
    let stderr = '';
    const code = await workerCli(['--queue', 'http://x'], {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
    });
    expect(code).toBe(2);
    expect(stderr).toBe('error: --queue must be a redis://HOST:PORT URL, got "http://x"\n');
  });
});
