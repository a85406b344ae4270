import { Rng } from '@mechlab/core';
import { forEachPartition, partitionTableGame } from '../src/partition';
import type { CharacteristicGame, MaxPoolingGame } from '@mechlab/coalition';
import type { PartitionEntry } from '../src/partition';
import type { PartitionGame } from '../src/games';

/** Random CFF game with `v(∅) = 0` and values uniform in [-1, 1]. */
export function randomCff(rng: Rng, n: number): CharacteristicGame {
  const values = new Float64Array(1 << n);
  for (let k = 1; k < values.length; k++) values[k] = rng.uniform(-1, 1);
  return { kind: 'characteristic', n, values };
}

/** Random max-pooling game; scores on a coarse grid (so ties happen) in [lo, 1]. */
export function randomMaxGame(rng: Rng, n: number, m: number, lo = 0): MaxPoolingGame {
  const scores = Float64Array.from({ length: n * m }, () => lo + Math.round(rng.next() * 4) * ((1 - lo) / 4));
  const raw = Float64Array.from({ length: m }, () => rng.next() + 0.1);
  const total = raw.reduce((a, b) => a + b, 0);
  return { kind: 'maxPooling', n, m, scores, weights: raw.map((w) => w / total) };
}

/** All partitions of {0..n−1} as arrays of blocks (blocks in order of first appearance). */
export function allPartitions(n: number): number[][][] {
  const out: number[][][] = [];
  forEachPartition(n, (labels, blocks) => {
    const parts: number[][] = Array.from({ length: blocks }, () => []);
    labels.forEach((b, i) => parts[b]!.push(i));
    out.push(parts);
  });
  return out;
}

/** Random PFF table (values uniform in [-1, 1] for every (block, partition)). */
export function randomPffEntries(rng: Rng, n: number): PartitionEntry[] {
  return allPartitions(n).map((blocks) => ({ blocks, values: blocks.map(() => rng.uniform(-1, 1)) }));
}

export function randomPff(rng: Rng, n: number): PartitionGame {
  return partitionTableGame(n, randomPffEntries(rng, n));
}

/** Sum of a numeric array-like. */
export function total(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}

/** Element-wise |a − b| ≤ tol. */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i]! - b[i]!) <= tol)) {
      throw new Error(
        `index ${i}: ${a[i]} vs ${b[i]} (tol ${tol})\n  a = ${Array.from(a).join(', ')}\n  b = ${Array.from(b).join(', ')}`,
      );
    }
  }
}

/** Restriction of a CFF table to the players of `mask` (re-indexed in ascending order). */
export function restrict(values: Float64Array, mask: number): CharacteristicGame {
  const members: number[] = [];
  for (let i = 0; i < 31; i++) if ((mask >>> i) & 1) members.push(i);
  const k = members.length;
  const sub = new Float64Array(1 << k);
  for (let s = 0; s < sub.length; s++) {
    let full = 0;
    for (let t = 0; t < k; t++) if ((s >>> t) & 1) full |= 1 << members[t]!;
    sub[s] = values[full]!;
  }
  return { kind: 'characteristic', n: k, values: sub };
}

export { Rng };
