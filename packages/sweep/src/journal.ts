/**
 * The append-only task journal that makes sweeps resumable (MODELS.md §6: "re-running a finished task is
 * a no-op").
 *
 * Layout (`journal.csv`, ASCII):
 * ```
 * #mechlab-sweep-journal v1 <specHash> <metricCount>
 * <point>,<replicate>,<metric 1>,…,<metric m>      ← one line per instance
 * …
 * #done <taskId> <rowCount> <crc32>                 ← the task's commit marker
 * ```
 * `<crc32>` (8 hex digits) is the CRC-32 of the block's row lines, so a committed block damaged later (a
 * changed digit, a lost field) is detected: the scan reports it (line, task, what is wrong) and leaves
 * the task out, so `--resume` recomputes it instead of failing (issue 18). Markers without a checksum
 * (journals written before it) are accepted when every row has the right number of fields.
 * One task's rows and its marker are written by a single `write(2)` from the single writer (the main
 * thread), in completion order. A task counts as finished only when its marker line is complete and its
 * row count matches, so a process killed mid-write (SIGKILL, Ctrl-C, power loss) leaves at most one torn
 * block at the tail; opening with `resume` drops it (truncating to the last marker) and re-runs that
 * task. Nothing is lost and nothing is duplicated.
 *
 * Durability: the OS holds written bytes across a process crash, so only a machine crash can lose
 * acknowledged tasks; `fdatasync` runs at most every `SYNC_INTERVAL_MS` and at close, bounding that loss
 * to about a second of work — which resume simply recomputes. (An fsync per task would cost more than
 * the small tasks themselves.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MechlabError } from '@mechlab/core';
import { crc32, openInside } from '@mechlab/io';
import { formatNumber } from './csv-format';

const MAGIC = '#mechlab-sweep-journal v1';
const DONE = '#done ';
/** Upper bound on the interval between `fdatasync` calls while tasks are being appended. */
export const SYNC_INTERVAL_MS = 1000;
const CHUNK = 1 << 20;

/** Where a committed task's rows lie in a journal file. */
export interface JournalEntry {
  readonly file: string;
  /** Byte range `[start, end)` of the task's row lines (without the marker). */
  readonly start: number;
  readonly end: number;
  readonly rows: number;
}

/** A committed block the scan rejected. */
export interface CorruptBlock {
  /** 1-based line number of the block's marker (or of the bad row). */
  readonly line: number;
  /** The task the marker names, if it could be read. */
  readonly task: string | undefined;
  /** What is wrong, for the report. */
  readonly why: string;
}

/** Result of scanning a journal. */
export interface JournalScan {
  readonly specHash: string;
  readonly metricCount: number;
  /** Committed tasks by id; the first commit wins if an id repeats (its rows are identical anyway). */
  readonly tasks: Map<string, JournalEntry>;
  /** Byte offset just after the last complete marker: everything after it is a torn tail. */
  readonly validEnd: number;
  /** Bytes after `validEnd` (a torn block from an interrupted write). */
  readonly tornBytes: number;
  /** Committed blocks that failed their checksum or shape check (their tasks are not in `tasks`). */
  readonly corrupt: readonly CorruptBlock[];
}

/**
 * Call `onLine(text, start, end)` for every newline-terminated line of `file` starting at byte `from`;
 * returns the offset just past the last terminated line. Streams in 1 MiB chunks, so memory is
 * O(longest line) whatever the file size. O(bytes).
 */
export function forEachLine(
  file: string,
  onLine: (line: string, start: number, end: number) => void,
  from = 0,
): number {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    let carryStart = from;
    let pos = from;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      pos += n;
      const data = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      let s = 0;
      for (let nl = data.indexOf(10, s); nl !== -1; nl = data.indexOf(10, s)) {
        onLine(data.toString('latin1', s, nl), carryStart + s, carryStart + nl + 1);
        s = nl + 1;
      }
      carry = Buffer.from(data.subarray(s));
      carryStart += s;
    }
    return carryStart;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Read a journal: header, committed tasks and where the torn tail (if any) begins. O(bytes) time,
 * O(tasks) memory.
 * @throws MechlabError ERR_INVALID_INPUT when the file is not a sweep journal.
 */
