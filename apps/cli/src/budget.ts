/**
 * Resource budgets (issue 18, finding 2): every size a user controls is turned into an estimate of
 * memory (bytes) and time before any work starts, and a run over the budget is refused with one
 * `error:` line naming the flag or field that drives it — instead of growing past 4 GB or running for
 * hours. Estimates, not measurements: bytes come from the algorithm's tables (see each estimator),
 * time from an operation count × the cost of one operation measured on this machine at startup
 * ({@link nsPerOp}: ~1 ms of typed-array arithmetic). The per-algorithm weights were fitted on whole
 * runs of the CLI (apps/cli/README.md, "Resource budgets").
 *
 * Overrides: `--max-memory SIZE` raises (or lowers) the memory limit; `--yes` accepts a long run.
 * Structural limits of a solver (a table index that must fit in 32 bits, …) cannot be overridden.
 */
import { totalmem } from 'node:os';
import { MechlabError } from '@mechlab/core';
import { formatBytes } from '@mechlab/io';
import type { FlagSpec, Parsed } from './args';
import type { Io } from './io';

/** Flags every budgeted command accepts. */
export const BUDGET_FLAGS: FlagSpec = {
  'max-memory': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
};

const GiB = 1024 ** 3;

/** Default time limit without `--yes`, in seconds. */
export const DEFAULT_MAX_SECONDS = 60;

/** Usage lines for {@link BUDGET_FLAGS}. */
export const BUDGET_USAGE = `--max-memory SIZE  memory limit checked against the run's estimate before it starts (default 2G, or
                   half the RAM if less; e.g. 512M, 8G). Input files are capped at an eighth of it.
--yes              run even when the estimated time exceeds ${DEFAULT_MAX_SECONDS} s`;

/** Default memory limit: 2 GiB, or half the machine's RAM if that is less. */
export function defaultMaxBytes(): number {
  return Math.min(2 * GiB, Math.floor(totalmem() / 2));
}

/** A budget: what a run may use. */
export interface Budget {
  readonly maxBytes: number;
  readonly maxSeconds: number;
  readonly yes: boolean;
}

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: GiB,
  gb: GiB,
  gib: GiB,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * Parse a size such as `512M`, `2G`, `1.5GiB`, `4096` or `1e9` (binary units).
 * @throws MechlabError naming `flag` for anything else or a size < 1 MiB.
 * @example parseSize('2G', '--max-memory') // → 2147483648
 */
export function parseSize(raw: string, flag: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const v = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isFinite(v)) {
    throw new MechlabError(
      'ERR_INVALID_TYPE',
      `${flag} must be a size such as 512M or 8G, got ${JSON.stringify(raw)}`,
      flag,
    );
  }
  if (v < 1024 ** 2) {
    throw new MechlabError(
      'ERR_OUT_OF_RANGE',
      `${flag} must be at least 1M, got ${JSON.stringify(raw)}`,
      flag,
    );
  }
  return Math.floor(v);
}

/**
 * The largest input file a budgeted command reads: an eighth of the memory limit (BUDGET_USAGE), since
 * a parsed JSON instance and the typed arrays built from it take several times the text's bytes.
 * @example maxInputBytes({ maxBytes: 8 * 2 ** 20, maxSeconds: 60, yes: false }) // → 1048576 (1 MiB)
 */
export function maxInputBytes(budget: Budget): number {
  return budget.maxBytes / 8;
}

/** The budget from `--max-memory` / `--yes` (defaults otherwise). */
export function readBudget(p: Parsed): Budget {
  const raw = p.values['max-memory'];
  return {
    maxBytes: typeof raw === 'string' ? parseSize(raw, '--max-memory') : defaultMaxBytes(),
    maxSeconds: DEFAULT_MAX_SECONDS,
    yes: p.values['yes'] === true,
  };
}

let calibrated: number | undefined;

/**
 * Nanoseconds per elementary operation (one multiply-add on a Float64Array element) on this machine,
 * the unit of every time estimate: the fastest of three ~0.3 ms runs, measured once per process.
 */
export function nsPerOp(): number {
  if (calibrated !== undefined) return calibrated;
  const a = new Float64Array(4096);
  let best = Infinity;
  for (let rep = 0; rep < 6; rep++) {
    const t0 = performance.now();
    for (let pass = 0; pass < 64; pass++) for (let i = 0; i < a.length; i++) a[i] = a[i]! * 0.5 + i;
    best = Math.min(best, (performance.now() - t0) * 1e6);
  }
  // Guard against a timer too coarse to see the loop (some sandboxes round to 0.1 ms).
  calibrated = Math.max(0.2, best / (64 * a.length));
  return calibrated;
}

