/** Shards of a sweep (`--shard i/k`): which tasks one process runs, round-robin over the canonical order. */
import { MechlabError } from '@mechlab/core';
import type { TaskRef } from './spec';

/** `--shard i/k` (0-based `i`). */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/**
 * Parse `i/k` with `0 ≤ i < k`. Task `t` belongs to shard `t.index mod k` (round-robin over the
 * canonical order, so every shard gets a similar mix of cheap and expensive points).
 * @throws MechlabError ERR_OUT_OF_RANGE naming `field`.
 * @example parseShard('1/3') // { index: 1, count: 3 }
 */
export function parseShard(text: string | ShardSpec, field = 'shard'): ShardSpec {
  if (typeof text !== 'string') {
    const { index, count } = text;
    if (Number.isInteger(index) && Number.isInteger(count) && count >= 1 && index >= 0 && index < count)
      return text;
    throw new MechlabError(
      'ERR_OUT_OF_RANGE',
      `${field} must be i/k with integers 0 ≤ i < k, got ${index}/${count}`,
      field,
    );
  }
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) {
    throw new MechlabError(
      'ERR_OUT_OF_RANGE',
      `${field} must be i/k with integers 0 ≤ i < k (0-based), got ${JSON.stringify(text)}`,
      field,
    );
  }
  return { index, count };
}

/** Does task `t` belong to `shard` (all tasks when `shard` is undefined)? */
export function inShard(t: TaskRef, shard: ShardSpec | undefined): boolean {
  return shard === undefined || t.index % shard.count === shard.index;
}
