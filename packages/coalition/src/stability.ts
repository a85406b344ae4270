/**
 * Core membership (the paper's App. E stability concept): a payoff vector `x` is in the core iff it is
 * efficient (`Σ_i x_i = v(N)`) and no coalition can do better on its own (`x(S) ≥ v(S)` for all `S`).
 */
import { z } from 'zod';
import { addRangeIssue, arrayLike, parseWithSchema } from '@mechlab/core';
import { checkTable, maskMembers } from './games';
import type { CharacteristicGame } from './games';

/** Outcome of {@link coreCheck}, keyed on `status`. */
export type CoreCheckResult =
  | {
      status: 'in-core';
      /** Largest excess `v(S) − x(S)` over proper non-empty coalitions (≤ tolerance). */
      maxExcess: number;
    }
  | {
      status: 'inefficient';
      /** `Σ_i x_i`. */
      total: number;
      /** `v(N)`. */
      grand: number;
    }
  | {
      status: 'blocked';
      /** The witness: the coalition with the largest excess, players ascending. */
      coalition: number[];
      /** Its bitmask. */
      mask: number;
      /** `v(S)`. */
      value: number;
      /** `x(S) = Σ_{i∈S} x_i`. */
      allocated: number;
      /** `v(S) − x(S) > tolerance`. */
      excess: number;
    };

/** Options of {@link coreCheck}. */
export interface CoreCheckOptions {
  /** Absolute tolerance for efficiency and for blocking (default `1e-9 · max(1, |v(N)|)`). */
  tolerance?: number;
}

/** `payoff`: n finite numbers (array or typed array); `options.tolerance ≥ 0`. */
const coreCheckInput = (n: number) =>
  z.object({
    payoff: arrayLike(z.array(z.number())).superRefine((p, ctx) => {
      if (p.length !== n) addRangeIssue(ctx, ['length'], `n = ${n}`);
    }),
    options: z.object({ tolerance: z.number().min(0).optional() }),
  });

/**
 * Is `payoff` in the core of `game`? Enumerates all coalitions with the lowest-bit recursion
 * `x(S) = x(S ∖ {i}) + x_i` and returns the most-blocking coalition as the witness.
 *
 * Complexity: O(2^n) time and memory.
 * @throws MechlabError `ERR_TOO_LARGE` when `n > 20`; `ERR_OUT_OF_RANGE` when `payoff` has the wrong
 *   length or a non-finite entry.
 * @example coreCheck({ kind: 'characteristic', n: 2, values: Float64Array.of(0, 1, 1, 3) }, [1.5, 1.5]) // { status: 'in-core', maxExcess: -0.5 }
 */
export function coreCheck(
  game: CharacteristicGame,
  payoff: ArrayLike<number>,
  options: CoreCheckOptions = {},
): CoreCheckResult {
  const { n, values } = game;
  checkTable(game);
  parseWithSchema(coreCheckInput(n), { payoff, options }, '');
  const size = 1 << n;
  const full = size - 1;
  const grand = values[full]!;
  const tol = options.tolerance ?? 1e-9 * Math.max(1, Math.abs(grand));
  const alloc = new Float64Array(size);
  for (let mask = 1; mask < size; mask++) {
    const low = mask & -mask;
    alloc[mask] = alloc[mask ^ low]! + payoff[31 - Math.clz32(low)]!;
  }
  const total = alloc[full]!;
  if (Math.abs(total - grand) > tol) return { status: 'inefficient', total, grand };
  let bestMask = -1;
  let bestExcess = -Infinity;
  for (let mask = 1; mask < full; mask++) {
    const e = values[mask]! - alloc[mask]!;
    if (e > bestExcess) {
      bestExcess = e;
      bestMask = mask;
    }
  }
  if (bestMask < 0 || bestExcess <= tol)
    return { status: 'in-core', maxExcess: bestMask < 0 ? 0 : bestExcess };
  return {
    status: 'blocked',
    coalition: maskMembers(bestMask),
    mask: bestMask,
    value: values[bestMask]!,
    allocated: alloc[bestMask]!,
    excess: bestExcess,
  };
}
