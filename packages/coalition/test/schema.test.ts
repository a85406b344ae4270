import fc from 'fast-check';
import { parseCoalitionGame } from '@mechlab/coalition';
import type { MechlabErrorCode } from '@mechlab/core';
import { allPartitions } from './helpers';
import { expectMechlabError } from '@mechlab/core/testing';

const bad = (json: unknown, code: MechlabErrorCode, message: string | RegExp): void => {
  expectMechlabError(() => parseCoalitionGame(json), code, message);
};

function pffJson(n: number): { n: number; partitions: { blocks: number[][]; values: number[] }[] } {
  return {
    n,
    partitions: allPartitions(n).map((blocks) => ({ blocks, values: blocks.map((b) => b.length) })),
  };
}

describe('parseCoalitionGame — valid documents', () => {
  it('parses the characteristic-function form', () => {
    const g = parseCoalitionGame({ version: 1, n: 2, values: [0, 1, 1, 3] });
    expect(g.kind).toBe('characteristic');
    if (g.kind === 'characteristic') {
      expect(g.n).toBe(2);
      expect(Array.from(g.values)).toEqual([0, 1, 1, 3]);
    }
  });

  it('parses the max-pooling market form', () => {
    const g = parseCoalitionGame({
      scores: [
        [0.5, 1],
        [1, 0],
        [0.2, 0.3],
      ],
      weights: [0.25, 0.75],
    });
    expect(g.kind).toBe('maxPooling');
    if (g.kind === 'maxPooling') {
      expect([g.n, g.m]).toEqual([3, 2]);
      expect(Array.from(g.scores)).toEqual([0.5, 1, 1, 0, 0.2, 0.3]);
      expect(Array.from(g.weights)).toEqual([0.25, 0.75]);
    }
  });

  it('parses the partition-function form in any block and partition order', () => {
    const doc = pffJson(3);
    doc.partitions.reverse();
    for (const p of doc.partitions) {
      p.blocks.reverse();
      p.values.reverse();
      for (const b of p.blocks) b.reverse();
    }
    const g = parseCoalitionGame(doc);
    expect(g.kind).toBe('partition');
    if (g.kind === 'partition') {
      const out = new Float64Array(2);
      g.evaluate(Int32Array.of(1, 0, 1), 2, out); // blocks {1} and {0, 2}
      expect(Array.from(out)).toEqual([1, 2]);
    }
  });

  it('accepts every well-formed characteristic function (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
              minLength: (1 << n) - 1,
              maxLength: (1 << n) - 1,
            }),
          ),
        ),
        ([n, rest]) => {
          const g = parseCoalitionGame({ n, values: [0, ...rest] });
          expect(g.kind === 'characteristic' && g.values.length === 1 << n).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('parseCoalitionGame — errors name the field', () => {
  it('characteristic function', () => {
    bad(
      { n: 3, values: [0, 1, 2, 3, 4, 5, 6] },
      'ERR_INVALID_INPUT',
      'game.values must have 2^n = 8 entries, got 7',
    );
    bad({ n: 0, values: [] }, 'ERR_OUT_OF_RANGE', 'game.n must be an integer in [1, 20], got 0');
    bad({ n: 1.5, values: [] }, 'ERR_OUT_OF_RANGE', 'game.n must be an integer in [1, 20], got 1.5');
    bad({ n: 21, values: [] }, 'ERR_OUT_OF_RANGE', 'game.n must be an integer in [1, 20], got 21');
    bad({ n: '2', values: [0, 1, 1, 2] }, 'ERR_INVALID_TYPE', 'game.n must be a number, got "2"');
    bad({ n: 1, values: 'x' }, 'ERR_INVALID_TYPE', 'game.values must be an array, got "x"');
    bad({ n: 2, values: [0, 1, 'a', 2] }, 'ERR_INVALID_TYPE', 'game.values[2] must be a number, got "a"');
    bad(
      { n: 1, values: [0, Infinity] },
      'ERR_OUT_OF_RANGE',
      'game.values[1] must be a finite number, got Infinity',
    );
    bad(
      { n: 1, values: [1, 2] },
      'ERR_OUT_OF_RANGE',
      'game.values[0] must be 0 (the value of the empty coalition), got 1',
    );
    bad({ n: 1, values: [0, 2], extra: true }, 'ERR_INVALID_INPUT', 'game has unknown key "extra"');
    bad({ version: 2, n: 1, values: [0, 2] }, 'ERR_OUT_OF_RANGE', 'game.version must be 1, got 2');
  });

  it('max-pooling market', () => {
    bad(
      { scores: [[0.5], [1.5]], weights: [1] },
      'ERR_OUT_OF_RANGE',
      'game.scores[1][0] must be in [0, 1], got 1.5',
    );
    bad(
      { scores: [[0.5, 0.2], [1]], weights: [0.5, 0.5] },
      'ERR_INVALID_INPUT',
      'game.scores[1] must have m = 2 entries (as scores[0]), got 1',
    );
    bad({ scores: [], weights: [] }, 'ERR_INVALID_INPUT', 'game.scores must have at least one agent');
    bad(
      { scores: [[]], weights: [] },
      'ERR_INVALID_INPUT',
      'game.scores[0] must have at least one benchmark',
    );
    bad(
      { scores: [[0.5, 0.2]], weights: [1] },
      'ERR_INVALID_INPUT',
      'game.weights must have m = 2 entries (one per benchmark), got 1',
    );
    bad(
      { scores: [[0.5, 0.2]], weights: [0.5, 0.4] },
      'ERR_OUT_OF_RANGE',
      'game.weights must sum to 1, got 0.9',
    );
    bad(
      { scores: [[0.5, 0.2]], weights: [1.5, -0.5] },
      'ERR_OUT_OF_RANGE',
      'game.weights[1] must be ≥ 0, got -0.5',
    );
    bad(
      { scores: [[0.5, null]], weights: [0.5, 0.5] },
      'ERR_INVALID_TYPE',
      'game.scores[0][1] must be a number, got null',
    );
  });

  it('partition function: completeness, uniqueness, coverage', () => {
    const missing = pffJson(3);
    missing.partitions.splice(2, 1);
    bad(
      missing,
      'ERR_INVALID_INPUT',
      'game.partitions must list all Bell(3) = 5 partitions of {0..2}, got 4 (missing [[0,2],[1]])',
    );

    const repeated = pffJson(3);
    repeated.partitions[4] = { blocks: [[1, 0], [2]], values: [1, 1] };
    bad(repeated, 'ERR_INVALID_INPUT', 'game.partitions[4] repeats the partition of game.partitions[1]');

    const twice = pffJson(3);
    twice.partitions[0] = { blocks: [[0, 1, 1]], values: [3] };
    bad(
      twice,
      'ERR_INVALID_INPUT',
      'game.partitions[0].blocks must contain every player 0..2 exactly once; player 1 appears 2 times',
    );

    const absent = pffJson(3);
    absent.partitions[1] = { blocks: [[0, 1]], values: [3] };
    bad(
      absent,
      'ERR_INVALID_INPUT',
      'game.partitions[1].blocks must contain every player 0..2 exactly once; player 2 is missing',
    );

    const outside = pffJson(2);
    outside.partitions[1] = { blocks: [[0], [2]], values: [1, 1] };
    bad(outside, 'ERR_OUT_OF_RANGE', 'game.partitions[1].blocks[1][0] must be an integer in [0, 1], got 2');

    const values = pffJson(2);
    values.partitions[0]!.values = [1, 2];
    bad(values, 'ERR_INVALID_INPUT', 'game.partitions[0].values must have one value per block (1), got 2');

    const empty = pffJson(2);
    empty.partitions[1] = { blocks: [[0, 1], []], values: [1, 1] };
    bad(empty, 'ERR_INVALID_INPUT', 'game.partitions[1].blocks[1] must not be empty');

    bad({ n: 11, partitions: [] }, 'ERR_OUT_OF_RANGE', 'game.n must be an integer in [1, 10], got 11');
    bad(
      { n: 1, partitions: [{ blocks: [[0]], values: [1], note: 'x' }] },
      'ERR_INVALID_INPUT',
      'game.partitions[0] has unknown key "note"',
    );
  });

  it('documents that are not games', () => {
    bad(null, 'ERR_INVALID_TYPE', 'game must be an object, got null');
    bad([1, 2], 'ERR_INVALID_TYPE', 'game must be an object, got an array of length 2');
    bad(
      { n: 2 },
      'ERR_INVALID_INPUT',
      'game must have "values" (characteristic function), "scores" (max-pooling market) or "partitions" (partition function)',
    );
  });
});
