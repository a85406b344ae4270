/**
 * Streaming loader for Stack Exchange data-dump `Posts.xml` files (MODELS.md §2 "Data"; seed 000 §3:
 * "questions from five Stack Exchange communities, merged into a single time-aligned corpus").
 *
 * The file is read with `node:fs` streams in chunks (`highWaterMark`, 1 MiB by default) and split into
 * lines; each line is parsed by `scanRows` and dropped. Memory is O(longest line + questions kept), never
 * O(file): only questions (`PostTypeId="1"`) are kept, with bodies stripped of HTML and cut to
 * `maxBodyChars` (the utilities read only the first 64 tokens). Malformed rows — bad XML, a bad entity, a
 * question without a valid `Id`/`CreationDate`/`ViewCount`/`Title`/`Body` — are counted by reason in
 * `LoadStats` and skipped; they never abort the load.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { MechlabError, parseWithSchema } from '@mechlab/core';
import { dateSchema } from './date-schema';
import type { LoadStats, Question } from './types';
import { decodeXmlEntities, htmlToText, scanRows, splitTags, type RawRow } from './xml';

/** Options of `readPostsXml` / `loadStackExchange`. */
export interface ReadPostsOptions {
  /** Community name for the file's questions (default: see `communityOf`). */
  community?: string;
  /** Keep at most this many characters of each plain-text body (default 2000). */
  maxBodyChars?: number;
  /** Keep only questions created at or after this time (ms since epoch, or ISO date string). */
  from?: number | string;
  /** Keep only questions created before this time (ms since epoch, or ISO date string). */
  to?: number | string;
  /** Stream chunk size in bytes (default 1 MiB). */
  highWaterMark?: number;
  /** A line longer than this many characters is one malformed row (default 32 Mi). */
  maxLineChars?: number;
  /** How many skipped rows to keep as examples in the report (default 10). */
  maxExamples?: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,7})?Z?$/;
const UINT_RE = /^[0-9]{1,15}$/;

/** Parse a dump timestamp (`2024-07-23T10:11:12.345`, UTC) to ms since epoch; NaN when invalid. */
export function parseDumpDate(s: string): number {
  const m = DATE_RE.exec(s);
  if (m === null) return NaN;
  const t = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${(m[7] ?? '').slice(0, 4)}Z`);
  // Date.parse rolls 2024-02-30 over to March; reject anything that does not round-trip.
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}` ? NaN : t;
}

/** The default community name of a dump path: the folder of `…/<community>/Posts.xml`, else the file's stem. */
export function communityOf(path: string): string {
  const b = basename(path);
  if (b.toLowerCase() === 'posts.xml') return basename(dirname(path)) || 'posts';
  return b.replace(/\.xml$/i, '');
}

/** An option date: a date-time without a zone is UTC (the dumps' convention); a bare date is too. */
const parseOptionDate = (v: string): number =>
  Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) || v.length <= 10 ? v : v + 'Z');

const readPostsOptionsSchema = z.object({
  community: z.string().optional(),
  maxBodyChars: z.number().min(0).optional(),
  from: dateSchema(parseOptionDate).optional(),
  to: dateSchema(parseOptionDate).optional(),
  highWaterMark: z.number().int().min(1).optional(),
  maxLineChars: z.number().int().min(1).optional(),
  maxExamples: z.number().int().min(0).optional(),
});

function emptyStats(file: string, community: string): LoadStats {
  return {
    file,
    community,
    lines: 0,
    rows: 0,
    questions: 0,
    nonQuestions: 0,
    outOfRange: 0,
    skipped: 0,
    skipReasons: {},
    examples: [],
  };
}

/**
 * Stream one `Posts.xml`, calling `onQuestion` for every valid question in file order. Resolves with
 * the file's `LoadStats`; rejects (MechlabError `ERR_INVALID_INPUT`, field `path`) only when the file
 * cannot be read. Time O(file size), memory O(longest line).
 * @example
 * const qs: Question[] = [];
 * const stats = await readPostsXml('askubuntu.com/Posts.xml', {}, (q) => qs.push(q));
 * stats.skipped // malformed rows, by reason in stats.skipReasons
 */
