/**
 * `mechlab sweep PRESET|SPEC.json [--workers N] [--out DIR] [--resume] [--shard i/k] [--replicates N]
 * [--seed S] [--backend ts|wasm] [--json]` — the whole command, so `apps/cli` only needs to delegate to `sweepCli`.
 *
 * Contract (FORMATS.md): with `--json`, stdout carries JSONL progress lines then one summary line; bad
 * input exits 2 with nothing on stdout and one `error:` line on stderr naming the field; Ctrl-C stops
 * dispatching, lets running tasks finish and be journaled, prints the summary (status `aborted`) and
 * exits 130 — `--resume` then continues. A second Ctrl-C exits at once (the journal stays consistent).
 *
 * The engine knows no experiment: the caller passes the catalogue (built-in experiments and presets;
 * mechlab's lives in apps/cli) and the figure renderer.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { MechlabError, isMechlabError, parseWithSchema } from '@mechlab/core';
import { z } from 'zod';
import { ensureDirectory, resolveInside } from '@mechlab/io';
import { ensureBackend, registerSweepBackends } from './backend';
import type { FigureRenderer } from './figure';
import { loadSweepSpec, type SweepCatalogue } from './presets';
import { progressReporter } from './progress';
import { runSweep } from './run';
import { mergeShards } from './shards';
import { parseShard, type ShardSpec } from './shard';
import { readDistributedStatus, runDistributedSweep } from './distributed/coordinator';
import { RedisUnreachableError, parseQueueUrl } from './distributed/connection';
import { ExperimentRunError } from './task';
import { trace } from './trace';

// `mechlab worker` (the other half of `--queue`): the entry lives next to the queue code.
export { workerCli, WORKER_USAGE } from './distributed/worker-cli';

/** What the command needs from its environment (structurally compatible with apps/cli's `Io`). */
export interface SweepCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Is stderr a terminal (draw the progress bar)? */
  readonly isTty: boolean;
}

/** What `sweepCli` needs besides argv and io. */
export interface SweepCliOptions {
  /** Draws `figure.svg` / `figure.png` from `figure.json`'s data; absent: `figure.json` only. */
  readonly render?: FigureRenderer | undefined;
}

/** Usage text of `mechlab sweep`, listing every preset of `catalogue` with its experiment. */
export function sweepUsage(catalogue: SweepCatalogue): string {
  const presetLines = catalogue.presets
    .map(
      (p) =>
        `  ${p.name.padEnd(22)} ${p.experiment}: ${Object.keys(p.grid).join(' × ')} (${p.replicates} instances per point)`,
    )
    .join('\n');
  const experiments = catalogue.experiments.map((e) => e.name).join(', ');
  return `usage: mechlab sweep PRESET|SPEC.json [--workers N] [--out DIR] [--resume] [--shard i/k]
                     [--replicates N] [--seed S] [--backend ts|wasm] [--json]
       mechlab sweep --merge DIR1,DIR2,… --out DIR [--json]
       mechlab sweep PRESET|SPEC.json --queue redis://HOST:PORT [--out DIR] [--resume] [--json]
       mechlab sweep --queue redis://HOST:PORT --status SWEEP_ID

Monte Carlo sweep: results are identical for any --workers and any --shard split.
presets:
${presetLines}
experiments: ${experiments}; or your own: SPEC.json with "module": "./my-model.mjs"
  (FORMATS.md "Experiment module"; README "Sweep your own model")
  --workers N     worker threads (default: all cores; 0 = in-process)
  --out DIR       output directory (default: out/sweeps/<name>)
  --resume        continue the sweep in --out, skipping finished tasks
  --force         write into a non-empty --out that does not hold this sweep (replacing its files)
  --yes           run even when grid points × replicates would write over 4 GiB of rows
  --shard i/k     run only shard i of k (0-based); combine with --merge
  --replicates N  instances per point (overrides the spec)
  --seed S        master seed (overrides the spec)
  --backend B     kernel backend of every task: ts or wasm (default: the fastest registered; on
                  --resume, the one in the manifest). Results are identical; manifest.json names it
  --merge DIRS    merge finished shard directories into --out
  --queue URL     distribute the tasks through a bullmq queue on Redis; run \`mechlab worker --queue URL\`
                  on any number of machines (results identical to a local run)
  --status ID     print a distributed sweep's progress (ID = spec hash) as JSON
  --json          JSONL progress lines, then a summary line, on stdout
Redis unreachable: exit 1, \`error: cannot reach Redis at redis://HOST:PORT (…)\` within ~3 s.
An exception inside an experiment's run: exit 1, naming the point and replicate.
`;
}

