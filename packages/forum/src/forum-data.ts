/**
 * Stage 1 of `runForum`: the corpus (seed 000 §3; MODELS.md §2). Synthetic data is generated from the
 * seed, `Posts.xml` dumps are loaded (the only file I/O of the game), an in-memory corpus is sorted; then
 * the questions are aligned into training weeks and the weekly pools of the window.
 */
import { MechlabError, type Rng } from '@mechlab/core';
import { alignCorpus, WEEK_MS, type AlignedCorpus } from './corpus';
import type { ResolvedForumOptions } from './forum-options';
import type { ForumResult } from './forum-types';
import { loadStackExchange } from './loader';
import { PAPER, syntheticCorpus } from './synthetic';
import type { LoadStats, Question } from './types';

/** The aligned corpus and where it came from. */
export interface ForumCorpus {
  readonly source: ForumResult['corpus']['source'];
  /** Questions read (before alignment). */
  readonly questions: number;
  readonly aligned: AlignedCorpus;
  /** The window's questions in round order; `offsets[t]` is where week t starts. */
  readonly window: readonly Question[];
  readonly offsets: Int32Array;
  readonly loadStats?: LoadStats[];
  readonly skipped: number;
}

/** The synthetic world's default window: the paper's, from 2024-07-23. */
const SYNTHETIC_WINDOW_START = Date.UTC(2024, 6, 23);

/**
 * Read, generate or sort the questions and align them (`alignCorpus`). O(corpus).
 * @throws MechlabError on `data` with no valid question, or no training weeks before the window.
 */
export async function prepareCorpus(opts: ResolvedForumOptions, root: Rng): Promise<ForumCorpus> {
  const data = opts.data ?? 'synthetic';
  let questions: readonly Question[];
  let loadStats: LoadStats[] | undefined;
  let skipped = 0;
  let { windowStart, trainWeeks, rounds } = opts;
  if (data === 'synthetic') {
    trainWeeks ??= 8;
    rounds ??= opts.scale === 'paper' ? PAPER.rounds : 26;
    windowStart ??= SYNTHETIC_WINDOW_START;
    questions = syntheticCorpus(root.split('corpus'), {
      perWeek: opts.scale === 'paper' ? PAPER.perWeek : 400,
      ...opts.synthetic,
      weeks: trainWeeks + rounds,
      start: windowStart - trainWeeks * WEEK_MS,
    });
  } else if (!Array.isArray(data)) {
    questions = [...(data as { questions: readonly Question[] }).questions].sort(
      (a, b) => a.creationDate - b.creationDate,
    );
  } else {
    const loaded = await loadStackExchange(data as readonly string[], opts.loader);
    if (loaded.questions.length === 0) {
      // Name the files and why their rows were dropped: "the corpus has no questions" alone leaves a
      // user with a malformed dump nothing to fix (issue 18, found by the CLI fuzz test).
      const why = loaded.stats
        .map((s) => {
          const first = s.examples[0];
          return `${s.file}: ${s.rows} rows, ${s.skipped} malformed${first ? ` (line ${first.line}: ${first.reason})` : ''}`;
        })
        .join('; ');
      throw new MechlabError('ERR_INVALID_INPUT', `data: no valid question in ${why}`, 'data');
    }
    questions = loaded.questions;
    loadStats = loaded.stats;
    skipped = loaded.skipped;
  }
  const aligned = alignCorpus(questions, { windowStart, trainWeeks, rounds });
  if (aligned.train.length === 0) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `data: no questions before the window start ${new Date(aligned.windowStart).toISOString()} to train the forum's classifier on`,
      'data',
    );
  }
  const { pools } = aligned;
  const offsets = new Int32Array(pools.length + 1);
  for (let t = 0; t < pools.length; t++) offsets[t + 1] = offsets[t]! + pools[t]!.length;
  const corpus: ForumCorpus = {
    source: data === 'synthetic' ? 'synthetic' : Array.isArray(data) ? 'stack-exchange' : 'in-memory',
    questions: questions.length,
    aligned,
    window: pools.flat(),
    offsets,
    skipped,
  };
  return loadStats === undefined ? corpus : { ...corpus, loadStats };
}
