/**
 * Progress reporting for `mechlab sweep`: a redrawn bar with rate and ETA on a terminal, or JSONL lines
 * with `--json` (FORMATS.md: streaming commands print JSONL, then a summary).
 */

/** What `runSweep` reports after every finished task (and once at the start). Units: instances. */
export interface SweepProgress {
  /** Instances finished, including those skipped by `--resume`. */
  readonly done: number;
  readonly total: number;
  /** Instances that were already in the journal at start (they do not count toward the rate). */
  readonly skipped: number;
  readonly tasksDone: number;
  readonly tasksTotal: number;
  /** Milliseconds since the run started. */
  readonly elapsedMs: number;
}

/** Options of {@link progressReporter}. */
export interface ProgressReporterOptions {
  /** JSONL lines instead of a bar. */
  readonly json?: boolean;
  /** Draw a bar (redrawn in place with `\r`); when false and not json, only the summary line is written. */
  readonly isTty?: boolean;
  /** Sink, e.g. `(s) => process.stderr.write(s)` for the bar, stdout for JSONL. */
  readonly write: (text: string) => void;
  /** Minimum milliseconds between two updates (default 100 for the bar, 1000 for JSONL). */
  readonly intervalMs?: number;
  /** Clock (for tests). */
  readonly now?: () => number;
  /** Bar width in characters (default 28). */
  readonly width?: number;
}

/** A progress sink: feed it `runSweep`'s `onProgress`, then `finish` with the summary. */
export interface ProgressReporter {
  readonly onProgress: (p: SweepProgress) => void;
  /** Final 100 % update (if needed) and the summary: a JSON line with `--json`, else one human line. */
  readonly finish: (summary: { readonly [k: string]: unknown }) => void;
}

/** Rate (instances/s, excluding skipped ones) and ETA (s; null while unknown). */
export function rateAndEta(p: SweepProgress): { rate: number; eta: number | null } {
  const seconds = p.elapsedMs / 1000;
  const work = p.done - p.skipped;
  const rate = seconds > 0 ? work / seconds : 0;
  const left = p.total - p.done;
  const eta = left === 0 ? 0 : rate > 0 ? left / rate : null;
  return { rate, eta };
}

function fmtDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function fmtRate(r: number): string {
  return r >= 100 ? Math.round(r).toString() : r.toFixed(1);
}

/** One bar line: `[########------] 57% 4000/7000 inst 1234/s ETA 2.4s`. */
export function formatBar(p: SweepProgress, width = 28): string {
  const frac = p.total === 0 ? 1 : p.done / p.total;
  const full = Math.round(frac * width);
  const { rate, eta } = rateAndEta(p);
  return (
    `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.floor(frac * 100)).padStart(3)}% ` +
    `${p.done}/${p.total} inst  ${fmtRate(rate)}/s  ETA ${fmtDuration(eta)}`
  );
}

/**
 * Create a reporter. Updates are throttled (the first and the final one always pass), so even a sweep of
 * a million tiny tasks writes a bounded number of lines. O(1) per update.
 * @example
 * const rep = progressReporter({ json: true, write: (s) => process.stdout.write(s) });
 * await runSweep(spec, { out, onProgress: rep.onProgress }).then(rep.finish);
 * // {"type":"progress","done":250,"total":7000,"rate":1830.2,"eta":3.7}
 * // …
 * // {"type":"summary","status":"complete",…}
 */
export function progressReporter(opts: ProgressReporterOptions): ProgressReporter {
  const json = opts.json ?? false;
  const tty = !json && (opts.isTty ?? false);
  const interval = opts.intervalMs ?? (json ? 1000 : 100);
  const now = opts.now ?? Date.now;
  let last = -Infinity;
  let lastP: SweepProgress | undefined;
  let drawn = false;

  const emit = (p: SweepProgress): void => {
    if (json) {
      const { rate, eta } = rateAndEta(p);
      opts.write(
        JSON.stringify({
          type: 'progress',
          done: p.done,
          total: p.total,
          rate: Math.round(rate * 10) / 10,
          eta: eta === null ? null : Math.round(eta * 10) / 10,
        }) + '\n',
      );
    } else if (tty) {
      opts.write(`\r${formatBar(p, opts.width)}\x1b[K`);
      drawn = true;
    }
  };

  return {
    onProgress(p) {
      lastP = p;
      const t = now();
      if (p.done === p.total || t - last >= interval) {
        last = t;
        emit(p);
      }
    },
    finish(summary) {
      if (tty && drawn) opts.write('\n');
      if (json) {
        opts.write(JSON.stringify({ type: 'summary', ...summary }) + '\n');
        return;
      }
      const s = summary as {
        status?: string;
        out?: string;
        instances?: { done?: number };
        elapsedMs?: number;
        warnings?: string[];
      };
      const secs = ((s.elapsedMs ?? lastP?.elapsedMs ?? 0) / 1000).toFixed(1);
      opts.write(
        `sweep ${s.status ?? 'done'}: ${s.instances?.done ?? lastP?.done ?? 0} instances in ${secs}s → ${s.out ?? ''}\n`,
      );
      for (const w of s.warnings ?? []) opts.write(`warning: ${w}\n`);
    },
  };
}
