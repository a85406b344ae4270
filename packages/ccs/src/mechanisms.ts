/**
 * Attention-allocation mechanisms and utilities of the CCS game (MODELS.md §1.1; seed 004 §2 Eq. (1),
 * §2.3 (Winner-Takes-All, Tullock) and §3.1 Definition 2 (Provisional Allocation)).
 */
import { MechlabError, parseWithSchema, rangeError, typeError } from '@mechlab/core';
import { z } from 'zod';
import type { CcsInstance } from './instance';
import {
  checkPlayer,
  checkProfile,
  effortCostUnchecked,
  qualitiesUnchecked,
  qualityUnchecked,
} from './quality';

/**
 * A mechanism `M(q) ∈ [0,1]^n`, `Σ_i M_i ≤ 1` (MODELS.md §1.1), keyed on `kind`:
 * - `wta` — Winner-Takes-All (seed 004 §2.3): everything to the strictly highest quality, ties split
 *   equally, all-zero qualities → `1/n` each;
 * - `tullock` — `M_i = q_i / Σ_j q_j`, all-zero → `1/n` each (seed 004 §2.3);
 * - `pra` — Provisional Allocation `M_i = p_i q_i` with `p ≥ 0`, `Σ p ≤ 1` (seed 004 §3.1, Definition 2).
 */
export type Mechanism =
  | { readonly kind: 'wta' }
  | { readonly kind: 'tullock' }
  | { readonly kind: 'pra'; readonly p: Float64Array };

/**
 * Relative tolerance under which two WTA qualities count as tied: `q_j ≥ q_max · (1 − WTA_TIE_RTOL)`.
 * Ties are a measure-zero event in the paper, but on an effort grid they are common (e.g. `0.3·0.5`
 * against `0.15·1`), and float rounding would otherwise pick a "winner" by the last ulp. 1e-12 is far
 * above the rounding error of a quality (a handful of multiply-adds) and far below any real difference.
 */
export const WTA_TIE_RTOL = 1e-12;

/** Slack on `Σ p ≤ 1` (MODELS.md §1.1), so portions computed in floating point are not rejected. */
export const PORTION_SUM_TOL = 1e-9;

/**
 * @internal Validate a portion vector: length n, every entry a finite number ≥ 0, `Σ p ≤ 1 + 1e-9`.
 * O(n). The field name is `p` (so messages read `p[3] must be ≥ 0, got -1`).
 *
 * Hand-written, not zod (hot path): it runs on every equilibrium, utility and best-response call,
 * often inside sweeps and user loops, over portion vectors that are typed arrays of up to 10⁶ entries,
 * where zod's element-wise parse costs ~50× this loop (validate.ts).
 */
export function checkPortions(p: unknown, n: number, field = 'p'): asserts p is ArrayLike<number> {
  if (p === null || typeof p !== 'object' || typeof (p as { length?: unknown }).length !== 'number') {
    throw typeError(field, `an array of ${n} portions`, p);
  }
  const arr = p as ArrayLike<unknown>;
  if (arr.length !== n) throw rangeError(`${field}.length`, `${n} (one portion per player)`, arr.length);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || Number.isNaN(v)) throw typeError(`${field}[${i}]`, 'a number', v);
    if (!(v >= 0)) throw rangeError(`${field}[${i}]`, '≥ 0', v);
    if (!Number.isFinite(v)) throw rangeError(`${field}[${i}]`, 'finite', v);
    sum += v;
  }
  if (sum > 1 + PORTION_SUM_TOL) {
    throw new MechlabError(
      'ERR_OUT_OF_RANGE',
      `${field} must sum to at most 1 (tolerance ${PORTION_SUM_TOL}), got Σ${field} = ${sum}`,
      field,
    );
  }
}

/** The boundary schema of a {@link Mechanism}'s kind (PRA's portions: {@link checkPortions}). */
const mechanismSchema = z.object({ kind: z.enum(['wta', 'tullock', 'pra']) });

/**
 * Validate a mechanism for an `n`-player game (kind, and for PRA the portions: length n, `p_i ≥ 0`,
 * `Σ p ≤ 1` with tolerance 1e-9).
 *
 * Complexity O(n).
 * @throws MechlabError `ERR_INVALID_TYPE` (`mech`, `p[i]`), `ERR_INVALID_INPUT` (`mech.kind`) or
 *   `ERR_OUT_OF_RANGE` (`p.length`, `p[i]`, `p`).
 * @example
 * validateMechanism({ kind: 'pra', p: Float64Array.of(0.5, -1) }, 2);
 * // throws MechlabError ERR_OUT_OF_RANGE "p[1] must be ≥ 0, got -1"
 */
export function validateMechanism(mech: Mechanism, n: number): void {
  parseWithSchema(mechanismSchema, mech, 'mech');
  if (mech.kind === 'pra') checkPortions(mech.p, n);
}

/**
 * @internal `M_i(q)` for one player without validation (so utilities need no allocation vector).
 * O(n) for WTA/Tullock (they look at every quality), O(1) for PRA.
 */
