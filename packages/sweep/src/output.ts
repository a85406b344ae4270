/**
 * The finalize step: from committed journal entries to the result files, in canonical order.
 *
 * Tasks finish in any order, but `rows.csv` is written point-major, replicate-minor by visiting the
 * tasks in canonical order and copying each one's journal bytes (random access by byte range, so
 * memory stays O(tasks), never O(rows)). Aggregates are accumulated in that same order, so even their
 * floating-point sums are identical whatever the number of workers or shards. Every file is written to
 * a temporary name and renamed, so a crash during finalize never leaves a half-written result.
 *
 * Output directory:
 * - `manifest.json`  — spec, spec hash, kernel backend, counts, columns, completion (deterministic: no
 *   timings).
 * - `journal.csv`    — the append-only task journal (completion order; what `--resume` reads).
 * - `rows.csv`       — one row per instance: point, replicate, grid coordinates, metrics.
 * - `aggregates.csv` — per point × algorithm × metric: count, mean, std, lo3, hi3, min, max, prediction.
 * - `results.duckdb` — tables `rows` and `aggregates` (same columns), for SQL.
 * - `figure.json`    — `FigureData`; `figure.svg` / `figure.png` when a renderer is available.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MechlabError, RunningStats } from '@mechlab/core';
import {
  aggregateColumns,
  aggregateLine,
  coordFields,
  parseAggregates,
  pointAggregates,
  rowColumns,
  type AggregateRow,
} from './aggregates';
import { figureData, type FigureRenderer } from './figure';
import { parseNumber } from './csv-format';
import type { JournalEntry } from './journal';
import type { SweepPlan } from './spec';
import { FILES, readManifest, writeFileAtomic } from './manifest';
import { CsvWriter, RangeReader } from './csv';
import { writeDuckDb } from './duckdb';
import { trace } from './trace';

/** What `finalize` wrote. */
export interface FinalizeResult {
  readonly files: Readonly<Record<string, string>>;
  readonly aggregates: AggregateRow[];
  readonly warnings: string[];
}

/** Options of {@link finalizeSweep}. */
export interface FinalizeOptions {
  /** Figure renderer; `false` writes `figure.json` only. */
  readonly render?: FigureRenderer | false | undefined;
  /** Build `results.duckdb` (default true). */
  readonly duckdb?: boolean | undefined;
}

/**
 * Write `rows.csv`, `aggregates.csv`, `results.duckdb`, the figure files and the final manifest from a
 * complete set of journal entries. O(total rows) time, O(tasks + points × metrics) memory.
 * @throws MechlabError ERR_INVALID_INPUT when a task is missing or its journal rows are inconsistent.
 */