/** What a run will cost, before it starts. */
export interface Estimate {
  /** The flag or input field that drives the cost (named in the error: `--delta`). */
  readonly field: string;
  /** The run in words (`solve ccs --algo nsr with n = 3 and 1/δ = 1e9`). */
  readonly what: string;
  /** Peak memory in bytes. */
  readonly bytes: number;
  /** Time in elementary operations (see {@link nsPerOp}). */
  readonly ops: number;
  /** A limit of the algorithm itself that no flag can lift: the reason when it is exceeded. */
  readonly hardLimit?: string | undefined;
  /** How to make the run smaller (`use a coarser --delta`). */
  readonly hint?: string;
}

/** `3.2 s`, `4.1 min`, `2.0 h`, `3.1 days`, `1e+9 years`. */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s < 10 ? s.toFixed(1) : s.toFixed(0)} s`;
  if (s < 3600) return `${(s / 60).toFixed(1)} min`;
  if (s < 86400) return `${(s / 3600).toFixed(1)} h`;
  if (s < 3.156e7 * 10) return `${(s / 86400).toFixed(1)} days`;
  return `${(s / 3.156e7).toPrecision(2)} years`;
}

/**
 * Refuse `est` if it breaks a hard limit, needs more memory than `budget.maxBytes`, or is estimated to
 * take longer than `budget.maxSeconds` without `--yes`.
 *
 * @returns the estimated seconds.
 * @throws MechlabError `ERR_TOO_LARGE` naming `est.field`.
 */
export function checkBudget(budget: Budget, est: Estimate): number {
  const hint = est.hint ? `; ${est.hint}` : '';
  if (est.hardLimit !== undefined) {
    throw new MechlabError('ERR_TOO_LARGE', `${est.field}: ${est.what}: ${est.hardLimit}${hint}`, est.field);
  }
  if (!(est.bytes <= budget.maxBytes)) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `${est.field}: ${est.what} needs about ${formatBytes(est.bytes)} of memory, over the ${formatBytes(budget.maxBytes)} limit (raise it with --max-memory SIZE)${hint}`,
      est.field,
    );
  }
  const seconds = (est.ops * nsPerOp()) / 1e9;
  if (!(seconds <= budget.maxSeconds) && !budget.yes) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `${est.field}: ${est.what} would take about ${formatSeconds(seconds)}, over the ${budget.maxSeconds} s limit (pass --yes to run it anyway)${hint}`,
      est.field,
    );
  }
  return seconds;
}

/**
 * The callback {@link admit} returns: call it when the run ends; pass `tick` as the loop's progress
 * callback (forum rounds, sampler batches, grid scans) to redraw the live progress line.
 */
export interface Admitted {
  (): void;
  /** `done` of `total` units finished; redraws the line at most every {@link PROGRESS_INTERVAL_MS}. */
  tick(done: number, total: number): void;
}

/** Least time between two redraws of the progress line (a terminal redraw per unit would dominate). */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * Check `est` against the budget and, for a run estimated at ≥ 2 s on a terminal, say so on stderr
 * before it starts, redraw a live `done/total, elapsed, ETA` line (`\r` + erase-line) as the loop
 * reports through `tick` (throttled), and end with how long it took. Off a terminal, or for a short
 * run, nothing is printed and `tick` is a no-op. `now` is injectable for tests.
 */
export function admit(
  io: Io,
  budget: Budget,
  est: Estimate,
  now: () => number = () => performance.now(),
): Admitted {
  const seconds = checkBudget(budget, est);
  if (!io.isTty || seconds < 2) return Object.assign(() => undefined, { tick: () => undefined });
  const t0 = now();
  let last = t0;
  let ticked = false;
  io.stderr(`${est.what}: estimated ${formatSeconds(seconds)}, ${formatBytes(est.bytes)}; running…`);
  const tick = (done: number, total: number): void => {
    const t = now();
    if (t - last < PROGRESS_INTERVAL_MS || !(total > 0)) return;
    last = t;
    ticked = true;
    const elapsed = (t - t0) / 1000;
    const eta = done > 0 ? (elapsed * (total - done)) / done : NaN;
    const pct = Math.floor((100 * done) / total);
    io.stderr(
      `\r\x1b[K${est.what}: ${done}/${total} (${pct}%), ${formatSeconds(elapsed)} elapsed, ETA ${Number.isFinite(eta) ? formatSeconds(eta) : '?'}`,
    );
  };
  const end = (): void => {
    const took = formatSeconds((now() - t0) / 1000);
    io.stderr(ticked ? `\r\x1b[K${est.what}: done in ${took}\n` : ` done in ${took}\n`);
  };
  return Object.assign(end, { tick });
}
