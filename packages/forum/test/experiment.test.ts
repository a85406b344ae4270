/**
 * `forum.game` is `runForum` on one seeded synthetic world: its row equals Table 1's EURR columns and
 * Figure 1's Spearman ρ of a direct `runForum` call with the seed the instance draws first.
 */
import { Rng } from '@mechlab/core';
import { forumGame, forumPresets, runForum } from '../src';

jest.setTimeout(60_000);

describe('forum.game', () => {
  it('equals a direct runForum call with the instance seed, and is deterministic', async () => {
    const p = forumGame.paramsSchema.parse({ theta: 0.4, rounds: 3, perWeek: 80 }) as Parameters<
      typeof forumGame.run
    >[1];
    const out = new Float64Array(forumGame.metrics(p).length);
    await forumGame.run(Rng.fromPath(['forum-test', 0]), p, out, 0);
    const seed = Math.floor(Rng.fromPath(['forum-test', 0]).next() * 2 ** 48);
    const r = await runForum({
      seed,
      theta: 0.4,
      M: 40,
      K: 20,
      rounds: 3,
      trainWeeks: 4,
      synthetic: { perWeek: 80, communities: 3 },
      featureBits: 12,
      nashMethod: 'heuristics',
      utilityG: 'unigram',
      scatterPoints: 0,
    });
    const names = ['G-Greedy', 'G-Utility', 'Random'];
    const row = (s: string) => r.table.find((t) => t.strategy === s)!;
    expect([...out]).toEqual([
      ...names.map((s) => row(s).eurrF),
      ...names.map((s) => row(s).eurrG),
      r.scatter.spearman,
    ]);
    for (const x of out.subarray(0, 6)) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
    const again = new Float64Array(out.length);
    await forumGame.run(Rng.fromPath(['forum-test', 0]), p, again, 0);
    expect([...again]).toEqual([...out]);
  });

  it('declares its grid parameters; its preset varies θ', () => {
    expect(forumPresets.map((x) => x.name)).toEqual(['forum-vary-theta']);
    expect(forumGame.paramsSchema.safeParse({ theta: 1.5 }).success).toBe(false);
    expect(forumGame.paramsSchema.safeParse({ M: 0 }).success).toBe(false);
    expect(forumGame.metrics(forumGame.paramsSchema.parse({}) as never).length).toBe(7);
  });
});
