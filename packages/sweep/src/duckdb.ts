/** `results.duckdb` of a sweep output directory: tables `rows` and `aggregates` loaded from the CSVs. */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as DuckDb from '@duckdb/node-api';
import type { ParamValue } from '@mechlab/core';
import { reserveAtomicTemp } from '@mechlab/io';
import { AGGREGATE_NUMBER_COLUMNS } from './aggregates';
import type { SweepPlan } from './spec';

const loadNative = createRequire(__filename);

/** DuckDB type of a grid axis: BIGINT for integers, DOUBLE for other numbers, else BOOLEAN/VARCHAR. */
function axisType(values: readonly ParamValue[]): string {
  if (values.every((v) => typeof v === 'number')) {
    return values.every((v) => Number.isSafeInteger(v)) ? 'BIGINT' : 'DOUBLE';
  }
  if (values.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  return 'VARCHAR';
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * Load DuckDB's native binding now (≈ 0.1 s: a large shared library), so that finalize does not wait
 * for it; `runSweep` calls it while the worker threads start (issue 14). A binding that fails to load
 * is ignored here and reported by {@link writeDuckDb}. O(1) after the first call.
 */
export function preloadDuckDb(): void {
  try {
    loadNative('@duckdb/node-api');
  } catch {
    // writeDuckDb reports it (the sweep's summary carries the warning).
  }
}

/**
 * Build `results.duckdb` with tables `rows` and `aggregates` loaded from the CSVs (explicit column
 * types; empty fields are NULL). DuckDB is loaded lazily so a missing or broken native binding costs
 * only this file, never the sweep. The database is built under a temporary name reserved by
 * @mechlab/io (no symlinks, `.wal` sidecar included) and renamed; on failure the temporaries are removed.
 */
export async function writeDuckDb(
  plan: SweepPlan,
  db: string,
  rowsFile: string,
  aggFile: string,
): Promise<void> {
  const duck = loadNative('@duckdb/node-api') as typeof DuckDb;
  // An older database is removed first, so a failed build never leaves one that contradicts the CSVs.
  for (const f of [db, `${db}.wal`]) fs.rmSync(f, { force: true });
  const tmp = reserveAtomicTemp(path.dirname(db), path.basename(db), { flag: 'out', sidecars: ['.wal'] });
  try {
    await build(duck, plan, tmp.temp, rowsFile, aggFile);
    tmp.commit(); // after CHECKPOINT the .wal sidecar holds nothing the database lacks
  } catch (e) {
    tmp.abort();
    throw e;
  }
}

async function build(
  duck: typeof DuckDb,
  plan: SweepPlan,
  tmp: string,
  rowsFile: string,
  aggFile: string,
): Promise<void> {
  const axisCols = plan.axes.map((a) => `${sqlString(a)}: '${axisType(plan.spec.grid[a]!)}'`);
  const rowCols = [
    `'point': 'INTEGER'`,
    `'replicate': 'INTEGER'`,
    ...axisCols,
    ...plan.metricColumns.map((c) => `${sqlString(c)}: 'DOUBLE'`),
  ];
  const aggCols = [
    `'point': 'INTEGER'`,
    ...axisCols,
    `'algo': 'VARCHAR'`,
    `'metric': 'VARCHAR'`,
    ...AGGREGATE_NUMBER_COLUMNS.map((c) => `'${c}': '${c === 'count' ? 'BIGINT' : 'DOUBLE'}'`),
  ];
  const instance = await duck.DuckDBInstance.create(tmp);
  try {
    const con = await instance.connect();
    try {
      const read = (file: string, cols: string[]): string =>
        `read_csv(${sqlString(file)}, header = true, delim = ',', quote = '"', columns = {${cols.join(', ')}})`;
      await con.run(`CREATE TABLE rows AS SELECT * FROM ${read(rowsFile, rowCols)}`);
      await con.run(`CREATE TABLE aggregates AS SELECT * FROM ${read(aggFile, aggCols)}`);
      await con.run('CHECKPOINT');
    } finally {
      con.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
