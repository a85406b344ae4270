/** Strategy-output checks of `runForum` (its options are parsed by the zod schema in forum-options.ts). */
import { MechlabError, rangeError } from '@mechlab/core';

/**
 * Check a strategy's proposal A: an Int32Array of at most M distinct indices into a pool of n. O(n).
 * Hand-written, not zod: it runs on every strategy's output every round (hot path), one plain loop
 * with a reused-size `seen` mask instead of a schema built per (n, M) and a per-entry zod check.
 */
export function checkProposal(A: Int32Array, n: number, M: number, name: string, t: number): void {
  const field = `strategies[${JSON.stringify(name)}].propose (round ${t + 1})`;
  if (!(A instanceof Int32Array))
    throw new MechlabError('ERR_INVALID_TYPE', `${field} must return an Int32Array`, field);
  if (A.length > M) throw rangeError(field, `at most M = ${M} questions`, A.length);
  const seen = new Uint8Array(n);
  for (let i = 0; i < A.length; i++) {
    const q = A[i]!;
    if (!(q >= 0 && q < n)) throw rangeError(`${field}[${i}]`, `an index in [0, ${n})`, q);
    if (seen[q]) throw new MechlabError('ERR_INVALID_INPUT', `${field} proposes question ${q} twice`, field);
    seen[q] = 1;
  }
}
