/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@mechlab/core';
import {
  CALIBRATION_TARGETS,
  PAPER,
  calibrationStats,
  ensureForumLm,
  lmProvider,
  questionText,
  runForum,
  syntheticCorpus,
  weeklyVolumes,
  type ForumLmManifest,
} from '@mechlab/forum';
import { alignCorpus } from '../src/corpus';
import { type CalibrationStats } from '../src/calibration';

jest.setTimeout(120_000); // the machine is shared; typical times are in the test names

// Targets and their seed lines: src/calibration.ts (CALIBRATION_TARGETS) and the README table.
describe('synthetic corpus calibrated to seed 000 (not to Table 1)', () => {
  let stats: CalibrationStats;
  let lmDir: string;
  let qs: ReturnType<typeof syntheticCorpus>;
  beforeAll(async () => {
    // Six default-scale weeks (2,400 questions) scored by the default U_G, the forum LM (~5 s).
    lmDir = await ensureForumLm();
    qs = syntheticCorpus(Rng.fromPath(['calibration', 0]), { weeks: 6, perWeek: 400 });
    const p = await lmProvider(lmDir); // scores cached (model hash, text hash) across runs
    try {
      stats = calibrationStats(qs, await p.score(qs.map(questionText)));
    } finally {
      await p.close();
    }
  });

  it('lists every target with its source and tolerance', () => {
    const ids = CALIBRATION_TARGETS.map((t) => t.id);
    expect(ids).toEqual(
      expect.arrayContaining(['communities', 'volume', 'spearman', 'spearman-sign', 'noise']),
    );
    for (const t of CALIBRATION_TARGETS) {
      expect(t.source).toMatch(/seed 000 l\. \d+|\[choice\]|seeds are silent/);
      expect(t.tolerance.length).toBeGreaterThan(0);
    }
  });

  it('communities: 5 (l. 76)', () => {
    expect(stats.communities).toBe(PAPER.communities);
  });

  it('volume: 396,408 questions over the 52 weeks from 2024-07-23, within 1% (l. 76); M ≪ |Q_t| (l. 53)', () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const v = weeklyVolumes(Rng.seed(seed), PAPER.rounds, PAPER.perWeek, 0.05);
      const total = v.reduce((a, b) => a + b, 0);
      expect(Math.abs(total - PAPER.questions) / PAPER.questions).toBeLessThan(0.01);
      expect(Math.min(...v) / PAPER.M).toBeGreaterThanOrEqual(50);
    }
    // The generator uses exactly these volumes: 3 weeks at 300 a week give 900 questions.
    const small = syntheticCorpus(Rng.seed(9), { weeks: 3, perWeek: 300 });
    expect(small).toHaveLength(900);
    const al = alignCorpus(small, { windowStart: Date.UTC(2024, 6, 23), trainWeeks: 0 });
    expect(al.pools.map((p) => p.length).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(900);
  });

  it('Spearman ρ(perplexity, views) ≈ −0.11 within a community (l. 99): median in [−0.16, −0.06]', () => {
    expect(stats.spearmanMedian).toBeGreaterThanOrEqual(-0.16);
    expect(stats.spearmanMedian).toBeLessThanOrEqual(-0.06);
    expect(stats.spearmanPooled).toBeLessThan(0);
  });

  it('… and negative in every community (l. 99: "consistently negative across domains")', () => {
    for (const v of Object.values(stats.spearmanByCommunity)) expect(v).toBeLessThan(0);
  });

  it('the first 64 tokens are a full window for ≥ 95% of questions (l. 78)', () => {
    expect(stats.fullWindowShare).toBeGreaterThanOrEqual(0.95);
  });

  it('noisy questions are rare (l. 107): 1% ± 0.3%, ≥ 90% of them in the top perplexity decile', () => {
    const big = syntheticCorpus(Rng.seed('noise'), { weeks: 2, perWeek: 10_000, bodyWords: [0, 0] });
    const share = big.filter((q) => /[0-9_]/.test(q.title)).length / big.length;
    expect(Math.abs(share - 0.01)).toBeLessThanOrEqual(0.003);
    expect(stats.noiseInTopDecile).toBeGreaterThanOrEqual(0.9);
    expect(
      syntheticCorpus(Rng.seed(1), { weeks: 1, perWeek: 500, noiseShare: 0 }).some((q) =>
        /[0-9_]/.test(q.title),
      ),
    ).toBe(false);
  });

  it('the LM was trained before the window (l. 78: models released before the data window)', () => {
    const m = JSON.parse(readFileSync(join(lmDir, 'manifest.json'), 'utf8')) as ForumLmManifest;
    expect(Date.parse(m.trainingTo)).toBeLessThan(Date.UTC(2024, 6, 23));
    expect(m.vocabulary).toBeLessThan(2000); // narrow logits: seconds, not minutes
  });

  it('views are heavy-tailed ([choice], no numbers in the seed)', () => {
    const v = qs.map((q) => q.viewCount).sort((a, b) => a - b);
    const med = v[v.length >> 1]!;
    expect(v[v.length - 1]! / med).toBeGreaterThan(30);
    expect(v[Math.floor(v.length * 0.99)]! / med).toBeGreaterThan(8);
  });

  it('paper scale resolves to the seed window: 52 rounds of ~7,602 questions from 2024-07-23', async () => {
    // Only the plan is checked here (a full paper-scale run takes minutes with an LM).
    const r = await runForum({
      scale: 'paper',
      utilityG: 'unigram',
      rounds: 1,
      trainWeeks: 1,
      nashMethod: 'heuristics',
      strategies: ['Random'],
    });
    expect(r.corpus.windowStart).toBe('2024-07-23T00:00:00.000Z');
    expect(Math.abs(r.corpus.poolSize.mean - PAPER.perWeek) / PAPER.perWeek).toBeLessThan(0.2);
  });
});
