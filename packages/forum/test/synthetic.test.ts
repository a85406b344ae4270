import { MechlabError, Rng, median, spearman } from '@mechlab/core';
import type { MechlabErrorCode } from '@mechlab/core';
import { expectMechlabError } from '@mechlab/core/testing';
import { normalisedViews, questionText, syntheticCorpus, unigramProxy, WEEK_MS } from '@mechlab/forum';
import { alignCorpus } from '../src/corpus';
import { readPostsXml } from '../src/loader';
import { createStrategy } from '../src/strategies';

describe('syntheticCorpus', () => {
  const qs = syntheticCorpus(Rng.seed('synthetic-test'), { weeks: 6, perWeek: 600 });

  it('has the fields of parsed Posts.xml questions, time-sorted, ids increasing per community', () => {
    expect(qs.length).toBeGreaterThan(3000);
    const last = new Map<string, number>();
    for (let i = 0; i < qs.length; i++) {
      const q = qs[i]!;
      expect(Object.keys(q).sort()).toEqual([
        'body',
        'community',
        'creationDate',
        'id',
        'tags',
        'title',
        'viewCount',
      ]);
      expect(Number.isInteger(q.viewCount) && q.viewCount >= 0).toBe(true);
      expect(q.title.endsWith('?')).toBe(true);
      expect(q.tags.length).toBeGreaterThanOrEqual(1);
      if (i > 0) expect(q.creationDate).toBeGreaterThanOrEqual(qs[i - 1]!.creationDate);
      expect(q.id).toBe((last.get(q.community) ?? 0) + 1);
      last.set(q.community, q.id);
    }
    expect([...last.keys()].sort()).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect(qs[0]!.creationDate).toBeGreaterThanOrEqual(Date.UTC(2024, 6, 23));
    expect(qs[qs.length - 1]!.creationDate).toBeLessThan(Date.UTC(2024, 6, 23) + 6 * WEEK_MS);
  });

  it('is deterministic in the seed', () => {
    const a = syntheticCorpus(Rng.seed(5), { weeks: 2, perWeek: 50 });
    const b = syntheticCorpus(Rng.seed(5), { weeks: 2, perWeek: 50 });
    const c = syntheticCorpus(Rng.seed(6), { weeks: 2, perWeek: 50 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('has weekly volume and heavy-tailed views', () => {
    const al = alignCorpus(qs, { windowStart: Date.UTC(2024, 6, 23), rounds: 6 });
    expect(al.pools).toHaveLength(6);
    for (const p of al.pools) expect(p.length).toBeGreaterThan(400);
    const v = qs.map((q) => q.viewCount).sort((a, b) => a - b);
    const m = median(v);
    expect(v[v.length - 1]! / m).toBeGreaterThan(30);
    expect(v[Math.floor(v.length * 0.99)]! / m).toBeGreaterThan(8);
  });

  it('has a tunable negative rank correlation between text rarity (unigram surprisal) and views', async () => {
    const corr = async (rho: number, topicRho: number): Promise<number> => {
      const data = syntheticCorpus(Rng.seed('rho'), { weeks: 4, perWeek: 600, rho, topicRho });
      const train = data.filter((q) => q.creationDate < Date.UTC(2024, 6, 23) + 2 * WEEK_MS);
      const test = data.filter((q) => q.creationDate >= Date.UTC(2024, 6, 23) + 2 * WEEK_MS);
      const g = await unigramProxy(train.map(questionText)).score(test.map(questionText));
      return spearman(g, normalisedViews(test));
    };
    const neg = await corr(-0.3, -0.8);
    expect(neg).toBeLessThan(-0.05);
    expect(neg).toBeGreaterThan(-0.5);
    expect(await corr(-0.8, -0.95)).toBeLessThan(neg);
    expect(await corr(0.5, 0.8)).toBeGreaterThan(0.05);
  });

  it('validates its options', () => {
    expect(() => syntheticCorpus(Rng.seed(1), { rho: 1 })).toThrow(MechlabError);
    expect(() => syntheticCorpus(Rng.seed(1), { rho: 1 })).toThrow('rho must be < 1, got 1');
    expect(() => syntheticCorpus(Rng.seed(1), { weeks: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
    );
    expect(
      syntheticCorpus(Rng.seed(1), { communities: ['x', 'y'], weeks: 1, perWeek: 20 }).every((q) =>
        ['x', 'y'].includes(q.community),
      ),
    ).toBe(true);
  });
});

describe("forum options: one MechlabError naming the field (zod schemas, core's converter)", () => {
  const rng = Rng.seed(1);
  const qs = syntheticCorpus(Rng.seed(2), { weeks: 3, perWeek: 30 });
  const cases: [() => unknown, MechlabErrorCode, string, string | RegExp][] = [
    [
      () => syntheticCorpus(rng, { communities: 0 }),
      'ERR_OUT_OF_RANGE',
      'communities',
      'communities must be ≥ 1, got 0',
    ],
    [
      () => syntheticCorpus(rng, { communities: [] }),
      'ERR_OUT_OF_RANGE',
      'communities',
      /^communities must have ≥ 1 items/,
    ],
    [
      () => syntheticCorpus(rng, { perWeek: Infinity }),
      'ERR_OUT_OF_RANGE',
      'perWeek',
      'perWeek must be a finite number, got Infinity',
    ],
    [() => syntheticCorpus(rng, { rho: -1 }), 'ERR_OUT_OF_RANGE', 'rho', 'rho must be > -1, got -1'],
    [
      () => syntheticCorpus(rng, { topicRho: 1.5 }),
      'ERR_OUT_OF_RANGE',
      'topicRho',
      'topicRho must be ≤ 1, got 1.5',
    ],
    [
      () => syntheticCorpus(rng, { vocabulary: 149 }),
      'ERR_OUT_OF_RANGE',
      'vocabulary',
      'vocabulary must be ≥ 150, got 149',
    ],
    [
      () => syntheticCorpus(rng, { noiseShare: 2 }),
      'ERR_OUT_OF_RANGE',
      'noiseShare',
      'noiseShare must be ≤ 1, got 2',
    ],
    [
      () => syntheticCorpus(rng, { volumeNoise: 1 }),
      'ERR_OUT_OF_RANGE',
      'volumeNoise',
      'volumeNoise must be < 1, got 1',
    ],
    [() => syntheticCorpus(rng, { topicRarityShare: -0.1 }), 'ERR_OUT_OF_RANGE', 'topicRarityShare', /≥ 0/],
    [
      () => syntheticCorpus(rng, { topicEffect: -1 }),
      'ERR_OUT_OF_RANGE',
      'topicEffect',
      'topicEffect must be ≥ 0, got -1',
    ],
    [
      () => syntheticCorpus(rng, { viewsSigma: NaN }),
      'ERR_INVALID_TYPE',
      'viewsSigma',
      'viewsSigma must be a number, got NaN',
    ],
    [
      () => syntheticCorpus(rng, { topics: 2.5 }),
      'ERR_INVALID_TYPE',
      'topics',
      'topics must be an integer, got 2.5',
    ],
    [
      () => syntheticCorpus(rng, { bodyWords: [9, 3] }),
      'ERR_OUT_OF_RANGE',
      'bodyWords',
      'bodyWords must be integers 0 ≤ min ≤ max, got [9, 3]',
    ],
    [
      () => syntheticCorpus(rng, { start: 'soon' }),
      'ERR_OUT_OF_RANGE',
      'start',
      'start must be a date (ms since epoch or ISO string), got "soon"',
    ],
    [
      () => alignCorpus(qs, { windowStart: 'never' }),
      'ERR_OUT_OF_RANGE',
      'windowStart',
      /^windowStart must be a date/,
    ],
    [
      () => alignCorpus(qs, { trainWeeks: -1 }),
      'ERR_OUT_OF_RANGE',
      'trainWeeks',
      'trainWeeks must be ≥ 0, got -1',
    ],
    [() => alignCorpus(qs, { rounds: 0 }), 'ERR_OUT_OF_RANGE', 'rounds', 'rounds must be ≥ 1, got 0'],
    [() => unigramProxy([], { tokens: 0 }), 'ERR_OUT_OF_RANGE', 'tokens', 'tokens must be ≥ 1, got 0'],
    [() => unigramProxy([], { bits: 27 }), 'ERR_OUT_OF_RANGE', 'bits', 'bits must be ≤ 26, got 27'],
    [() => unigramProxy([], { alpha: 0 }), 'ERR_OUT_OF_RANGE', 'alpha', 'alpha must be > 0, got 0'],
    [
      () => normalisedViews(qs, 'median' as 'max'),
      'ERR_INVALID_INPUT',
      'viewNormalisation',
      /^viewNormalisation must be one of "max", "mean"/,
    ],
    [
      () => createStrategy('Best' as 'Random', { dim: 4, rng }),
      'ERR_INVALID_INPUT',
      'strategies',
      /^strategies must be one of "G-Greedy", "G-Utility", "Random"/,
    ],
  ];
  it.each(cases.map((c) => [c[2], ...c] as const))('%s', (_name, fn, code, field, message) => {
    expectMechlabError(fn, { code, field, message });
  });

  it('readPostsXml rejects bad options before reading', async () => {
    await expect(readPostsXml('nowhere/Posts.xml', { from: 'later' }, () => {})).rejects.toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      field: 'from',
      message: 'from must be a date (ms since epoch or ISO string), got "later"',
    });
    await expect(readPostsXml('nowhere/Posts.xml', { maxBodyChars: -1 }, () => {})).rejects.toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      field: 'maxBodyChars',
    });
  });
});
