/**
 * zod schemas of `createMarket`'s spec and of a pooling `Paradigm` (seed 002 §2, Table 1), read by
 * core's converter so every message names the field (`market.scores[1][0] must be ≤ 1, got 1.5`).
 */
import { z } from 'zod';
import { addMechlabIssue, addRangeIssue } from '@mechlab/core';

const unit = z.number().min(0).max(1);
const nonNegative = z.number().min(0);
/** One number for every entry, or one per entry. */
const oneOrVector = z.union([nonNegative, z.array(nonNegative)]);
/** One number for every entry, or an `n × m` matrix. */
const oneOrMatrix = z.union([nonNegative, z.array(z.array(nonNegative))]);

export const marketSpecSchema = z
  .object({
    scores: z.array(z.array(unit).min(1)).min(1),
    weights: z.array(nonNegative),
    alpha: unit.optional(),
    unitValue: oneOrVector.optional(),
    demand: oneOrVector.optional(),
    cost: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }),
        z.object({ kind: z.literal('gpu'), gpuHours: oneOrMatrix, pricePerGpuHour: nonNegative }),
        z.object({
          kind: z.literal('api'),
          inputTokens: oneOrVector,
          outputTokens: oneOrMatrix,
          inputPrice: oneOrVector,
          outputPrice: oneOrVector,
        }),
      ])
      .optional(),
  })
  .superRefine((s, ctx) => {
    // Refinements also run after a failed length check (zod reports that one first).
    const n = s.scores.length;
    const m = s.scores[0]?.length ?? 0;
    if (m === 0) return;
    for (let i = 1; i < n; i++) {
      if (s.scores[i]!.length !== m)
        return addRangeIssue(ctx, ['scores', i, 'length'], `${m} (as scores[0])`);
    }
    const sized = (path: (string | number)[], x: unknown, len: number): boolean => {
      if (Array.isArray(x) && x.length !== len) addRangeIssue(ctx, [...path, 'length'], `${len}`);
      return Array.isArray(x) && x.length !== len;
    };
    const matrix = (path: (string | number)[], x: unknown): boolean => {
      if (!Array.isArray(x)) return false;
      if (sized(path, x, n)) return true;
      return x.some((row, i) => sized([...path, i], row, m));
    };
    if (sized(['weights'], s.weights, m)) return;
    const sum = s.weights.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-9) {
      return addMechlabIssue(ctx, ['weights'], 'ERR_OUT_OF_RANGE', `must sum to 1, got ${sum}`);
    }
    if (sized(['unitValue'], s.unitValue, m) || sized(['demand'], s.demand, m)) return;
    const c = s.cost;
    if (c?.kind === 'gpu') matrix(['cost', 'gpuHours'], c.gpuHours);
    if (c?.kind === 'api') {
      if (
        sized(['cost', 'inputTokens'], c.inputTokens, m) ||
        matrix(['cost', 'outputTokens'], c.outputTokens)
      )
        return;
      if (!sized(['cost', 'inputPrice'], c.inputPrice, n)) sized(['cost', 'outputPrice'], c.outputPrice, n);
    }
  });

/** A pooling paradigm (Eq. 10, Table 1); see `Paradigm` in market.ts. */
export const paradigmSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('maxPooling'), overhead: nonNegative.optional() }),
  z.object({
    kind: z.literal('averaging'),
    sharpness: nonNegative.optional(),
    overhead: nonNegative.optional(),
  }),
  z.object({
    kind: z.literal('merging'),
    effect: z.enum(['superlinear', 'interference', 'independent']),
    epsilon: unit.optional(),
    mergeGpuHours: nonNegative.optional(),
  }),
]);

/** Options of `demandShareGame`. */
export const demandShareOptionsSchema = z.object({ gamma: nonNegative.optional() });

/** `n` values (a number fills them all). */
export function fillVector(
  x: number | readonly number[] | undefined,
  fallback: number,
  len: number,
): Float64Array {
  const out = new Float64Array(len);
  if (x === undefined || typeof x === 'number') out.fill(x ?? fallback);
  else out.set(x);
  return out;
}

/** Row-major `rows × cols` values (a number fills them all). */
export function fillMatrix(
  x: number | readonly (readonly number[])[],
  rows: number,
  cols: number,
): Float64Array {
  const out = new Float64Array(rows * cols);
  if (typeof x === 'number') out.fill(x);
  else x.forEach((row, i) => out.set(row, i * cols));
  return out;
}