export function scanJournal(file: string): JournalScan {
  let specHash = '';
  let metricCount = -1;
  const tasks = new Map<string, JournalEntry>();
  let validEnd = 0;
  let blockStart = -1;
  let blockRows = 0;
  let blockCrc = 0;
  let badRow: { line: number; fields: number } | undefined;
  let lineNo = 0;
  const corrupt: CorruptBlock[] = [];
  let first = true;
  forEachLine(file, (line, start, end) => {
    lineNo++;
    if (first) {
      first = false;
      const m = /^#mechlab-sweep-journal v1 ([0-9a-f]+) (\d+)$/.exec(line);
      if (!m)
        throw new MechlabError('ERR_INVALID_INPUT', `${file} is not a mechlab sweep journal`, 'journal');
      specHash = m[1]!;
      metricCount = Number(m[2]);
      validEnd = end;
      blockStart = end;
      return;
    }
    if (line.startsWith(DONE)) {
      const [id, rows, crc, ...extra] = line.slice(DONE.length).split(' ');
      const computed = crc32Hex(blockCrc);
      const why =
        !id || rows === undefined || extra.length > 0 || !/^\d+$/.test(rows)
          ? `malformed commit marker ${JSON.stringify(line.slice(0, 80))}`
          : Number(rows) !== blockRows
            ? `the marker counts ${rows} rows, the block has ${blockRows}`
            : crc !== undefined && crc !== computed
              ? `checksum mismatch (marker ${crc}, rows ${computed}): a committed row was changed`
              : crc === undefined && badRow !== undefined
                ? `line ${badRow.line} has ${badRow.fields} fields, expected ${metricCount + 2}`
                : undefined;
      if (why !== undefined) corrupt.push({ line: lineNo, task: id || undefined, why });
      else if (!tasks.has(id!)) tasks.set(id!, { file, start: blockStart, end: start, rows: blockRows });
      validEnd = end;
      blockStart = end;
      blockRows = 0;
      blockCrc = 0;
      badRow = undefined;
    } else {
      blockRows++;
      blockCrc = crc32('\n', crc32(line, blockCrc));
      if (badRow === undefined) {
        let fields = 1;
        for (let i = line.indexOf(','); i !== -1; i = line.indexOf(',', i + 1)) fields++;
        if (fields !== metricCount + 2) badRow = { line: lineNo, fields };
      }
    }
  });
  if (first)
    throw new MechlabError('ERR_INVALID_INPUT', `${file} is empty, not a mechlab sweep journal`, 'journal');
  const size = fs.statSync(file).size;
  return { specHash, metricCount, tasks, validEnd, tornBytes: size - validEnd, corrupt };
}

/**
 * Does `file` start with a complete journal header line? False for a file cut short while it was being
 * created (then there is nothing to resume and the sweep starts afresh). O(1).
 */
export function hasJournalHeader(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(256);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).indexOf(10) !== -1;
  } finally {
    fs.closeSync(fd);
  }
}

/** Append-only writer. Single-threaded by design: only the main thread ever holds one. */
export class JournalWriter {
  private fd: number;
  private lastSync = Date.now();
  private dirty = false;

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Start a fresh journal (truncating any old file; a symlink in its place is refused by the OS). */
  static create(file: string, specHash: string, metricCount: number): JournalWriter {
    const c = fs.constants;
    const fd = openNoFollow(file, c.O_WRONLY | c.O_CREAT | c.O_TRUNC);
    fs.writeSync(fd, `${MAGIC} ${specHash} ${metricCount}\n`);
    fs.fdatasyncSync(fd);
    return new JournalWriter(file, fd);
  }

  /** Continue an existing journal after cutting off its torn tail at `validEnd`. */
  static resume(file: string, validEnd: number): JournalWriter {
    const c = fs.constants;
    const fd = openNoFollow(file, c.O_WRONLY | c.O_APPEND);
    fs.ftruncateSync(fd, validEnd);
    return new JournalWriter(file, fd);
  }

  /**
   * Append one task: its row lines (each ending in `\n`) and its commit marker, in one write. O(bytes).
   */
  commit(taskId: string, rowsText: string, rows: number): void {
    fs.writeSync(this.fd, `${rowsText}${DONE}${taskId} ${rows} ${crc32Hex(crc32(rowsText))}\n`);
    this.dirty = true;
    const now = Date.now();
    if (now - this.lastSync >= SYNC_INTERVAL_MS) this.sync(now);
  }

  /** Flush to stable storage now. */
  sync(now = Date.now()): void {
    if (this.dirty) fs.fdatasyncSync(this.fd);
    this.dirty = false;
    this.lastSync = now;
  }

  close(): void {
    if (this.fd < 0) return;
    this.sync();
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}

function crc32Hex(c: number): string {
  return c.toString(16).padStart(8, '0');
}

/**
 * open(2) through @mechlab/io's `openInside` (O_NOFOLLOW, every component `lstat`ed): a journal.csv
 * planted as a symlink is refused naming `out`, never followed.
 */
function openNoFollow(file: string, flags: number): number {
  return openInside(path.dirname(file), path.basename(file), flags, { flag: 'out' });
}

/**
 * The journal text for one task's output: `point,replicate,values…` per instance. O(rows × metrics).
 */
export function formatTaskRows(point: number, r0: number, values: Float64Array, metricCount: number): string {
  const count = metricCount === 0 ? 0 : values.length / metricCount;
  let text = '';
  for (let i = 0; i < count; i++) {
    let line = `${point},${r0 + i}`;
    const base = i * metricCount;
    for (let m = 0; m < metricCount; m++) line += ',' + formatNumber(values[base + m]!);
    text += line + '\n';
  }
  return text;
}
