/**
 * zod schemas for the `coalition-game` JSON formats of FORMATS.md and the boundary parser
 * {@link parseCoalitionGame}. Every error is a `MechlabError` whose message starts with the offending
 * field path (`game.values`, `game.scores[1][0]`, `game.partitions[3].blocks`, …).
 */
import { z } from 'zod';
import { MechlabError, parseWithSchema } from '@mechlab/core';
import type { MechlabErrorCode } from '@mechlab/core';
import { MAX_TABLE_PLAYERS } from './games';
import type { CoalitionGame } from './games';
import {
  MAX_PARTITION_PLAYERS,
  bellNumber,
  forEachPartition,
  partitionCode,
  partitionTableGame,
} from './partition';

/** Custom issue that maps to a MechlabError with this code and `<path> <message>`. */
function fail(
  ctx: z.RefinementCtx,
  path: (string | number)[],
  code: MechlabErrorCode,
  message: string,
): void {
  ctx.addIssue({ code: 'custom', path, message, params: { mechlab: code } });
}

/** Custom range issue `<path> must be <expected>, got <input>`. */
function outOfRange(ctx: z.RefinementCtx, path: (string | number)[], expected: string, input: unknown): void {
  ctx.addIssue({ code: 'custom', path, message: 'out of range', params: { expected }, input });
}

const version = z.literal(1).optional();

const samples = z.number().int().min(2);
const seed = z.union([z.number(), z.string()]);

/** Options of `shapleySample` and `mpwSample`: `samples` an integer ≥ 2, a seed key. */
export const samplerOptionsSchema = z.object({ samples, seed: seed.optional() });

/** Options of the `shapley`/`mpw` commands. */
export const commandOptionsSchema = z.object({
  method: z.enum(['exact', 'sample']).optional(),
  samples: samples.optional(),
  seed: seed.optional(),
});

/** Options of `simulateMultibidding` for `n` players. */
export const multibiddingOptionsSchema = (n: number) =>
  z.object({
    runs: z.number().int().min(2),
    rejectFirst: z
      .number()
      .int()
      .min(0)
      .max(n - 1)
      .optional(),
    seed: seed.optional(),
  });
const isIntIn = (lo: number, hi: number) => (x: number) => Number.isInteger(x) && x >= lo && x <= hi;
const unitScore = z.number().refine((x) => x >= 0 && x <= 1, { params: { expected: 'in [0, 1]' } });
const nonNegative = z.number().refine((x) => x >= 0, { params: { expected: '≥ 0' } });

/** Characteristic function: `{ n, values }` with `2^n` values by bitmask, `v(∅) = 0`. */
export const characteristicGameSchema = z
  .strictObject({
    version,
    n: z.number().refine(isIntIn(1, MAX_TABLE_PLAYERS), {
      params: { expected: `an integer in [1, ${MAX_TABLE_PLAYERS}]` },
    }),
    values: z.array(z.number()),
  })
  .superRefine((g, ctx) => {
    if (!isIntIn(1, MAX_TABLE_PLAYERS)(g.n)) return;
    const need = 2 ** g.n;
    if (g.values.length !== need) {
      fail(ctx, ['values'], 'ERR_INVALID_INPUT', `must have 2^n = ${need} entries, got ${g.values.length}`);
    } else if (g.values[0] !== 0) {
      outOfRange(ctx, ['values', 0], '0 (the value of the empty coalition)', g.values[0]);
    }
  });

/** Max-pooling market: `{ scores: n × m in [0, 1], weights: m ≥ 0 summing to 1 }`. */
export const maxPoolingGameSchema = z
  .strictObject({
    version,
    scores: z.array(z.array(unitScore)),
    weights: z.array(nonNegative),
  })
  .superRefine((g, ctx) => {
    const first = g.scores[0];
    if (first === undefined)
      return fail(ctx, ['scores'], 'ERR_INVALID_INPUT', 'must have at least one agent');
    const m = first.length;
    if (m === 0) return fail(ctx, ['scores', 0], 'ERR_INVALID_INPUT', 'must have at least one benchmark');
    for (let i = 1; i < g.scores.length; i++) {
      const len = g.scores[i]!.length;
      if (len !== m) {
        return fail(
          ctx,
          ['scores', i],
          'ERR_INVALID_INPUT',
          `must have m = ${m} entries (as scores[0]), got ${len}`,
        );
      }
    }
    if (g.weights.length !== m) {
      return fail(
        ctx,
        ['weights'],
        'ERR_INVALID_INPUT',
        `must have m = ${m} entries (one per benchmark), got ${g.weights.length}`,
      );
    }
    const sum = g.weights.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-9) fail(ctx, ['weights'], 'ERR_OUT_OF_RANGE', `must sum to 1, got ${sum}`);
  });

