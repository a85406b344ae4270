import { Rng } from '@mechlab/core';
import { normalisedViews, unigramProxy, WEEK_MS } from '@mechlab/forum';
import { alignCorpus } from '../src/corpus';
import { forumSelect } from '../src/strategies';
import { hashFeatures } from '../src/features';
import { tokenHashes, hashString } from '../src/tokens';
import { trainLogistic } from '../src/logistic';
import { type Question } from '../src/types';

const q = (over: Partial<Question>): Question => ({
  id: 1,
  community: 'a',
  creationDate: Date.UTC(2024, 6, 23, 12),
  viewCount: 1,
  title: 'How do I fix it?',
  body: '',
  tags: [],
  ...over,
});

describe('tokens, features, classifier, utilities', () => {
  it('tokenises words case-insensitively and hashes them like hashString', () => {
    const h = tokenHashes('Hello, WORLD! c++ día 42');
    expect(Array.from(h)).toEqual(['hello', 'world', 'c', 'día', '42'].map((w) => hashString(w)));
    expect(tokenHashes('a b c d', 2)).toHaveLength(2);
  });

  it('hashes features into sorted CSR rows without the view count', () => {
    const X = hashFeatures(
      [q({ viewCount: 1 }), q({ viewCount: 10 ** 6 }), q({ title: 'other words', tags: ['t'] })],
      { bits: 12 },
    );
    expect(X.rows).toBe(3);
    expect(X.dim).toBe(4096);
    const row = (r: number): [number[], number[]] => [
      Array.from(X.indices.subarray(X.indptr[r]!, X.indptr[r + 1]!)),
      Array.from(X.values.subarray(X.indptr[r]!, X.indptr[r + 1]!)),
    ];
    expect(row(0)).toEqual(row(1)); // views never enter the features
    expect(row(0)).not.toEqual(row(2));
    const [idx] = row(2);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
    expect(idx[0]).toBe(0); // bias
  });

  it('logistic regression learns a separable rule', () => {
    const rng = Rng.seed('lr');
    const qs: Question[] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const hot = rng.bernoulli(0.5);
      qs.push(q({ id: i, title: `${hot ? 'kernel panic' : 'garden soil'} question ${rng.int(50)}` }));
      y.push(hot ? 1 : 0);
    }
    const X = hashFeatures(qs, { bits: 14 });
    const m = trainLogistic(X, y, Rng.seed(1), { epochs: 5 });
    const p = m.predictAll(X);
    let correct = 0;
    for (let i = 0; i < 400; i++) if (p[i]! >= 0.5 === (y[i] === 1)) correct++;
    expect(correct).toBe(400);
  });

  it('the unigram proxy scores rare words higher and empty text as 1', async () => {
    const g = unigramProxy(['the cat sat on the mat', 'the dog sat on the log'], { bits: 12 });
    expect(g.kind).toBe('proxy');
    const s = await g.score(['the cat sat', 'zebra quagga okapi', '']);
    expect(s[1]!).toBeGreaterThan(s[0]!);
    expect(s[2]).toBe(1);
    // Only the first `tokens` words count.
    const g2 = unigramProxy(['the the the'], { tokens: 2, bits: 12 });
    const [a, b] = await g2.score(['the the zebra', 'the the']);
    expect(a).toBe(b);
  });

  it('normalises views within each community by max or mean', () => {
    const qs = [
      q({ community: 'a', viewCount: 5 }),
      q({ community: 'a', viewCount: 10 }),
      q({ community: 'b', viewCount: 0 }),
    ];
    expect(Array.from(normalisedViews(qs, 'max'))).toEqual([0.5, 1, 0]);
    expect(Array.from(normalisedViews(qs, 'mean'))).toEqual([5 / 7.5, 10 / 7.5, 0]);
  });

  it('F publishes Top_K of the proposals passing θ, ranked by C', () => {
    const C = Float64Array.from([0.9, 0.2, 0.7, 0.7, 0.95]);
    expect(Array.from(forumSelect(C, Int32Array.from([1, 3, 2, 0]), 0.5, 2))).toEqual([0, 2]);
    expect(Array.from(forumSelect(C, Int32Array.from([1]), 0.5, 2))).toEqual([]);
  });

  it('aligns communities in time and cuts weekly pools', () => {
    const t0 = Date.UTC(2024, 0, 1);
    const qs = [
      q({ community: 'a', creationDate: t0 }),
      q({ community: 'b', creationDate: t0 + 2 * 86400e3 }), // b starts later: a's first question is dropped
      q({ community: 'a', creationDate: t0 + WEEK_MS + 3 * 86400e3 }),
      q({ community: 'b', creationDate: t0 + 2 * WEEK_MS + 3 * 86400e3 }),
      q({ community: 'a', creationDate: t0 + 3 * WEEK_MS }),
      q({ community: 'b', creationDate: t0 + 4 * WEEK_MS }), // after a's last question: dropped
    ];
    const al = alignCorpus(qs, { trainWeeks: 1 });
    expect(al.dropped).toBe(2);
    expect(al.train).toHaveLength(1);
    // Window starts a week after the aligned start (t0 + 9 d); the last aligned question is at t0 + 21 d.
    expect(al.pools.map((p) => p.length)).toEqual([1, 2]);
    expect(al.communities).toEqual(['a', 'b']);
    expect(() => alignCorpus([])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
  });
});
