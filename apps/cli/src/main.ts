/**
 * `mechlab` — entry point. Every command validates at the boundary; errors map to exit statuses:
 * 0 ok · 1 internal error · 2 bad input (one `error:` line naming the field, nothing on stdout) ·
 * 3 infeasible instance (`error: infeasible`). Stack traces only with MECHLAB_DEBUG=1.
 */
import { isMechlabError } from '@mechlab/core';
import { registerWasmBackend } from '@mechlab/kernels';
import type { Command } from './command';
import { setStrictNumbers } from './format';
import { nodeIo, resetInput, type Io } from './io';

// The WebAssembly kernels become the default backend wherever they implement the algorithm (they are
// compiled lazily at first use; if build/release.wasm is missing, solves fall back to the TS reference).
registerWasmBackend();

/*
 * Commands are loaded on demand: `mechlab solve …` must not pay for onnxruntime, gpu.js, DuckDB and
 * bullmq, which only `score`, `forum`, `sweep` and `worker` need (eager loading cost ~0.5 s per start).
 * Synchronous `require` rather than `import()`: the CLI compiles to CommonJS and jest runs it as such.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const registry: readonly (readonly [string, () => Command])[] = [
  ['demo', () => (require('./commands/demo') as typeof import('./commands/demo')).demoCommand],
  ['solve', () => (require('./commands/solve') as typeof import('./commands/solve')).solveCommand],
  [
    'equilibrium',
    () => (require('./commands/equilibrium') as typeof import('./commands/equilibrium')).equilibriumCommand,
  ],
  [
    'shapley',
    () => (require('./commands/coalition') as typeof import('./commands/coalition')).shapleyCommand,
  ],
  ['mpw', () => (require('./commands/coalition') as typeof import('./commands/coalition')).mpwCommand],
  [
    'coalition',
    () => (require('./commands/coalition') as typeof import('./commands/coalition')).coalitionCommand,
  ],
  [
    'contribution',
    () =>
      (require('./commands/contribution') as typeof import('./commands/contribution')).contributionCommand,
  ],
  ['sweep', () => (require('./commands/sweep') as typeof import('./commands/sweep')).sweepCommand],
  ['worker', () => (require('./commands/worker') as typeof import('./commands/worker')).workerCommand],
  ['forum', () => (require('./commands/forum') as typeof import('./commands/forum')).forumCommand],
  ['score', () => (require('./commands/score') as typeof import('./commands/score')).scoreCommand],
];
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Commands whose every printed number is computed from the input: a non-finite one means the input
 * overflowed doubles and is refused (exit 2) instead of printed as `null`. The statistics commands
 * (contribution, forum, score, sweep) use `null` for "no data" (a mean over zero crossings).
 */
const STRICT_NUMBERS = new Set(['demo', 'solve', 'equilibrium', 'shapley', 'mpw', 'coalition']);

/** Load one command by name (undefined if there is none). */
export function loadCommand(name: string): Command | undefined {
  return registry.find(([n]) => n === name)?.[1]();
}

/** Every command, loaded (for `mechlab help`). */
export function allCommands(): Command[] {
  return registry.map(([, load]) => load());
}

const VERSION = '0.1.0';

function help(): string {
  const commands = allCommands();
  const w = Math.max(...commands.map((c) => c.name.length));
  return [
    'mechlab — compute kernels for the economics of the GenAI ecosystem',
    '',
    'usage: mechlab <command> [options]   (every command accepts --json and --help)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'exit status: 0 ok, 1 internal error, 2 bad input, 3 infeasible instance',
    '',
  ].join('\n');
}

/** Run the CLI on `argv` (without `node` and the script path). Resolves to the exit status. */
export async function runMain(argv: string[], io: Io = nodeIo): Promise<number> {
  const [name, ...rest] = argv;
  resetInput();
  if (name === undefined) {
    // No command is a usage error: the usage goes to stderr (stdout stays empty), exit 2 (FORMATS.md).
    io.stderr('error: no command given; usage:\n\n' + help());
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout(help());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(VERSION + '\n');
    return 0;
  }
  const cmd = loadCommand(name);
  if (!cmd) {
    io.stderr(`error: unknown command ${JSON.stringify(name)}; run \`mechlab help\` for the list\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(cmd.usage.endsWith('\n') ? cmd.usage : cmd.usage + '\n');
    return 0;
  }
  setStrictNumbers(STRICT_NUMBERS.has(name));
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    return reportError(e, io);
  } finally {
    setStrictNumbers(false);
  }
}

/** Map an error to the CLI contract. */
export function reportError(e: unknown, io: Io): number {
  if (process.env['MECHLAB_DEBUG'] === '1' && e instanceof Error) io.stderr(`${e.stack ?? ''}\n`);
  if (isMechlabError(e)) {
    if (e.code === 'ERR_INFEASIBLE') {
      io.stderr(`error: infeasible${e.message && e.message !== 'infeasible' ? ` (${e.message})` : ''}\n`);
      return 3;
    }
    io.stderr(`error: ${oneLine(e.message)}\n`);
    return 2;
  }
  const msg = e instanceof Error ? e.message : String(e);
  io.stderr(`error: internal: ${oneLine(msg)} (set MECHLAB_DEBUG=1 for a stack trace)\n`);
  return 1;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

if (require.main === module) {
  void runMain(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
