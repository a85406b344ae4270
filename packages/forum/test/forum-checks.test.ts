import fc from 'fast-check';
import { captureError, expectMechlabError } from '@mechlab/core/testing';
import { checkProposal } from '../src/forum-checks';

const check = (A: number[], n: number, M = 100) => checkProposal(Int32Array.from(A), n, M, 'g', 0);

describe('checkProposal (its seen mask is shared across calls)', () => {
  it('rejects duplicates on every one of consecutive calls, and a rejected call leaves nothing behind', () => {
    check([0, 1, 2], 10);
    expectMechlabError(() => check([2, 2], 10), 'ERR_INVALID_INPUT', /proposes question 2 twice/);
    check([1], 10); // the same index in consecutive calls is not a duplicate
    check([1], 10);
    expectMechlabError(() => check([3, 1, 3], 10), 'ERR_INVALID_INPUT', /proposes question 3 twice/);
    check([3, 1], 10); // the throw above cleared its marks
    expectMechlabError(
      () => check([0, 5, 99], 10),
      'ERR_OUT_OF_RANGE',
      /\[2\] must be an index in \[0, 10\)/,
    );
    check([5, 0], 10);
    check([0, 4, 39], 40); // a larger pool grows the mask
    expectMechlabError(() => check([39, 39], 40), 'ERR_INVALID_INPUT', /question 39 twice/);
    check([39, 2], 40);
    expectMechlabError(() => check([3], 3), 'ERR_OUT_OF_RANGE', /must be an index in \[0, 3\)/);
  });

  it('agrees with a Set-based check on 300 seeded sequences of calls', () => {
    const call = fc.record({
      n: fc.integer({ min: 0, max: 12 }),
      A: fc.array(fc.integer({ min: -2, max: 14 }), { maxLength: 8 }),
    });
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 6 }), (calls) => {
        for (const { n, A } of calls) {
          let want = 'ok';
          const set = new Set<number>();
          for (const q of A) {
            if (!(q >= 0 && q < n)) {
              want = 'ERR_OUT_OF_RANGE';
              break;
            }
            if (set.has(q)) {
              want = 'ERR_INVALID_INPUT';
              break;
            }
            set.add(q);
          }
          const got = captureError(() => check(A, n));
          if (want === 'ok' ? got !== 'no error' : !got.startsWith(`${want}: `)) return false;
        }
        return true;
      }),
      { seed: 14, numRuns: 300 },
    );
  });
});
