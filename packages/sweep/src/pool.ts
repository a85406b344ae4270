/**
 * Executors: a piscina worker pool, or the calling thread ("inline"). Both run `runTask`, so they give
 * bit-identical results; inline is handy for tests, debugging and tiny sweeps.
 *
 * Which worker file? Node 20 cannot run TypeScript, so a worker must load JavaScript or be started with
 * tsx's loader (docs/SETUP.md). When the compiled sibling `worker.js` exists (the package was built and
 * is running from `dist/`), the pool uses it. Otherwise (tests, `npx tsx …` from sources) it starts
 * `worker.ts` with `execArgv: ['--import', <tsx loader URL>]` and points tsx at the nearest
 * `tsconfig.json` above the package, whose `paths` map `@mechlab/*` to sources — so a source run never
 * mixes in stale `dist/` builds of other packages. Starting a tsx worker costs ~0.5 s once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { Experiment } from '@mechlab/core';
import { decodeFailure, isTaskFailure, runTask, type TaskFailure, type TaskInput } from './task';

/** Runs tasks somewhere; `close` releases threads. */
export interface Executor {
  readonly kind: 'inline' | 'pool';
  readonly threads: number;
  run(input: TaskInput): Promise<Float64Array>;
  close(): Promise<void>;
}

/** Default pool size: every core the OS gives this process. */
export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism());
}

/** The worker file to load and the `execArgv` it needs. */
export function resolveWorkerFile(dir = __dirname): {
  filename: string;
  execArgv: string[];
  tsconfig?: string;
} {
  const js = path.join(dir, 'worker.js');
  if (fs.existsSync(js)) return { filename: js, execArgv: [] };
  const ts = path.join(dir, 'worker.ts');
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const tsconfig = findUp(path.dirname(dir), 'tsconfig.json');
  return { filename: ts, execArgv: ['--import', tsx], ...(tsconfig ? { tsconfig } : {}) };
}

function findUp(start: string, name: string): string | undefined {
  for (let d = start; ; d = path.dirname(d)) {
    const f = path.join(d, name);
    if (fs.existsSync(f)) return f;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * Same-thread executor running `experiment` (the object itself: nothing is imported). Each call yields
 * to the event loop first so progress and signals stay live.
 */
export function inlineExecutor(experiment: Experiment): Executor {
  return {
    kind: 'inline',
    threads: 0,
    run: async (input) => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return (await runTask(input, experiment)).values;
    },
    close: async () => {},
  };
}

/**
 * A fixed-size piscina pool; each worker imports the experiment from the module its task names (min = max = `threads`, so no thread is started or stopped mid-sweep).
 * O(threads) start-up.
 */
export function poolExecutor(threads: number): Executor {
  const w = resolveWorkerFile();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  if (w.tsconfig && env.TSX_TSCONFIG_PATH === undefined) env.TSX_TSCONFIG_PATH = w.tsconfig;
  const pool = new Piscina<TaskInput, Float64Array | TaskFailure>({
    filename: w.filename,
    execArgv: w.execArgv,
    env,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    // Tasks are queued by the scheduler in `run.ts`, not inside piscina.
    maxQueue: 'auto',
  });
  return {
    kind: 'pool',
    threads,
    run: async (input) => {
      const r = await pool.run(input);
      if (isTaskFailure(r)) throw decodeFailure(r);
      return r;
    },
    close: () => pool.destroy(),
  };
}