export async function finalizeSweep(
  plan: SweepPlan,
  out: string,
  entries: ReadonlyMap<string, JournalEntry>,
  opts: FinalizeOptions = {},
): Promise<FinalizeResult> {
  const m = plan.metrics.length;
  const files: Record<string, string> = {};
  const warnings: string[] = [];
  const rowsFile = path.join(out, FILES.rows);
  const rows = new CsvWriter(rowsFile);
  const reader = new RangeReader();
  const aggregates: AggregateRow[] = [];
  try {
    rows.write(rowColumns(plan).join(',') + '\n');
    let t = 0;
    for (const point of plan.points) {
      const coordText = coordFields(plan.axes, point.coords);
      const stats = plan.metrics.map(() => new RunningStats());
      for (; t < plan.tasks.length && plan.tasks[t]!.point === point.index; t++) {
        const task = plan.tasks[t]!;
        const e = entries.get(task.id);
        if (!e)
          throw new MechlabError('ERR_INVALID_INPUT', `task ${task.id} has no committed rows`, 'journal');
        const text = reader.read(e);
        let r = task.r0;
        let s = 0;
        for (let nl = text.indexOf('\n', s); nl !== -1; nl = text.indexOf('\n', s), r++) {
          const line = text.slice(s, nl);
          s = nl + 1;
          const fields = line.split(',');
          if (fields.length !== m + 2 || Number(fields[0]) !== point.index || Number(fields[1]) !== r) {
            throw new MechlabError(
              'ERR_INVALID_INPUT',
              `journal row ${JSON.stringify(line.slice(0, 60))} does not belong to task ${task.id} at replicate ${r}`,
              'journal',
            );
          }
          for (let k = 0; k < m; k++) {
            const v = parseNumber(fields[k + 2]!);
            if (!Number.isNaN(v)) stats[k]!.push(v);
          }
          const rest = line.slice(fields[0]!.length + fields[1]!.length + 2);
          rows.write(`${fields[0]},${fields[1]}${coordText === '' ? '' : ',' + coordText},${rest}\n`);
        }
        if (r !== task.r1) {
          throw new MechlabError(
            'ERR_INVALID_INPUT',
            `task ${task.id} has ${r - task.r0} rows, expected ${task.r1 - task.r0}`,
            'journal',
          );
        }
      }
      aggregates.push(...pointAggregates(plan, point, stats));
    }
    rows.close();
  } catch (e) {
    rows.abort();
    throw e;
  } finally {
    reader.close();
  }
  files.rows = rowsFile;
  trace('rowsWritten');

  const aggFile = path.join(out, FILES.aggregates);
  const agg = new CsvWriter(aggFile);
  agg.write(aggregateColumns(plan).join(',') + '\n');
  for (const a of aggregates) agg.write(aggregateLine(plan.axes, a));
  agg.close();
  files.aggregates = aggFile;

  trace('aggWritten');
  // Finalize is serial work after the last task, so its two slow parts overlap (issue 14): DuckDB
  // loads the CSVs on its own threads while this thread draws the figure.
  const duck = opts.duckdb !== false ? buildDuckDb(plan, out, rowsFile, aggFile) : undefined;
  const fig = figureData(aggregates, plan.spec, plan.experiment);
  const figJson = path.join(out, FILES.figureJson);
  writeFileAtomic(figJson, JSON.stringify(fig, null, 2) + '\n');
  const figFiles: Record<string, string> = { figureJson: figJson };
  const figWarnings: string[] = [];
  if (opts.render) {
    try {
      const pic = await opts.render(fig);
      const svg = path.join(out, FILES.figureSvg);
      writeFileAtomic(svg, pic.svg);
      figFiles.figureSvg = svg;
      figWarnings.push(...(pic.warnings ?? []));
      if (pic.png) {
        const png = path.join(out, FILES.figurePng);
        writeFileAtomic(png, pic.png);
        figFiles.figurePng = png;
      }
    } catch (e) {
      figWarnings.push(`figure not rendered (${(e as Error).message}); figure.json is complete`);
    }
  }
  if (duck) {
    const failed = await duck;
    if (failed === undefined) files.duckdb = path.join(out, FILES.duckdb);
    else warnings.push(failed);
  }
  trace('finalized');
  Object.assign(files, figFiles);
  warnings.push(...figWarnings);
  return { files, aggregates, warnings };
}

/**
 * Build `results.duckdb`; resolves to undefined, or to the warning when DuckDB failed (the CSVs are
 * complete either way, so a broken native binding never fails a finished sweep).
 */
async function buildDuckDb(
  plan: SweepPlan,
  out: string,
  rowsFile: string,
  aggFile: string,
): Promise<string | undefined> {
  const db = path.join(out, FILES.duckdb);
  try {
    await writeDuckDb(plan, db, rowsFile, aggFile);
    return undefined;
  } catch (e) {
    // writeDuckDb has removed its temporaries.
    return `results.duckdb not written (${(e as Error).message}); rows.csv and aggregates.csv are complete`;
  }
}
/**
 * Parse `aggregates.csv` of an output directory back into rows (e.g. to redraw a figure).
 * O(file size).
 * @throws MechlabError naming the file, line and column of a malformed row (see `parseAggregates`).
 */
export function readAggregates(dir: string): AggregateRow[] {
  const manifest = readManifest(dir);
  const file = path.join(dir, FILES.aggregates);
  return parseAggregates(fs.readFileSync(file, 'utf8'), manifest.spec, FILES.aggregates);
}
