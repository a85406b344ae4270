/** Exhaustive ground truth for the Nash-product benchmark. */
import { MechlabError } from '@mechlab/core';
import type { NashInstanceInput } from './nash-types';
import { productOf } from './nash-dp';
import { validateInstance } from './nash-instance';

/**
 * Exact optimum by enumerating all C(n, k) subsets — ground truth for tests and tiny pools.
 * O(C(n,k)·k).
 * @throws MechlabError `ERR_TOO_LARGE` when C(n, k) > 5·10⁶.
 */
export function solveNashBruteForce(instance: NashInstanceInput): { selected: Int32Array; product: number } {
  const { uG: g, uF: f, k } = validateInstance(instance);
  const n = g.length;
  let count = 1;
  for (let i = 0; i < k; i++) count = (count * (n - i)) / (i + 1);
  if (count > 5e6)
    throw new MechlabError('ERR_TOO_LARGE', `C(${n}, ${k}) = ${count} subsets is too many`, 'instance');
  const idx = Int32Array.from({ length: k }, (_, i) => i);
  let best = -1;
  let bestSel = Int32Array.from(idx);
  for (;;) {
    const v = productOf(g, f, idx);
    if (v > best) {
      best = v;
      bestSel = Int32Array.from(idx);
    }
    let p = k - 1;
    while (p >= 0 && idx[p] === n - k + p) p--;
    if (p < 0) break;
    idx[p]!++;
    for (let q = p + 1; q < k; q++) idx[q] = idx[q - 1]! + 1;
  }
  return { selected: bestSel, product: best };
}