/** A flag's text as an integer ≥ `min`: digits only (no `1e3`, no `0x10`), and a safe integer. */
const integerText = (min: number) =>
  z.custom<string>(
    (v) =>
      typeof v === 'string' &&
      /^-?\d+$/.test(v.trim()) &&
      Number.isSafeInteger(Number(v)) &&
      Number(v) >= min,
    { params: { expected: `an integer ≥ ${min}` } },
  );

function intFlag(v: string | undefined, flag: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  return Number(parseWithSchema(integerText(min), v, `--${flag}`));
}

/** Bytes of row files (journal + rows.csv) above which a sweep needs `--yes`. */
export const SWEEP_ROWS_LIMIT = 4 * 2 ** 30;
/** Grid points above which a spec is refused (the plan holds every point in memory). */
export const SWEEP_MAX_POINTS = 1_000_000;

/**
 * Budget check before any work (issue 18: `--replicates 1e8`, a 10⁶-point grid): the plan keeps every
 * point in memory, and every instance writes a journal line and a rows.csv line of ~12 bytes per column.
 * @throws MechlabError naming `spec.grid` (too many points) or `--replicates` / `spec.replicates`.
 */
export function checkSweepSize(
  points: number,
  axes: number,
  replicates: number,
  replicatesFlag: boolean,
  yes: boolean,
): void {
  if (points > SWEEP_MAX_POINTS) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `spec.grid: ${points.toPrecision(3)} points, over the ${SWEEP_MAX_POINTS} limit; sweep fewer values per axis`,
      'spec.grid',
    );
  }
  const instances = points * replicates;
  const columns = 2 + axes + 8; // point, replicate, axes, ~8 metric columns
  const bytes = 2 * 12 * columns * instances;
  const field = replicatesFlag ? '--replicates' : 'spec.replicates';
  if (instances > 2 ** 31 - 1) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `${points} points × ${replicates} replicates = ${instances.toPrecision(3)} instances, over the 2^31 − 1 rows a sweep can index`,
      field,
    );
  }
  if (bytes > SWEEP_ROWS_LIMIT && !yes) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `${points} points × ${replicates} replicates = ${instances.toPrecision(3)} instances would write about ${(bytes / 2 ** 30).toFixed(0)} GiB of rows (journal + rows.csv), over the 4 GiB limit; use fewer replicates or pass --yes`,
      field,
    );
  }
}

/**
 * The default output directory `out/sweeps/<spec.name>`: the name must be one plain directory name, so
 * a spec cannot aim its files elsewhere (issue 18: `"name": "../../../../tmp/victim"` overwrote another
 * directory's files).
 * @throws MechlabError naming `spec.name`.
 */
export function defaultOut(name: string, shard?: ShardSpec): string {
  if (name === '' || /[/\\]/.test(name) || name.includes('\0') || name.startsWith('.')) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `spec.name: ${JSON.stringify(name)} cannot name the output directory out/sweeps/<name> (one directory name: no "/", "\\", leading "."); rename the sweep or pass --out DIR`,
      'spec.name',
    );
  }
  const dir = shard ? `${name}.shard${shard.index}of${shard.count}` : name;
  resolveInside(path.join('out', 'sweeps'), dir, { flag: 'spec.name' }); // throws on an escape
  return path.join('out', 'sweeps', dir);
}

/**
 * Run `mechlab sweep` on `argv` (the arguments after `sweep`). Resolves to the exit status:
 * 0 ok, 1 internal error, 2 bad input, 130 interrupted.
 * @example await sweepCli(['ccs-vary-n', '--replicates', '20', '--json'], io) // 0
 */