export function allocationOf(mech: Mechanism, q: ArrayLike<number>, n: number, i: number): number {
  if (mech.kind === 'pra') return mech.p[i]! * q[i]!;
  if (mech.kind === 'tullock') {
    let s = 0;
    for (let j = 0; j < n; j++) s += q[j]!;
    return s > 0 ? q[i]! / s : 1 / n;
  }
  let qmax = 0;
  for (let j = 0; j < n; j++) if (q[j]! > qmax) qmax = q[j]!;
  if (qmax === 0) return 1 / n;
  const bar = qmax * (1 - WTA_TIE_RTOL);
  if (q[i]! < bar) return 0;
  let ties = 0;
  for (let j = 0; j < n; j++) if (q[j]! >= bar) ties++;
  return 1 / ties;
}

/** @internal {@link allocate} without validation. O(n). */
export function allocateUnchecked(
  mech: Mechanism,
  q: ArrayLike<number>,
  n: number,
  out: Float64Array,
): Float64Array {
  if (mech.kind === 'pra') {
    for (let i = 0; i < n; i++) out[i] = mech.p[i]! * q[i]!;
    return out;
  }
  if (mech.kind === 'tullock') {
    let s = 0;
    for (let j = 0; j < n; j++) s += q[j]!;
    for (let i = 0; i < n; i++) out[i] = s > 0 ? q[i]! / s : 1 / n;
    return out;
  }
  let qmax = 0;
  for (let j = 0; j < n; j++) if (q[j]! > qmax) qmax = q[j]!;
  if (qmax === 0) {
    out.fill(1 / n, 0, n);
    return out;
  }
  const bar = qmax * (1 - WTA_TIE_RTOL);
  let ties = 0;
  for (let j = 0; j < n; j++) if (q[j]! >= bar) ties++;
  for (let i = 0; i < n; i++) out[i] = q[i]! >= bar ? 1 / ties : 0;
  return out;
}

/**
 * Attention shares `M(q)` (MODELS.md §1.1; seed 004 §2.3 and Definition 2):
 * WTA — all to the strictly highest quality, ties (relative tolerance {@link WTA_TIE_RTOL}) split
 * equally, all-zero → `1/n`; Tullock — `q_i / Σ q`, all-zero → `1/n`; PRA — `p_i q_i`.
 *
 * Complexity O(n); no allocation when `out` (length n) is supplied.
 * @throws MechlabError for a bad mechanism (see {@link validateMechanism}), negative/NaN qualities
 *   (`q[i]`) or a wrong `out.length`.
 * @example
 * allocate({ kind: 'wta' }, [0.3, 0.7, 0.7]);       // → Float64Array [0, 0.5, 0.5]
 * allocate({ kind: 'tullock' }, [0, 0, 0]);          // → Float64Array [1/3, 1/3, 1/3]
 * allocate({ kind: 'pra', p: Float64Array.of(0.5, 0.25) }, [0.5, 1]); // → Float64Array [0.25, 0.25]
 */
export function allocate(mech: Mechanism, q: ArrayLike<number>, out?: Float64Array): Float64Array {
  // Hand-written (hot path): one pass over a quality vector of up to 10⁶ entries, as checkPortions.
  if (q === null || typeof q !== 'object' || typeof q.length !== 'number') {
    throw typeError('q', 'an array of qualities', q);
  }
  const n = q.length;
  if (n < 1) throw rangeError('q.length', '≥ 1', n);
  validateMechanism(mech, n);
  for (let i = 0; i < n; i++) {
    const v = q[i];
    if (typeof v !== 'number' || Number.isNaN(v)) throw typeError(`q[${i}]`, 'a number', v);
    if (!(v >= 0) || !Number.isFinite(v)) throw rangeError(`q[${i}]`, 'a finite number ≥ 0', v);
  }
  if (out !== undefined && out.length !== n) throw rangeError('out.length', `${n}`, out.length);
  return allocateUnchecked(mech, q, n, out ?? new Float64Array(n));
}

/**
 * @internal `u_i(x) = M_i(q(x)) − c_i(x_i)` without validation. `qBuf` (length n) is scratch for the
 * WTA/Tullock qualities; PRA needs only `q_i`. O(in-deg(i)) for PRA + graph, O(n + |E|) otherwise.
 */
export function utilityUnchecked(
  inst: CcsInstance,
  mech: Mechanism,
  x: ArrayLike<number>,
  i: number,
  qBuf: Float64Array,
): number {
  const cost = effortCostUnchecked(inst, i, x[i]!);
  if (mech.kind === 'pra') return mech.p[i]! * qualityUnchecked(inst, x, i) - cost;
  qualitiesUnchecked(inst, x, qBuf);
  return allocationOf(mech, qBuf, inst.n, i) - cost;
}

/**
 * Utility `u_i(x) = M_i(q(x)) − c_i(x_i)` (MODELS.md §1.1; seed 004 Eq. (1)).
 *
 * Complexity O(n + |E|) (validation and, for WTA/Tullock, every quality).
 * @throws MechlabError naming `i`, `x…`, `mech.kind` or `p…`.
 * @example
 * const inst = createCcsInstance({ theta: [1, 1], cost: [0.25, 0.25] });
 * utility(inst, { kind: 'tullock' }, [1, 0.5], 0); // → 1/1.5 − 0.25 ≈ 0.41667
 */
export function utility(inst: CcsInstance, mech: Mechanism, x: ArrayLike<number>, i: number): number {
  checkPlayer(inst, i);
  checkProfile(inst, x);
  validateMechanism(mech, inst.n);
  return utilityUnchecked(inst, mech, x, i, new Float64Array(inst.n));
}
