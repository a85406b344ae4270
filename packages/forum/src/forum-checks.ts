/** Strategy-output checks of `runForum` (its options are parsed by the zod schema in forum-options.ts). */
import { MechlabError, rangeError } from '@mechlab/core';

// The `seen` mask of checkProposal, shared by every call and grown to the largest pool met: each call
// clears exactly the entries it set (also when it throws), so the next call starts from all zeros and
// a round costs O(|A|) per strategy instead of allocating and zeroing O(n).
let seen = new Uint8Array(0);

/**
 * Check a strategy's proposal A: an Int32Array of at most M distinct indices into a pool of n.
 * O(|A|) (plus O(n) once, when n exceeds every earlier pool).
 * Hand-written, not zod: it runs on every strategy's output every round (hot path), one plain loop
 * with a reused `seen` mask instead of a schema built per (n, M) and a per-entry zod check.
 * @throws MechlabError naming `strategies["<name>"].propose (round t+1)`: not an Int32Array
 *   (`ERR_INVALID_TYPE`), more than M entries or an index outside [0, n) (`ERR_OUT_OF_RANGE`), an
 *   index twice (`ERR_INVALID_INPUT`)
 */
export function checkProposal(A: Int32Array, n: number, M: number, name: string, t: number): void {
  const field = `strategies[${JSON.stringify(name)}].propose (round ${t + 1})`;
  if (!(A instanceof Int32Array))
    throw new MechlabError('ERR_INVALID_TYPE', `${field} must return an Int32Array`, field);
  if (A.length > M) throw rangeError(field, `at most M = ${M} questions`, A.length);
  if (seen.length < n) seen = new Uint8Array(n);
  let i = 0;
  try {
    for (; i < A.length; i++) {
      const q = A[i]!;
      if (!(q >= 0 && q < n)) throw rangeError(`${field}[${i}]`, `an index in [0, ${n})`, q);
      if (seen[q])
        throw new MechlabError('ERR_INVALID_INPUT', `${field} proposes question ${q} twice`, field);
      seen[q] = 1;
    }
  } finally {
    // A[0..i) are the entries set (all in range); A[i], if the check stopped there, was not.
    for (let j = 0; j < i; j++) seen[A[j]!] = 0;
  }
}