export async function readPostsXml(
  path: string,
  opts: ReadPostsOptions,
  onQuestion: (q: Question) => void,
): Promise<LoadStats> {
  const o = parseWithSchema(readPostsOptionsSchema, opts, '');
  const community = o.community ?? communityOf(path);
  const maxBody = o.maxBodyChars ?? 2000;
  const maxLine = o.maxLineChars ?? 32 * 1024 * 1024;
  const maxExamples = o.maxExamples ?? 10;
  const from = o.from ?? -Infinity;
  const to = o.to ?? Infinity;
  const stats = emptyStats(path, community);

  const skip = (line: number, reason: string): void => {
    stats.skipped++;
    stats.skipReasons[reason] = (stats.skipReasons[reason] ?? 0) + 1;
    if (stats.examples.length < maxExamples) stats.examples.push({ line, reason });
  };

  const handleRow = (row: RawRow, line: number): void => {
    stats.rows++;
    if (!row.ok) return skip(line, row.reason);
    const a = row.attrs;
    const type = a.get('PostTypeId');
    if (type === undefined) return skip(line, 'missing PostTypeId');
    if (type !== '1') {
      if (!UINT_RE.test(type)) return skip(line, 'invalid PostTypeId');
      stats.nonQuestions++;
      return;
    }
    const id = a.get('Id');
    if (id === undefined) return skip(line, 'missing Id');
    if (!UINT_RE.test(id)) return skip(line, 'invalid Id');
    const date = a.get('CreationDate');
    if (date === undefined) return skip(line, 'missing CreationDate');
    const time = parseDumpDate(date);
    if (Number.isNaN(time)) return skip(line, 'invalid CreationDate');
    const views = a.get('ViewCount');
    if (views === undefined) return skip(line, 'missing ViewCount');
    if (!UINT_RE.test(views)) return skip(line, 'invalid ViewCount');
    const rawTitle = a.get('Title');
    if (rawTitle === undefined) return skip(line, 'missing Title');
    const rawBody = a.get('Body');
    if (rawBody === undefined) return skip(line, 'missing Body');
    const title = decodeXmlEntities(rawTitle);
    const body = decodeXmlEntities(rawBody);
    const tags = decodeXmlEntities(a.get('Tags') ?? '');
    if (title === null || body === null || tags === null) return skip(line, 'bad-xml: invalid entity');
    if (time < from || time >= to) {
      stats.outOfRange++;
      return;
    }
    stats.questions++;
    onQuestion({
      id: Number(id),
      community,
      creationDate: time,
      viewCount: Number(views),
      title: title.replace(/\s+/g, ' ').trim(),
      body: htmlToText(body, maxBody),
      tags: splitTags(tags),
    });
  };

  const handleLine = (text: string): void => {
    stats.lines++;
    const line = stats.lines;
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (t.length === 0) return;
    for (const row of scanRows(t)) handleRow(row, line);
  };

  let stream: ReturnType<typeof createReadStream>;
  try {
    stream = createReadStream(path, { encoding: 'utf8', highWaterMark: opts.highWaterMark ?? 1 << 20 });
    let pending = '';
    let discarding = false; // inside an over-long line: drop text until its newline
    for await (const chunk of stream as AsyncIterable<string>) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf('\n', start);
        if (nl < 0) break;
        if (discarding) {
          discarding = false;
          stats.lines++;
        } else handleLine(pending + chunk.slice(start, nl));
        pending = '';
        start = nl + 1;
      }
      if (!discarding) {
        pending += chunk.slice(start);
        if (pending.length > maxLine) {
          pending = '';
          discarding = true;
          stats.rows++;
          skip(stats.lines + 1, 'line too long');
        }
      }
    }
    if (!discarding && pending.length > 0) handleLine(pending);
    else if (discarding) stats.lines++;
  } catch (e) {
    if (e instanceof MechlabError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new MechlabError('ERR_INVALID_INPUT', `path: cannot read ${JSON.stringify(path)}: ${msg}`, 'path');
  }
  return stats;
}

/** Result of `loadStackExchange`. */
export interface LoadedCorpus {
  /** Questions of all files, sorted by `creationDate` (ties: community, then id). */
  questions: Question[];
  /** One report per file, in input order. */
  stats: LoadStats[];
  /** Total malformed rows skipped over all files. */
  skipped: number;
}

/**
 * Load several communities (one `Posts.xml` per community, or a folder holding one) and merge them into
 * one time-ordered corpus. Time O(total file size + q log q) for q questions; files are read one after
 * the other, each streamed.
 * @throws MechlabError (as a rejection) `ERR_INVALID_INPUT` naming `data[i]` for an unreadable path, a
 * community given twice, or an empty list.
 */
export async function loadStackExchange(
  paths: readonly string[],
  opts: ReadPostsOptions = {},
): Promise<LoadedCorpus> {
  if (paths.length === 0)
    throw new MechlabError('ERR_INVALID_INPUT', 'data must name at least one Posts.xml', 'data');
  const questions: Question[] = [];
  const stats: LoadStats[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < paths.length; i++) {
    let p = paths[i]!;
    try {
      if ((await stat(p)).isDirectory()) p = join(p, 'Posts.xml');
    } catch {
      // readPostsXml reports the unreadable path below
    }
    const community = opts.community ?? communityOf(p);
    const prev = seen.get(community);
    if (prev !== undefined) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `data[${i}]: community ${JSON.stringify(community)} is also data[${prev}]`,
        `data[${i}]`,
      );
    }
    seen.set(community, i);
    try {
      stats.push(await readPostsXml(p, { ...opts, community }, (q) => questions.push(q)));
    } catch (e) {
      if (e instanceof MechlabError && e.field === 'path') {
        throw new MechlabError(e.code, `data[${i}]` + e.message.slice('path'.length), `data[${i}]`);
      }
      throw e;
    }
  }
  questions.sort(
    (a, b) =>
      a.creationDate - b.creationDate ||
      (a.community < b.community ? -1 : a.community > b.community ? 1 : 0) ||
      a.id - b.id,
  );
  let skipped = 0;
  for (const s of stats) skipped += s.skipped;
  return { questions, stats, skipped };
}
