/**
 * `runForum` as stages: the round functions are pure, and the staged pipeline gives main's results byte
 * for byte (issue 19, Deliver 4).
 */
import { createHash } from 'node:crypto';
import { MechlabError, Rng } from '@mechlab/core';
import { runForum, syntheticCorpus, type ForumOptions } from '@mechlab/forum';
import { trainForumClassifier } from '../src/forum-classifier';
import { prepareCorpus } from '../src/forum-data';
import { parseForumOptions } from '../src/forum-options';
import { scoreUtilities } from '../src/forum-utilities';
import { measureRound, openRound, playRound, type GameSetup, type RoundInputs } from '../src/round';

jest.setTimeout(60_000); // the machine is shared

type Typed = Float64Array | Float32Array | Int32Array | Uint8Array;

/**
 * Freeze `v` and everything reachable from it. Typed arrays with elements cannot be frozen (TypeError),
 * so their contents are copied instead; `unchanged()` then says whether every one still holds its copy.
 */
function deepFreeze(v: unknown): { unchanged: () => boolean } {
  const typed: [Typed, Typed][] = [];
  const seen = new Set<unknown>();
  const walk = (x: unknown): void => {
    if (x === null || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (ArrayBuffer.isView(x)) {
      typed.push([x as Typed, (x as Typed).slice()]);
      return;
    }
    for (const k of Reflect.ownKeys(x)) walk((x as Record<PropertyKey, unknown>)[k]);
    if (x instanceof Map)
      for (const [k, e] of x) {
        walk(k);
        walk(e);
      }
    Object.freeze(x);
  };
  walk(v);
  return {
    unchanged: () => typed.every(([a, copy]) => a.length === copy.length && a.every((e, i) => e === copy[i])),
  };
}

/** A small game's setup through the real stages 1–3 (unigram U_G: no LM). */
async function smallSetup(seed: number): Promise<GameSetup> {
  const opts = parseForumOptions({
    seed,
    rounds: 3,
    trainWeeks: 2,
    synthetic: { perWeek: 120 },
    utilityG: 'unigram',
    featureBits: 12,
    M: 25,
    K: 10,
    theta: 0.4,
    nashMethod: 'certified',
  });
  const root = Rng.fromPath(['forum', seed]);
  const corpus = await prepareCorpus(opts, root);
  const { uG, uF } = await scoreUtilities(opts, corpus);
  const C = trainForumClassifier(corpus.aligned.train, opts.featureBits, root.split('classifier'), undefined);
  return {
    pools: corpus.aligned.pools,
    offsets: corpus.offsets,
    uG,
    uF,
    featureBits: opts.featureBits,
    classifier: C.classifier,
    theta: opts.theta,
    M: opts.M,
    K: opts.K,
    nashMethod: opts.nashMethod,
    epsilon: opts.epsilon,
    backend: 'ts',
  };
}

/** `count` proposals of ≤ M distinct random pool indices, from `rng`. */
function randomProposals(rng: Rng, n: number, M: number, count: number): RoundInputs['proposals'] {
  return Array.from({ length: count }, (_, p) => {
    const size = rng.int(Math.min(M, n) + 1);
    return { strategy: `s${p}`, proposed: rng.permutation(n).slice(0, size) };
  });
}

describe('the round functions are pure', () => {
  it('same inputs give deep-equal results; frozen inputs are not written; no clock, no Math.random', async () => {
    for (const seed of [1, 2, 3]) {
      const setup = await smallSetup(seed);
      const rng = Rng.fromPath(['round-test', seed]);
      for (let t = 0; t < setup.pools.length; t++) {
        const board = openRound(setup, t)!;
        const inputs: RoundInputs = {
          board,
          proposals: randomProposals(rng, board.pool.length, setup.M, 3),
          trace: t % 2 === 0,
        };
        const frozen = deepFreeze({ setup, inputs });
        // Any use of a clock or of an unseeded random number fails the test.
        const spies = [
          jest.spyOn(performance, 'now').mockImplementation(() => {
            throw new Error('clock read');
          }),
          jest.spyOn(Date, 'now').mockImplementation(() => {
            throw new Error('clock read');
          }),
          jest.spyOn(Math, 'random').mockImplementation(() => {
            throw new Error('Math.random');
          }),
        ];
        try {
          const a = playRound(setup, inputs);
          const b = playRound(setup, inputs);
          expect(a).toEqual(b);
          expect(a).not.toBe(b);
          expect(measureRound(setup, board)).toEqual(measureRound(setup, board));
          expect(openRound(setup, t)).toEqual(board);
        } finally {
          for (const s of spies) s.mockRestore();
        }
        expect(frozen.unchanged()).toBe(true);
      }
    }
  });

  it('playRound publishes Top_K{q ∈ A : C(q) ≥ θ} by C (brute force on random proposals)', async () => {
    const setup = await smallSetup(4);
    const rng = Rng.seed('round-brute');
    for (let t = 0; t < setup.pools.length; t++) {
      const board = openRound(setup, t)!;
      const proposals = randomProposals(rng, board.pool.length, setup.M, 5);
      const play = playRound(setup, { board, proposals, trace: true });
      proposals.forEach(({ proposed }, p) => {
        const expected = [...proposed]
          .filter((i) => board.cScore[i]! >= setup.theta)
          .sort((x, y) => board.cScore[y]! - board.cScore[x]! || x - y)
          .slice(0, setup.K);
        const o = play.outcomes[p]!;
        expect([...o.published]).toEqual(expected);
        expect([...o.accepted]).toEqual([...proposed].map((i) => (expected.includes(i) ? 1 : 0)));
        expect(o.trace!.published).toEqual(
          expected.map((i) => `${board.pool[i]!.community}:${board.pool[i]!.id}`),
        );
      });
    }
  });

  it('rejects a malformed proposal, naming the strategy and round', async () => {
    const setup = await smallSetup(5);
    const board = openRound(setup, 1)!;
    const bad = { board, trace: false, proposals: [{ strategy: 'X', proposed: Int32Array.of(0, 0) }] };
    expect(() => playRound(setup, bad)).toThrow(MechlabError);
    expect(() => playRound(setup, bad)).toThrow(
      'strategies["X"].propose (round 2) proposes question 0 twice',
    );
  });
});

describe('runForum as stages gives the results of the single-function runForum', () => {
  // sha256 of JSON.stringify(result without `timings`), captured from main at b38e43f (before the split).
  // Unigram U_G only: these are pure JS arithmetic, so the digests do not depend on the machine.
  const corpus = syntheticCorpus(Rng.fromPath(['capture', 1]), {
    perWeek: 120,
    weeks: 7,
    start: Date.UTC(2024, 0, 2),
  });
  const cases: [string, ForumOptions, string][] = [
    [
      'seed 7, heuristics, trace',
      {
        seed: 7,
        utilityG: 'unigram',
        trace: true,
        rounds: 4,
        synthetic: { perWeek: 150 },
        nashMethod: 'heuristics',
      },
      '61d0d3047bfa55cc919cb23b9752fd1fe86a697b7bb95394dcf8e9ec735cde83',
    ],
    [
      'seed "abc", M 30, K 10, θ 0.5, two strategies, mean views',
      {
        seed: 'abc',
        M: 30,
        K: 10,
        theta: 0.5,
        utilityG: 'unigram',
        rounds: 5,
        trainWeeks: 3,
        strategies: ['Random', 'G-Utility'],
        viewNormalisation: 'mean',
        trace: true,
      },
      'fa81992a53e17ab0e2c6c5121f1eded1791896e6ad6d556fd37abdeab86b4825',
    ],
    [
      'seed 2, 12 feature bits, ε 0.05, 100 points, window start',
      {
        seed: 2,
        scatterPoints: 100,
        featureBits: 12,
        rounds: 3,
        epsilon: 0.05,
        utilityG: 'unigram',
        windowStart: '2024-03-05',
      },
      '2525e5a8dda1fb9f16fbb3beab8bcff5e91c69e4e6cca65317a9a9ac18243365',
    ],
    [
      'in-memory corpus, seed 5',
      { data: { questions: corpus }, seed: 5, trace: true, M: 20, K: 8 },
      'cdd668fad3c77d54c864b6d03222867826db9928ca01302e937ce67e8c5fcc7a',
    ],
  ];
  it.each(cases)('%s', async (_name, opts, digest) => {
    const r: Partial<Awaited<ReturnType<typeof runForum>>> = await runForum(opts);
    delete r.timings;
    expect(createHash('sha256').update(JSON.stringify(r)).digest('hex')).toBe(digest);
  });
});