export async function sweepCli(
  argv: string[],
  io: SweepCliIo,
  catalogue: SweepCatalogue,
  opts: SweepCliOptions = {},
): Promise<number> {
  trace('sweepCli');
  const experiments = catalogue.experiments;
  let json = false;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          workers: { type: 'string' },
          out: { type: 'string' },
          resume: { type: 'boolean' },
          force: { type: 'boolean' },
          yes: { type: 'boolean', short: 'y' },
          shard: { type: 'string' },
          replicates: { type: 'string' },
          seed: { type: 'string' },
          merge: { type: 'string' },
          json: { type: 'boolean' },
          queue: { type: 'string' },
          status: { type: 'string' },
          backend: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw new MechlabError('ERR_INVALID_INPUT', `sweep: ${(e as Error).message.split('\n')[0]}`, 'sweep');
    }
    const { values, positionals } = parsed;
    json = values.json === true;
    if (values.help) {
      io.stdout(sweepUsage(catalogue));
      return 0;
    }
    // This thread runs inline tasks and picks the default backend: register what the build ships.
    registerSweepBackends();
    if (values.backend !== undefined && (values.merge !== undefined || values.status !== undefined)) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        '--backend applies to running a sweep, not to --merge or --status',
        'backend',
      );
    }
    const backend = values.backend === undefined ? undefined : ensureBackend(values.backend);
    const reporter = progressReporter({
      json,
      isTty: io.isTty,
      write: json ? (s) => io.stdout(s) : (s) => io.stderr(s),
    });
    if (values.merge !== undefined) {
      if (values.out === undefined)
        throw new MechlabError('ERR_INVALID_INPUT', '--out is required with --merge', '--out');
      const dirs = values.merge.split(',').filter((d) => d !== '');
      const summary = await mergeShards(dirs, values.out, { experiments, render: opts.render });
      reporter.finish({ ...summary });
      return 0;
    }
    if (values.status !== undefined) {
      if (values.queue === undefined)
        throw new MechlabError('ERR_INVALID_INPUT', '--queue is required with --status', '--queue');
      const st = await readDistributedStatus(parseQueueUrl(values.queue), values.status);
      if (!st)
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `--status: no sweep ${JSON.stringify(values.status)} in ${values.queue}`,
          '--status',
        );
      io.stdout(JSON.stringify(st) + '\n');
      return 0;
    }
    if (positionals.length !== 1) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `spec must be exactly one PRESET|SPEC.json argument (presets: ${catalogue.presets.map((p) => p.name).join(', ')}), got ${positionals.length}`,
        'spec',
      );
    }
    const workers = intFlag(values.workers, 'workers', 0);
    const replicates = intFlag(values.replicates, 'replicates', 1);
    const seed =
      values.seed === undefined ? undefined : /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
    const shard = values.shard === undefined ? undefined : parseShard(values.shard, '--shard');
    const target = values.queue === undefined ? undefined : parseQueueUrl(values.queue);
    if (target && (shard || workers !== undefined)) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        '--queue cannot be combined with --shard or --workers (workers run `mechlab worker`)',
        '--queue',
      );
    }
    const spec = await loadSweepSpec(positionals[0]!, catalogue, {
      replicates,
      seed,
      checkSize: (points, axes, reps) =>
        checkSweepSize(points, axes, reps, values.replicates !== undefined, values.yes === true),
    });
    const out = values.out ?? defaultOut(spec.name, shard);
    // Issue 18: an unusable --out is bad input naming it (not an internal error), checked before any work.
    ensureDirectory(out, '--out');

    const ac = new AbortController();
    let interrupts = 0;
    const onSigint = (): void => {
      if (++interrupts > 1) process.exit(130);
      io.stderr('\ninterrupted: finishing running tasks (Ctrl-C again to quit now; --resume continues)\n');
      ac.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      const summary = target
        ? await runDistributedSweep(spec, {
            target,
            out,
            experiments,
            render: opts.render,
            resume: values.resume === true,
            force: values.force === true,
            backend,
            onProgress: reporter.onProgress,
            signal: ac.signal,
            onQueued: (id, n) => {
              if (!json)
                io.stderr(
                  `sweep ${id}: ${n} tasks queued on ${target.url}; run \`mechlab worker --queue ${target.url}\` (progress: --status ${id})\n`,
                );
            },
          })
        : await runSweep(spec, {
            out,
            experiments,
            render: opts.render,
            workers,
            resume: values.resume === true,
            force: values.force === true,
            shard,
            backend,
            onProgress: reporter.onProgress,
            signal: ac.signal,
          });
      reporter.finish({ ...summary });
      return summary.status === 'aborted' ? 130 : 0;
    } finally {
      process.off('SIGINT', onSigint);
    }
  } catch (e) {
    if (process.env['MECHLAB_DEBUG'] === '1' && e instanceof Error) io.stderr(`${e.stack ?? ''}\n`);
    const msg = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
    if (e instanceof ExperimentRunError) {
      // The experiment's own code failed: not bad input, and not mechlab's bug.
      io.stderr(`error: ${msg}\n`);
      return 1;
    }
    if (e instanceof RedisUnreachableError) {
      // An environment problem, not bad input: exit 1 (README, "Running a sweep across several machines").
      io.stderr(`error: ${msg}\n`);
      return 1;
    }
    if (isMechlabError(e)) {
      io.stderr(`error: ${msg}\n`);
      return 2;
    }
    io.stderr(`error: internal: ${msg} (set MECHLAB_DEBUG=1 for a stack trace)\n`);
    return 1;
  }
}