/** Partition function: `{ n, partitions: [{ blocks, values }] }` listing every partition exactly once. */
export const partitionGameSchema = z
  .strictObject({
    version,
    n: z.number().refine(isIntIn(1, MAX_PARTITION_PLAYERS), {
      params: { expected: `an integer in [1, ${MAX_PARTITION_PLAYERS}]` },
    }),
    partitions: z.array(
      z.strictObject({ blocks: z.array(z.array(z.number())), values: z.array(z.number()) }),
    ),
  })
  .superRefine((g, ctx) => {
    const n = g.n;
    if (!isIntIn(1, MAX_PARTITION_PLAYERS)(n)) return;
    const labels = new Int32Array(n);
    const canon = new Int32Array(n);
    const seen = new Int32Array(n);
    const where = new Map<number, number>();
    for (let k = 0; k < g.partitions.length; k++) {
      const { blocks, values } = g.partitions[k]!;
      const at = ['partitions', k];
      if (values.length !== blocks.length) {
        return fail(
          ctx,
          [...at, 'values'],
          'ERR_INVALID_INPUT',
          `must have one value per block (${blocks.length}), got ${values.length}`,
        );
      }
      seen.fill(0);
      for (let b = 0; b < blocks.length; b++) {
        const block = blocks[b]!;
        if (block.length === 0)
          return fail(ctx, [...at, 'blocks', b], 'ERR_INVALID_INPUT', 'must not be empty');
        for (let t = 0; t < block.length; t++) {
          const i = block[t]!;
          if (!isIntIn(0, n - 1)(i))
            return outOfRange(ctx, [...at, 'blocks', b, t], `an integer in [0, ${n - 1}]`, i);
          seen[i] = seen[i]! + 1;
          labels[i] = b;
        }
      }
      for (let i = 0; i < n; i++) {
        if (seen[i] !== 1) {
          const what = seen[i] === 0 ? 'is missing' : `appears ${seen[i]} times`;
          return fail(
            ctx,
            [...at, 'blocks'],
            'ERR_INVALID_INPUT',
            `must contain every player 0..${n - 1} exactly once; player ${i} ${what}`,
          );
        }
      }
      const code = partitionCode(labels, blocks.length, canon);
      const prev = where.get(code);
      if (prev !== undefined) {
        return fail(ctx, at, 'ERR_INVALID_INPUT', `repeats the partition of game.partitions[${prev}]`);
      }
      where.set(code, k);
    }
    const bell = bellNumber(n);
    if (where.size !== bell) {
      let missing = '';
      forEachPartition(n, (lab, blocks) => {
        if (missing !== '' || where.has(partitionCode(lab, blocks, canon))) return;
        const parts: number[][] = Array.from({ length: blocks }, () => []);
        lab.forEach((b, i) => parts[b]!.push(i));
        missing = JSON.stringify(parts);
      });
      fail(
        ctx,
        ['partitions'],
        'ERR_INVALID_INPUT',
        `must list all Bell(${n}) = ${bell} partitions of {0..${n - 1}}, got ${where.size} (missing ${missing})`,
      );
    }
  });

/**
 * Validates a `coalition-game` document (FORMATS.md) and returns the typed game. The form is chosen by
 * its key: `values` (characteristic function, `n ≤ 20`), `scores` (max-pooling market) or `partitions`
 * (partition function, `n ≤ 10`, every partition listed exactly once). `"version": 1` is optional;
 * unknown keys are rejected.
 *
 * Complexity: O(size of the document), plus O(B(n) · n) to find a missing partition.
 * @throws MechlabError `ERR_INVALID_TYPE` (wrong type), `ERR_OUT_OF_RANGE` (a number outside its range)
 *   or `ERR_INVALID_INPUT` (wrong lengths, bad partitions); the message names the field, e.g.
 *   `game.values must have 2^n = 8 entries, got 7` or `game.scores[1][0] must be in [0, 1], got 1.5`.
 * @example parseCoalitionGame({ n: 2, values: [0, 1, 1, 3] }) // { kind: 'characteristic', n: 2, values: Float64Array [0, 1, 1, 3] }
 */
export function parseCoalitionGame(json: unknown): CoalitionGame {
  const doc = parseWithSchema(z.looseObject({}), json, 'game');
  if ('partitions' in doc) {
    const g = parseWithSchema(partitionGameSchema, json, 'game');
    return partitionTableGame(g.n, g.partitions);
  }
  if ('scores' in doc) {
    const g = parseWithSchema(maxPoolingGameSchema, json, 'game');
    const n = g.scores.length;
    const m = g.weights.length;
    const scores = new Float64Array(n * m);
    g.scores.forEach((row, i) => scores.set(row, i * m));
    return { kind: 'maxPooling', n, m, scores, weights: Float64Array.from(g.weights) };
  }
  if ('values' in doc) {
    const g = parseWithSchema(characteristicGameSchema, json, 'game');
    return { kind: 'characteristic', n: g.n, values: Float64Array.from(g.values) };
  }
  throw new MechlabError(
    'ERR_INVALID_INPUT',
    'game must have "values" (characteristic function), "scores" (max-pooling market) or "partitions" (partition function)',
    'game',
  );
}
