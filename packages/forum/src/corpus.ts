/**
 * Time alignment of a merged multi-community corpus into the paper's weekly rounds (seed 000 §3: "merged
 * into a single time-aligned corpus … for each round t, Q_t = the questions posted during that week").
 */
import { z } from 'zod';
import { MechlabError, parseWithSchema } from '@mechlab/core';
import { dateSchema } from './date-schema';
import type { Question } from './types';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { ceil, floor, max, min, round } = Math;

/** One week in milliseconds. */
export const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Options of `alignCorpus`. */
export interface AlignOptions {
  /** First instant of round 1 (ms or ISO string). Default: aligned start + `trainWeeks` weeks. */
  windowStart?: number | string;
  /** Weeks before the window used for offline training when `windowStart` is not given (default: 20% of the aligned span, ≥ 1). */
  trainWeeks?: number;
  /** Keep at most this many rounds (default: every week up to the aligned end). */
  rounds?: number;
}

/** The corpus cut into training data and weekly pools. */
export interface AlignedCorpus {
  /** Questions of the aligned span before `windowStart` — the offline training data. */
  train: Question[];
  /** `pools[t]` = the questions posted in week t of the window, in time order. */
  pools: Question[][];
  /** Start of round 1 (ms since epoch). */
  windowStart: number;
  /** The span where every community has data: [latest first question, earliest last question]. */
  alignedFrom: number;
  alignedTo: number;
  /** Questions dropped because they fall outside the aligned span or after the last round. */
  dropped: number;
  /** Community names, sorted. */
  communities: string[];
}

const alignOptionsSchema = z.object({
  windowStart: dateSchema().optional(),
  trainWeeks: z.number().int().min(0).optional(),
  rounds: z.number().int().min(1).optional(),
});

/**
 * Cut a time-sorted corpus into training data and weekly pools. The aligned span runs from the latest
 * first question to the earliest last question over communities, so every round draws on every
 * community; questions outside it are dropped (counted). O(n).
 * @throws MechlabError `ERR_INVALID_INPUT` when the corpus is empty or no round remains.
 */
export function alignCorpus(questions: readonly Question[], opts: AlignOptions = {}): AlignedCorpus {
  const o = parseWithSchema(alignOptionsSchema, opts, '');
  if (questions.length === 0)
    throw new MechlabError('ERR_INVALID_INPUT', 'data: the corpus has no questions', 'data');
  const span = new Map<string, [number, number]>();
  for (const q of questions) {
    const s = span.get(q.community);
    if (s === undefined) span.set(q.community, [q.creationDate, q.creationDate]);
    else {
      if (q.creationDate < s[0]) s[0] = q.creationDate;
      if (q.creationDate > s[1]) s[1] = q.creationDate;
    }
  }
  let from = -Infinity,
    to = Infinity;
  for (const [a, b] of span.values()) {
    from = max(from, a);
    to = min(to, b);
  }
  let windowStart: number;
  if (o.windowStart !== undefined) {
    windowStart = o.windowStart;
  } else {
    const totalWeeks = max(1, ceil((to - from + 1) / WEEK_MS));
    const tw = o.trainWeeks ?? max(1, round(0.2 * totalWeeks));
    windowStart = from + tw * WEEK_MS;
  }
  let nRounds = ceil((to + 1 - windowStart) / WEEK_MS);
  if (o.rounds !== undefined) nRounds = min(nRounds, o.rounds);
  if (!(nRounds >= 1)) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `data: no week of data after the window start ${new Date(windowStart).toISOString()} ` +
        `(aligned span ${new Date(from).toISOString()} – ${new Date(to).toISOString()})`,
      'data',
    );
  }
  const end = windowStart + nRounds * WEEK_MS;
  const train: Question[] = [];
  const pools: Question[][] = Array.from({ length: nRounds }, () => []);
  let dropped = 0;
  for (const q of questions) {
    const t = q.creationDate;
    if (t < from || t > to || t >= end) dropped++;
    else if (t < windowStart) train.push(q);
    else pools[floor((t - windowStart) / WEEK_MS)]!.push(q);
  }
  return {
    train,
    pools,
    windowStart,
    alignedFrom: from,
    alignedTo: to,
    dropped,
    communities: [...span.keys()].sort(),
  };
}
