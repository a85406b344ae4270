/**
 * Set partitions: iterative enumeration by restricted-growth strings, canonical codes, the Chinese
 * restaurant process, and the tabulated partition-function game of FORMATS.md.
 */
import { MechlabError } from '@mechlab/core';
import type { Rng } from '@mechlab/core';
import type { PartitionGame } from './games';

/** Largest `n` for which partitions are enumerated (Bell(10) = 115 975). */
export const MAX_PARTITION_PLAYERS = 10;

/** Bell numbers `B(0..12)`. */
const BELL = [1, 1, 2, 5, 15, 52, 203, 877, 4140, 21147, 115975, 678570, 4213597];

/**
 * The Bell number `B(n)`: how many partitions an `n`-set has (so how many entries a complete
 * partition-function table lists).
 *
 * Complexity: O(1) (table).
 * @throws RangeError when `n` is outside `[0, 12]`.
 * @example bellNumber(10) // 115975
 */
export function bellNumber(n: number): number {
  const b = BELL[n];
  if (b === undefined) throw new RangeError(`bellNumber: n must be in [0, 12], got ${n}`);
  return b;
}

/**
 * Calls `visit(labels, blocks)` once for every partition of `{0..n−1}`, as a restricted-growth string
 * (`labels[0] = 0`, `labels[i] ≤ 1 + max(labels[0..i−1])`; Knuth, TAOCP 7.2.1.5), in lexicographic
 * order. `labels` is reused between calls: copy it to keep it. Iterative, no recursion.
 *
 * Complexity: O(B(n) · n) time, O(n) memory.
 * @throws never (n ≥ 1)
 * @example forEachPartition(3, (l, k) => console.log(l.join(''), k)) // 000 1, 001 2, 010 2, 011 2, 012 3
 */
export function forEachPartition(n: number, visit: (labels: Int32Array, blocks: number) => void): void {
  const a = new Int32Array(n);
  const pmax = new Int32Array(n); // pmax[i] = max(a[0..i])
  for (;;) {
    visit(a, pmax[n - 1]! + 1);
    let i = n - 1;
    while (i >= 1 && a[i]! === pmax[i - 1]! + 1) i--;
    if (i < 1) return;
    a[i] = a[i]! + 1;
    pmax[i] = Math.max(pmax[i - 1]!, a[i]!);
    for (let j = i + 1; j < n; j++) {
      a[j] = 0;
      pmax[j] = pmax[i]!;
    }
  }
}

/**
 * Canonical code of a partition given by labels: relabel blocks by first appearance (the
 * restricted-growth string `g`) and read `g` in base `n`. Writes the old→canonical block map into
 * `canon` (length ≥ blocks). Exact for `n ≤ 13` (`n^n < 2^53`).
 */
export function partitionCode(labels: Int32Array, blocks: number, canon: Int32Array): number {
  const n = labels.length;
  canon.fill(-1, 0, blocks);
  let next = 0;
  let code = 0;
  let scale = 1;
  for (let i = 0; i < n; i++) {
    const b = labels[i]!;
    let c = canon[b]!;
    if (c < 0) {
      c = next++;
      canon[b] = c;
    }
    code += c * scale;
    scale *= n;
  }
  return code;
}

/**
 * Seats `order[0], order[1], …` by the Chinese restaurant process with concentration 1: the `t`-th
 * customer (t = 1, 2, …) opens a new table with probability `1/t` and otherwise joins the table of a
 * uniformly chosen earlier customer (so table `c` with probability `|c|/t`). The resulting partition of
 * the first `k` customers has probability `Π_T (|T|−1)! / k!` — the weight `α(S, P)` of MPW (2007) —
 * for every prefix `k`, and tables are numbered 0, 1, … in order of opening, so the tables of any prefix
 * are contiguous. Writes `table[order[t]]` and, when given, `tablesAfter[t]` = number of tables after
 * seating `t` customers (`t = 0..count`); returns the number of tables.
 */
export function seatCrp(
  order: Int32Array,
  count: number,
  rng: Rng,
  table: Int32Array,
  tablesAfter?: Int32Array,
): number {
  let tables = 0;
  if (tablesAfter !== undefined) tablesAfter[0] = 0;
  for (let t = 0; t < count; t++) {
    const u = rng.int(t + 1);
    const who = order[t]!;
    if (u === t) table[who] = tables++;
    else table[who] = table[order[u]!]!;
    if (tablesAfter !== undefined) tablesAfter[t + 1] = tables;
  }
  return tables;
}

/** One entry of a tabulated partition function: the blocks of a partition and `v(block, P)` for each. */
export interface PartitionEntry {
  blocks: readonly (readonly number[])[];
  values: readonly number[];
}

/**
 * A PFF game given by a complete table (FORMATS.md `partitions` form). `entries` must list every
 * partition of `{0..n−1}` exactly once (`parseCoalitionGame` checks this; this constructor trusts it).
 *
 * Complexity: O(B(n) · n) to build; O(n) per evaluation (hash lookup of the canonical code).
 * @throws MechlabError `ERR_INVALID_INPUT` when an evaluation asks for a partition not in the table.
 * @example partitionTableGame(2, [{ blocks: [[0, 1]], values: [3] }, { blocks: [[0], [1]], values: [1, 1] }])
 */
export function partitionTableGame(n: number, entries: readonly PartitionEntry[]): PartitionGame {
  const table = new Map<number, Float64Array>();
  const labels = new Int32Array(n);
  const canon = new Int32Array(n);
  for (const e of entries) {
    e.blocks.forEach((block, b) => {
      for (const i of block) labels[i] = b;
    });
    const code = partitionCode(labels, e.blocks.length, canon);
    const vals = new Float64Array(e.blocks.length);
    for (let b = 0; b < e.blocks.length; b++) vals[canon[b]!] = e.values[b]!;
    table.set(code, vals);
  }
  const scratch = new Int32Array(n);
  return {
    kind: 'partition',
    n,
    evaluate(lab, blocks, out) {
      const vals = table.get(partitionCode(lab, blocks, scratch));
      // Hand-written, not a schema: per evaluation (the table itself was checked by its schema).
      if (vals === undefined) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `partition ${Array.from(lab).join(',')} is not in the table`,
        );
      }
      for (let b = 0; b < blocks; b++) out[b] = vals[scratch[b]!]!;
    },
  };
}
