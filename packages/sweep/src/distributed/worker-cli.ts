/**
 * `mechlab worker --queue redis://HOST:PORT [--concurrency N] [--idle-exit S] [--lock-ms MS] [--json]`:
 * serve distributed sweeps until SIGTERM/Ctrl-C (graceful: jobs in hand finish) or until the queue has
 * been idle for `--idle-exit` seconds. Exit 0 when stopped, 1 when Redis cannot be reached, 2 on bad flags.
 *
 * Also runnable from sources: `npx tsx packages/sweep/src/distributed/worker-cli.ts --queue …`.
 */
import { parseArgs } from 'node:util';
import { MechlabError, isMechlabError } from '@mechlab/core';
import { RedisUnreachableError, parseQueueUrl } from './connection';
import { startQueueWorker } from './worker';

/** Same shape as `SweepCliIo` (and apps/cli's `Io`). */
export interface WorkerCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const WORKER_USAGE = `usage: mechlab worker --queue redis://HOST:PORT [--concurrency N] [--idle-exit S] [--lock-ms MS] [--json]

Run tasks of distributed sweeps (\`mechlab sweep … --queue URL\`) from the Redis queue; start one per
machine (or more). A killed worker loses nothing: its job is retried after --lock-ms.
Each task runs on the kernel backend its sweep chose (\`mechlab sweep --backend\`, manifest "backend");
this worker and its threads register ts and wasm (a task naming a backend that cannot load here fails).
  --queue URL        redis://HOST:PORT[/DB] of the queue (required)
  --concurrency N    tasks in parallel (default 1 = this thread; N > 1 = N worker threads)
  --idle-exit S      exit after the queue has been idle for S seconds (default: run until SIGTERM)
  --lock-ms MS       job lock; a dead worker's job is retried after about this long (default 30000)
  --json             one JSON line per finished task, then a summary line, on stdout
`;

function num(v: string | undefined, flag: string, min: number, int: boolean): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!(Number.isFinite(x) && x >= min && (!int || Number.isInteger(x)) && v.trim() !== '')) {
    throw new MechlabError(
      'ERR_OUT_OF_RANGE',
      `--${flag} must be ${int ? 'an integer' : 'a number'} ≥ ${min}, got ${JSON.stringify(v)}`,
      `--${flag}`,
    );
  }
  return x;
}

/** Run `mechlab worker` on `argv`; resolves to the exit status. */
export async function workerCli(argv: string[], io: WorkerCliIo): Promise<number> {
  try {
    let values;
    try {
      values = parseArgs({
        args: argv,
        options: {
          queue: { type: 'string' },
          concurrency: { type: 'string' },
          'idle-exit': { type: 'string' },
          'lock-ms': { type: 'string' },
          json: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
      }).values;
    } catch (e) {
      throw new MechlabError('ERR_INVALID_INPUT', `worker: ${(e as Error).message.split('\n')[0]}`, 'worker');
    }
    if (values.help) {
      io.stdout(WORKER_USAGE);
      return 0;
    }
    if (values.queue === undefined)
      throw new MechlabError('ERR_INVALID_INPUT', '--queue is required', '--queue');
    const target = parseQueueUrl(values.queue);
    const concurrency = num(values.concurrency, 'concurrency', 1, true) ?? 1;
    const idle = num(values['idle-exit'], 'idle-exit', 0, false);
    const lockMs = num(values['lock-ms'], 'lock-ms', 500, true);
    const json = values.json === true;
    const w = await startQueueWorker({
      target,
      concurrency,
      idleExitMs: idle === undefined ? undefined : idle * 1000,
      lockMs,
      onTask: json ? (e) => io.stdout(JSON.stringify({ type: 'task', ...e }) + '\n') : undefined,
    });
    if (!json)
      io.stderr(`worker: serving ${target.url} (concurrency ${concurrency}); SIGTERM or Ctrl-C to stop\n`);
    const stop = (): void => void w.close();
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    try {
      const s = await w.done;
      if (json) io.stdout(JSON.stringify({ type: 'summary', ...s }) + '\n');
      else
        io.stderr(
          `worker: stopped after ${s.tasks} tasks (${s.duplicates} duplicates, ${s.failed} failed attempts)\n`,
        );
      return 0;
    } finally {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
    }
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
    if (e instanceof RedisUnreachableError) {
      io.stderr(`error: ${msg}\n`);
      return 1;
    }
    if (isMechlabError(e)) {
      io.stderr(`error: ${msg}\n`);
      return 2;
    }
    io.stderr(`error: internal: ${msg}\n`);
    return 1;
  }
}

if (require.main === module) {
  void workerCli(process.argv.slice(2), {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
