import fc from 'fast-check';
import { coreCheck, shapleyExact } from '@mechlab/coalition';
import type { CharacteristicGame } from '@mechlab/coalition';
import { expectMechlabError } from '@mechlab/core/testing';

function game(n: number, f: (mask: number, size: number) => number): CharacteristicGame {
  const values = new Float64Array(1 << n);
  for (let mask = 1; mask < values.length; mask++) {
    let size = 0;
    for (let r = mask; r !== 0; r &= r - 1) size++;
    values[mask] = f(mask, size);
  }
  return { kind: 'characteristic', n, values };
}

describe('coreCheck', () => {
  it('accepts the Shapley value of convex games (Shapley 1971)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.double({ min: 1, max: 3, noNaN: true }), (n, p) => {
        // v(S) = |S|^p with p ≥ 1 is convex (supermodular).
        const g = game(n, (_m, s) => s ** p);
        expect(coreCheck(g, shapleyExact(g)).status).toBe('in-core');
      }),
      { numRuns: 50 },
    );
  });

  it('returns the most-blocking coalition as a witness', () => {
    // Three-player majority game: the core is empty; Shapley gives 1/3 each, {0,1} can get 1.
    const g = game(3, (_m, s) => (s >= 2 ? 1 : 0));
    const r = coreCheck(g, [1 / 3, 1 / 3, 1 / 3]);
    expect(r).toEqual({
      status: 'blocked',
      coalition: [0, 1],
      mask: 3,
      value: 1,
      allocated: 2 / 3,
      excess: 1 - 2 / 3,
    });
    // A specific allocation that leaves player 2 behind is blocked by a coalition with 2.
    const r2 = coreCheck(
      game(3, (m) => (m === 0b101 ? 2 : m === 7 ? 3 : 0)),
      [1, 2, 0],
    );
    expect(r2.status).toBe('blocked');
    if (r2.status === 'blocked') expect(r2.coalition).toEqual([0, 2]);
  });

  it('reports inefficient allocations and the tightest excess when in the core', () => {
    const g = game(2, (_m, s) => (s === 2 ? 4 : 1));
    expect(coreCheck(g, [1, 1])).toEqual({ status: 'inefficient', total: 2, grand: 4 });
    expect(coreCheck(g, [2, 2])).toEqual({ status: 'in-core', maxExcess: -1 });
    expect(
      coreCheck(
        game(1, () => 5),
        [5],
      ),
    ).toEqual({ status: 'in-core', maxExcess: 0 });
  });

  it('validates the payoff vector', () => {
    const g = game(2, () => 1);
    expectMechlabError(() => coreCheck(g, [1]), 'ERR_OUT_OF_RANGE', 'payoff.length must be n = 2, got 1');
    expectMechlabError(
      () => coreCheck(g, [1, NaN]),
      'ERR_INVALID_TYPE',
      'payoff[1] must be a number, got NaN',
    );
    expectMechlabError(() => coreCheck(g, Float64Array.of(1, Infinity)), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'payoff[1]',
      message: 'payoff[1] must be a finite number, got Infinity',
    });
    expectMechlabError(() => coreCheck(g, [1, 1], { tolerance: -1 }), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'options.tolerance',
      message: 'options.tolerance must be ≥ 0, got -1',
    });
    expectMechlabError(() => coreCheck({ ...g, values: new Float64Array(3) }, [1, 1]), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'game.values.length',
      message: 'game.values.length must be 2^n = 4, got 3',
    });
    expectMechlabError(() => coreCheck({ ...g, n: 0 }, []), { code: 'ERR_OUT_OF_RANGE', field: 'game.n' });
  });
});
