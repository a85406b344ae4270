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
import { createRequire } from 'node:module';
import { MechlabError, RunningStats } from '@mechlab/core';
import type * as DuckDb from '@duckdb/node-api';
import { figureData, type AggregateRow, type FigureRenderer } from './figure';
import { formatNumber, parseNumber, type JournalEntry } from './journal';
import type { BackendName, ParamValue } from '@mechlab/core';
import type { ShardSpec, SweepPlan, SweepSpec } from './spec';

/** File names inside an output directory. */
export const FILES = {
  manifest: 'manifest.json',
  journal: 'journal.csv',
  rows: 'rows.csv',
  aggregates: 'aggregates.csv',
  duckdb: 'results.duckdb',
  figureJson: 'figure.json',
  figureSvg: 'figure.svg',
  figurePng: 'figure.png',
} as const;

/** `manifest.json`: everything needed to resume, merge or interpret an output directory. */
export interface SweepManifest {
  readonly format: 'mechlab-sweep';
  readonly formatVersion: 1;
  /** Version of @mechlab/sweep that wrote it. */
  readonly packageVersion: string;
  readonly experiment: string;
  readonly name: string;
  readonly specHash: string;
  readonly spec: SweepSpec;
  /** The shard this directory holds, or null for a whole sweep (also after `mergeShards`). */
  readonly shard: ShardSpec | null;
  /**
   * The kernel backend every task ran on (`--backend`, default the fastest registered). Not part of
   * the spec hash: backends promise identical results. Absent in manifests written before issue 12.
   */
  readonly backend?: BackendName;
  readonly points: number;
  readonly tasks: number;
  readonly tasksInShard: number;
  readonly instancesInShard: number;
  readonly columns: { readonly rows: readonly string[]; readonly aggregates: readonly string[] };
  readonly completedTasks: number;
  readonly complete: boolean;
}

/** Version of this package (read at run time so `src/` and `dist/` agree). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Header of `rows.csv`. */
export function rowColumns(plan: SweepPlan): string[] {
  return ['point', 'replicate', ...plan.axes, ...plan.metricColumns];
}

/** Header of `aggregates.csv`. */
export function aggregateColumns(plan: SweepPlan): string[] {
  return [
    'point',
    ...plan.axes,
    'algo',
    'metric',
    'count',
    'mean',
    'std',
    'lo3',
    'hi3',
    'min',
    'max',
    'prediction',
  ];
}

/** Build the manifest of a plan. O(1). */
export function makeManifest(
  plan: SweepPlan,
  shard: ShardSpec | undefined,
  tasksInShard: number,
  instancesInShard: number,
  completedTasks: number,
  backend: BackendName | undefined,
): SweepManifest {
  return {
    format: 'mechlab-sweep',
    formatVersion: 1,
    packageVersion: packageVersion(),
    experiment: plan.spec.experiment,
    name: plan.spec.name,
    specHash: plan.specHash,
    spec: plan.spec,
    shard: shard ?? null,
    ...(backend === undefined ? {} : { backend }),
    points: plan.points.length,
    tasks: plan.tasks.length,
    tasksInShard,
    instancesInShard,
    columns: { rows: rowColumns(plan), aggregates: aggregateColumns(plan) },
    completedTasks,
    complete: completedTasks === tasksInShard,
  };
}

/** Write a file atomically (temp name + rename). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Write `manifest.json` (stable key order, trailing newline). */
export function writeManifest(out: string, m: SweepManifest): void {
  writeFileAtomic(path.join(out, FILES.manifest), JSON.stringify(m, null, 2) + '\n');
}

/**
 * Read an output directory's manifest.
 * @throws MechlabError ERR_INVALID_INPUT naming `field` when missing or not a sweep manifest.
 */
export function readManifest(dir: string, field = 'dir'): SweepManifest {
  const file = path.join(dir, FILES.manifest);
  let m: unknown;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field} must hold a sweep ${FILES.manifest}: ${(e as Error).message}`,
      field,
    );
  }
  if (typeof m !== 'object' || m === null || (m as { format?: unknown }).format !== 'mechlab-sweep') {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field}/${FILES.manifest} is not a mechlab sweep manifest`,
      field,
    );
  }
  return m as SweepManifest;
}

/** Quote a CSV field when needed (RFC 4180). */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of a parameter value. */
export function formatParam(v: ParamValue): string {
  return typeof v === 'number' ? formatNumber(v) : typeof v === 'boolean' ? String(v) : csvField(v);
}

/** Split one CSV line (RFC 4180 quoting, no embedded newlines). O(length). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Buffered sequential writer to a temp file, renamed into place by `close`. */
class CsvWriter {
  private fd: number;
  private buf = '';
  private readonly tmp: string;
  constructor(readonly file: string) {
    this.tmp = `${file}.tmp-${process.pid}`;
    this.fd = fs.openSync(this.tmp, 'w');
  }
  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.buf.length > 0) fs.writeSync(this.fd, this.buf);
    this.buf = '';
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
    fs.renameSync(this.tmp, this.file);
  }
}

