/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MechlabError, Rng } from '@mechlab/core';
import {
  formatEurrTable,
  runForum,
  syntheticCorpus,
  WEEK_MS,
  type ForumResult,
  type UtilityGProvider,
} from '@mechlab/forum';
import { gUtility, type StrategyFactory } from '../src/strategies';
import { hashFeatures } from '../src/features';
import { type Question } from '../src/types';

const FIX = join(__dirname, 'fixtures');
jest.setTimeout(60_000); // the machine is shared; typical times are in the test names

function expectEurrInUnitInterval(r: ForumResult): void {
  for (const row of r.table) {
    for (const v of [row.eurrF, row.eurrG]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  }
}

describe('runForum on the synthetic default', () => {
  let r: ForumResult;
  let ms = 0;
  beforeAll(async () => {
    // The paper's M, K and the default U_G (the forum LM through @mechlab/perplexity), on 8 of the
    // default 26 rounds to keep the suite fast (scores come from the cache after the first run).
    const t = performance.now();
    r = await runForum({ rounds: 8 });
    ms = performance.now() - t;
  });

  it('finishes in a few seconds with the paper defaults and a certified benchmark', () => {
    expect(ms).toBeLessThan(60_000); // ~4–6 s on a shared 2-core machine; a loose guard only
    expect(r.params).toMatchObject({ M: 100, K: 50, theta: 0.6, seed: 0, viewNormalisation: 'max' });
    expect(r.corpus).toMatchObject({
      source: 'synthetic',
      rounds: 8,
      windowStart: '2024-07-23T00:00:00.000Z',
    });
    expect(r.corpus.communities).toHaveLength(5);
    expect(r.benchmark.method).toBe('certified');
    expect(r.benchmark.nash.maxGap).toBeLessThanOrEqual(0.01);
    expect(r.benchmark.nash.uncertifiedRounds).toBe(0);
    expect(r.benchmark.nash.upperBound).toBeGreaterThanOrEqual(r.benchmark.nash.product);
    expect(r.skipped).toBe(0);
  });

  it('EURRs lie in [0, 1]: the benchmark holds the exact top-K of each utility', () => {
    expectEurrInUnitInterval(r);
    expect(r.benchmark.argmaxG).toBe('top-uG');
    expect(r.benchmark.argmaxF).toBe('top-uF');
    for (const m of r.benchmark.methods) {
      expect(m.uG).toBeLessThanOrEqual(r.benchmark.uGTilde);
      expect(m.uF).toBeLessThanOrEqual(r.benchmark.uFTilde);
    }
  });

  it('G-Utility beats G-Greedy and Random on both EURRs, as in the paper (Table 1)', () => {
    const by = Object.fromEntries(r.table.map((x) => [x.strategy, x]));
    const U = by['G-Utility']!,
      G = by['G-Greedy']!,
      R = by['Random']!;
    expect(U.eurrF).toBeGreaterThan(G.eurrF);
    expect(U.eurrF).toBeGreaterThan(R.eurrF);
    expect(U.eurrG).toBeGreaterThan(G.eurrG);
    expect(U.eurrG).toBeGreaterThan(R.eurrG);
    for (const x of r.table) expect(x.published).toBeLessThanOrEqual(50 * r.corpus.rounds);
  });

  it("gives Figure 1's data: LM perplexity vs normalised views with a negative Spearman ρ", () => {
    expect(r.utilityG).toEqual({ kind: 'perplexity', name: 'forum-lm' });
    expect(r.scatter.points).toHaveLength(2000);
    expect(r.scatter.n).toBe(r.corpus.window);
    expect(r.scatter.spearman).toBeLessThan(0);
    const views = r.scatter.points.map((p) => p.views);
    const ppl = r.scatter.points.map((p) => p.perplexity);
    expect(Math.min(...views)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...views)).toBeLessThanOrEqual(1);
    expect(Math.min(...ppl)).toBeGreaterThanOrEqual(1);
    expect(Object.keys(r.scatter.byCommunity)).toEqual(r.corpus.communities);
  });

  it("prints Table 1's form", () => {
    const t = formatEurrTable(r);
    const lines = t.split('\n');
    expect(lines[0]).toMatch(/^LLM\s+Strategy\s+EURR_F\s+EURR_G$/);
    expect(lines.slice(1, 4).map((l) => l.split(/\s+/)[1])).toEqual(['G-Greedy', 'G-Utility', 'Random']);
    expect(lines[1]).toMatch(/^forum-lm\s+G-Greedy\s+0\.\d{3}\s+0\.\d{3}$/);
    expect(t).toContain('scored by @mechlab/perplexity');
    expect(t).toContain('certified');
  });

  it('is reproducible from its seed', async () => {
    const small = {
      seed: 3,
      rounds: 2,
      trainWeeks: 2,
      synthetic: { perWeek: 150 },
      nashMethod: 'heuristics' as const,
    };
    const a = await runForum(small);
    const b = await runForum(small);
    expect(a.table).toEqual(b.table);
    expect(a.scatter).toEqual(b.scatter);
  });

  it('reports each weekly round to onProgress (done before each round, then rounds/rounds), same table', async () => {
    const small = {
      seed: 3,
      rounds: 3,
      trainWeeks: 2,
      synthetic: { perWeek: 150 },
      nashMethod: 'heuristics' as const,
      utilityG: 'unigram' as const,
    };
    const calls: [number, number][] = [];
    const watched = await runForum({ ...small, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(watched.table).toEqual((await runForum(small)).table);
  });
});

describe('G-Utility never peeks at the future', () => {
  // Weeks 0–3 train F, rounds 1–6 follow. Corpus B equals A up to the end of round 3; afterwards its
  // questions are rewritten (new words, inverted views), so anything that looked ahead would act differently.
  const start = Date.UTC(2024, 0, 1);
  const windowStart = start + 4 * WEEK_MS;
  const cut = windowStart + 3 * WEEK_MS;
  const A = syntheticCorpus(Rng.seed('peek'), { weeks: 10, perWeek: 150, start });
  const maxViews = Math.max(...A.map((q) => q.viewCount));
  const B: Question[] = A.map((q) =>
    q.creationDate < cut
      ? q
      : {
          ...q,
          title: `zyx ${q.title}`,
          body: `qqv wuk ${q.body}`,
          tags: ['rewritten'],
          viewCount: maxViews - q.viewCount,
        },
  );
  const base = {
    windowStart,
    M: 30,
    K: 15,
    nashMethod: 'heuristics' as const,
    trace: true,
    seed: 1,
    utilityG: 'unigram' as const,
  };

  /** A cheating G-Utility that pre-trains π̂ on the window's future (views above the median ⇒ accepted). */
  const peeking = (corpus: Question[]): StrategyFactory => ({
    name: 'G-Peek',
    create({ dim, rng }) {
      const s = gUtility(dim, rng);
      const future = corpus.filter((q) => q.creationDate >= windowStart);
      const views = future.map((q) => q.viewCount).sort((a, b) => a - b);
      const med = views[views.length >> 1]!;
      s.model.fit(
        hashFeatures(future),
        Uint8Array.from(future, (q) => (q.viewCount > med ? 1 : 0)),
        Rng.seed(9),
        2,
      );
      return { name: 'G-Peek', propose: s.propose.bind(s), observe: s.observe!.bind(s) };
    },
  });

  it('proposes and publishes identically until the corpora diverge, although peeking would differ', async () => {
    const a = await runForum({
      ...base,
      data: { questions: A },
      strategies: ['G-Utility', 'G-Greedy', peeking(A)],
    });
    const b = await runForum({
      ...base,
      data: { questions: B },
      strategies: ['G-Utility', 'G-Greedy', peeking(B)],
    });
    const [ua, ga, pa] = a.trace!;
    const [ub, , pb] = b.trace!;
    expect(ua!.rounds).toHaveLength(6);
    for (let t = 0; t < 3; t++) expect(ub!.rounds[t]).toEqual(ua!.rounds[t]);
    for (let t = 3; t < 6; t++) expect(ub!.rounds[t]!.proposed).not.toEqual(ua!.rounds[t]!.proposed);
    // The same rule fed the future does change the early rounds: the corpus is one where peeking matters.
    expect(pb!.rounds[0]!.proposed).not.toEqual(pa!.rounds[0]!.proposed);
    // G-Utility learns only from feedback: round 1 (π̂ ≡ ½) equals G-Greedy, later rounds do not.
    expect(ua!.rounds[0]!.proposed).toEqual(ga!.rounds[0]!.proposed);
    expect(ua!.rounds.slice(1).some((r, t) => r.proposed.join() !== ga!.rounds[t + 1]!.proposed.join())).toBe(
      true,
    );
  });
});

describe('runForum on real-format Stack Exchange data', () => {
  it('loads the fixture communities, reports skipped rows and plays the game', async () => {
    const r = await runForum({
      data: [join(FIX, 'gardening', 'Posts.xml'), join(FIX, 'woodworking')],
      M: 6,
      K: 3,
      theta: 0.3,
    });
    expect(r.corpus.source).toBe('stack-exchange');
    expect(r.corpus.communities).toEqual(['gardening', 'woodworking']);
    expect(r.skipped).toBe(10);
    expect(r.loadStats!.map((s) => s.skipped)).toEqual([4, 6]);
    expect(r.corpus.rounds).toBeGreaterThanOrEqual(3);
    expectEurrInUnitInterval(r);
    expect(formatEurrTable(r)).toContain('10 malformed rows skipped');
    // Real data without --model: U_G from @mechlab/perplexity's GPT-2-vocabulary tiny LM.
    expect(r.utilityG).toEqual({ kind: 'perplexity', name: 'tiny-lm' });
  });

  it('keeps the unigram proxy as an option and says it is not an LLM', async () => {
    const r = await runForum({
      rounds: 2,
      trainWeeks: 2,
      synthetic: { perWeek: 150 },
      nashMethod: 'heuristics',
      utilityG: 'unigram',
    });
    expect(r.utilityG).toEqual({ kind: 'proxy', name: 'unigram-proxy' });
    const t = formatEurrTable(r);
    expect(t).toContain('built-in proxy');
    expect(t).toContain('not an LLM');
    await expect(runForum({ utilityG: 'gpt' as 'unigram' })).rejects.toMatchObject({ field: 'utilityG' });
  });
});

describe('runForum with a plugged-in U_G provider and bad options', () => {
  const fakeLlm: UtilityGProvider = {
    name: 'fake-llm',
    kind: 'perplexity',
    score: (texts) => Promise.resolve(Float64Array.from(texts, (t) => 1 + (t.length % 17))),
  };
  const small = { rounds: 2, synthetic: { perWeek: 150 }, trainWeeks: 2, nashMethod: 'heuristics' as const };

  it('uses the provider and says so', async () => {
    const r = await runForum({ ...small, provider: fakeLlm });
    expect(r.utilityG).toEqual({ kind: 'perplexity', name: 'fake-llm' });
    expect(r.table.every((x) => x.llm === 'fake-llm')).toBe(true);
    expect(formatEurrTable(r)).toContain('perplexity from "fake-llm"');
    expect(r.scatter.yLabel).toContain('fake-llm');
  });

  it('rejects with MechlabErrors naming the field', async () => {
    await expect(runForum({ M: 0 })).rejects.toThrow(MechlabError);
    await expect(runForum({ M: 0 })).rejects.toThrow('M must be an integer ≥ 1, got 0');
    await expect(runForum({ theta: 2 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', field: 'theta' });
    const short: UtilityGProvider = { ...fakeLlm, score: () => Promise.resolve(new Float64Array(1)) };
    await expect(runForum({ ...small, provider: short })).rejects.toMatchObject({ field: 'provider' });
    const nan: UtilityGProvider = {
      ...fakeLlm,
      score: (t) => Promise.resolve(new Float64Array(t.length).fill(NaN)),
    };
    await expect(runForum({ ...small, provider: nan })).rejects.toThrow(
      /^provider\.score\(\.\.\.\)\[0\] must be finite/,
    );
    const cheat: StrategyFactory = {
      name: 'Twice',
      create: () => ({ name: 'Twice', propose: () => Int32Array.from([0, 0]) }),
    };
    await expect(runForum({ ...small, strategies: [cheat] })).rejects.toThrow(/proposes question 0 twice/);
  });

  it('reads windowStart through the one date schema (same message as alignCorpus)', async () => {
    await expect(runForum({ ...small, windowStart: 'never' })).rejects.toMatchObject({
      field: 'windowStart',
      message: 'windowStart must be a date (ms since epoch or ISO string), got "never"',
    });
  });
});

describe('runForum on a dump with no valid question', () => {
  it('names each file, its rows and the first malformed row (issue 18, found by the CLI fuzz test)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forum-empty-'));
    try {
      const f = join(dir, 'Posts.xml');
      writeFileSync(
        f,
        '<posts>\n  <row Id="1" PostTypeId="1" CreationDate="2024-02-30T00:00:00" ViewCount="3" Title="t" Body="b" />\n' +
          '  <row Id="2" PostTypeId="2" CreationDate="2024-02-01T00:00:00" />\n</posts>\n',
      );
      await expect(runForum({ data: [f], utilityG: 'unigram', rounds: 1 })).rejects.toMatchObject({
        field: 'data',
        message: `data: no valid question in ${f}: 2 rows, 1 malformed (line 2: invalid CreationDate)`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