/** Reads byte ranges from journal files, keeping one descriptor per file. */
class RangeReader {
  private fds = new Map<string, number>();
  read(e: JournalEntry): string {
    let fd = this.fds.get(e.file);
    if (fd === undefined) {
      fd = fs.openSync(e.file, 'r');
      this.fds.set(e.file, fd);
    }
    const buf = Buffer.allocUnsafe(e.end - e.start);
    let off = 0;
    while (off < buf.length) {
      const n = fs.readSync(fd, buf, off, buf.length - off, e.start + off);
      if (n === 0) break;
      off += n;
    }
    return buf.toString('latin1', 0, off);
  }
  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}

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
      const coordText = plan.axes.map((a) => formatParam(point.coords[a]!)).join(',');
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
      plan.metrics.forEach((md, k) => {
        const st = stats[k]!;
        const mean = st.mean;
        const std = st.std;
        const prediction = plan.experiment.predict ? plan.experiment.predict(point.params, md.metric) : NaN;
        aggregates.push({
          point: point.index,
          coords: point.coords,
          algo: md.algo,
          metric: md.metric,
          count: st.n,
          mean,
          std: st.n === 0 ? NaN : std,
          lo3: st.n === 0 ? NaN : mean - 3 * std,
          hi3: st.n === 0 ? NaN : mean + 3 * std,
          min: st.n === 0 ? NaN : st.min,
          max: st.n === 0 ? NaN : st.max,
          prediction,
        });
      });
    }
    rows.close();
  } finally {
    reader.close();
  }
  files.rows = rowsFile;

  const aggFile = path.join(out, FILES.aggregates);
  const agg = new CsvWriter(aggFile);
  agg.write(aggregateColumns(plan).join(',') + '\n');
  for (const a of aggregates) {
    const coordText = plan.axes.map((ax) => formatParam(a.coords[ax]!)).join(',');
    const nums = [a.count, a.mean, a.std, a.lo3, a.hi3, a.min, a.max, a.prediction]
      .map(formatNumber)
      .join(',');
    agg.write(
      `${a.point}${coordText === '' ? '' : ',' + coordText},${csvField(a.algo)},${csvField(a.metric)},${nums}\n`,
    );
  }
  agg.close();
  files.aggregates = aggFile;

  if (opts.duckdb !== false) {
    const db = path.join(out, FILES.duckdb);
    try {
      await writeDuckDb(plan, db, rowsFile, aggFile);
      files.duckdb = db;
    } catch (e) {
      fs.rmSync(`${db}.tmp-${process.pid}`, { force: true });
      fs.rmSync(`${db}.tmp-${process.pid}.wal`, { force: true });
      warnings.push(
        `results.duckdb not written (${(e as Error).message}); rows.csv and aggregates.csv are complete`,
      );
    }
  }

  const fig = figureData(aggregates, plan.spec, plan.experiment);
  const figJson = path.join(out, FILES.figureJson);
  writeFileAtomic(figJson, JSON.stringify(fig, null, 2) + '\n');
  files.figureJson = figJson;
  if (opts.render) {
    try {
      const pic = await opts.render(fig);
      const svg = path.join(out, FILES.figureSvg);
      writeFileAtomic(svg, pic.svg);
      files.figureSvg = svg;
      warnings.push(...(pic.warnings ?? []));
      if (pic.png) {
        const png = path.join(out, FILES.figurePng);
        writeFileAtomic(png, pic.png);
        files.figurePng = png;
      }
    } catch (e) {
      warnings.push(`figure not rendered (${(e as Error).message}); figure.json is complete`);
    }
  }
  return { files, aggregates, warnings };
}

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
 * Build `results.duckdb` with tables `rows` and `aggregates` loaded from the CSVs (explicit column
 * types; empty fields are NULL). DuckDB is loaded lazily so a missing or broken native binding costs
 * only this file, never the sweep. The database is built under a temporary name and renamed.
 */
async function writeDuckDb(plan: SweepPlan, db: string, rowsFile: string, aggFile: string): Promise<void> {
  const duck = loadNative('@duckdb/node-api') as typeof DuckDb;
  const tmp = `${db}.tmp-${process.pid}`;
  for (const f of [tmp, `${tmp}.wal`, db, `${db}.wal`]) fs.rmSync(f, { force: true });
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
    `'count': 'BIGINT'`,
    ...['mean', 'std', 'lo3', 'hi3', 'min', 'max', 'prediction'].map((c) => `'${c}': 'DOUBLE'`),
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
  fs.rmSync(`${tmp}.wal`, { force: true });
  fs.renameSync(tmp, db);
}

/**
 * Parse `aggregates.csv` of an output directory back into rows (e.g. to redraw a figure).
 * O(file size).
 */
export function readAggregates(dir: string): AggregateRow[] {
  const manifest = readManifest(dir);
  const axes = Object.keys(manifest.spec.grid);
  const text = fs.readFileSync(path.join(dir, FILES.aggregates), 'utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  const header = splitCsvLine(lines[0] ?? '');
  const col = (name: string): number => header.indexOf(name);
  const out: AggregateRow[] = [];
  for (const line of lines.slice(1)) {
    const f = splitCsvLine(line);
    const coords: Record<string, ParamValue> = {};
    for (const a of axes) {
      const raw = f[col(a)] ?? '';
      const vals = manifest.spec.grid[a]!;
      // Recover the typed value from the grid, so "1" stays the number 1 and "true" the boolean.
      coords[a] = vals.find((v) => formatParam(v) === raw || String(v) === raw) ?? raw;
    }
    const num = (name: string): number => parseNumber(f[col(name)] ?? '');
    out.push({
      point: num('point'),
      coords,
      algo: f[col('algo')] ?? '',
      metric: f[col('metric')] ?? '',
      count: num('count'),
      mean: num('mean'),
      std: num('std'),
      lo3: num('lo3'),
      hi3: num('hi3'),
      min: num('min'),
      max: num('max'),
      prediction: num('prediction'),
    });
  }
  return out;
}
