/**
 * Multiple-choice knapsack (MCKP): pick exactly one item from every class, total weight ≤ capacity,
 * maximising total profit. Exact dynamic programming over (class, used capacity) — the kernel behind
 * the No-Spillover Relaxation of seed 004 (Algorithm 1, Lemma 10, Appendix C; MODELS.md §1.3.2) and the
 * stand-alone `mechlab solve mckp` command (FORMATS.md `mckp-instance`).
 *
 * Both entry points use "budget ≤ b" value rows: `V_i(b)` = best profit of classes `0..i` with total
 * weight at most `b` (`−∞` when no choice fits). Rows are non-decreasing in `b`, which the dense kernel
 * exploits to skip dominated items. Only two value rows live at a time (rolling `Float64Array`s); the
 * argmax item of every (class, budget) cell is kept in one `Int16Array`/`Int32Array` table for the
 * reconstruction, so memory is `O(n·C)` small integers plus `O(C)` floats.
 *
 * Tie-breaking (deterministic, identical in both entry points): within a class the item with the
 * lowest index wins among those attaining the maximum for a given remaining budget (strict `>` while
 * scanning items in index order). Reconstruction walks the classes from last to first starting from
 * budget `C`, so the choice is the one this per-cell rule induces.
 *
 * Backends (STYLE.md §3–4): validation and flattening happen here, once, for every backend; the DP
 * itself runs in the kernels of the selected backend — {@link tsMckpKernels} below (the reference,
 * pure TypeScript, no allocation inside the DP loops) or the WebAssembly twin
 * `packages/kernels/assembly/mckp.ts`, which must return identical values and choices. `backend` is
 * reported on every result as a non-enumerable property, so results of different backends compare
 * equal structurally (`toEqual`) while `r.backend` still says which one ran.
 */
import {
  MechlabError,
  checkBackendName,
  defineKernelFamily,
  parseWithSchema,
  rangeError,
  registerKernels,
  resolveKernels,
  typeError,
  type BackendName,
} from '@mechlab/core';
import { z } from 'zod';
import { parseOptions } from './validate';

/** A solution of the general MCKP kernel; `null` means infeasible. */
export interface MckpKernelResult {
  readonly value: number;
  readonly choice: Int32Array;
  readonly weight: number;
}

/**
 * The multiple-choice knapsack kernels on validated, flattened input (the contract and the tie rule
 * every backend must reproduce are in the module comment): the `mckp` kernel family of the registry.
 */
export interface MckpKernels {
  /**
   * General MCKP: class `i` owns items `classStart[i] .. classStart[i+1]-1` with integer `weights`
   * (≥ 0; items heavier than `capacity` are never chosen) and finite `profits`; `maxItems` is the
   * largest class size. Returns `null` when no choice fits.
   */
  general(
    n: number,
    capacity: number,
    classStart: Int32Array,
    weights: Float64Array,
    profits: Float64Array,
    maxItems: number,
  ): MckpKernelResult | null;
  /** Dense NSR layout: `n` classes of the `D + 1` items `k = 0..D` (weight `k`), capacity `D`. */
  dense(n: number, D: number, profits: Float64Array): MckpKernelResult;
}

declare module '@mechlab/core' {
  interface KernelFamilies {
    /** The MCKP kernels (mckp.ts). */
    readonly mckp: MckpKernels;
  }
}
defineKernelFamily('mckp', { what: 'the MCKP kernels' });

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { max } = Math;
const { isFinite: isFiniteNumber } = Number;
const INF = Infinity;

/** One MCKP item. */
export interface MckpItem {
  readonly weight: number;
  readonly profit: number;
}

/** A general MCKP instance (FORMATS.md `mckp-instance`). */
export interface MckpProblem {
  readonly capacity: number;
  readonly classes: ReadonlyArray<ReadonlyArray<MckpItem>>;
}

/** MCKP outcome: a union keyed on `status` (STYLE.md §9). Infeasibility is an answer, not an error. */
export type MckpResult = (
  | {
      readonly status: 'optimal';
      /** Total profit of the chosen items. */
      readonly value: number;
      /** Chosen item index per class. */
      readonly choice: Int32Array;
      /** Total weight of the chosen items (≤ capacity). */
      readonly weight: number;
    }
  | { readonly status: 'infeasible' }
) & {
  /** Which backend ran the DP (non-enumerable, see the module comment). */
  readonly backend: BackendName;
};

/** Options of {@link solveMckp} and {@link solveMckpDense}. */
export interface MckpOptions {
  /** `'ts'` or `'wasm'` (when registered); default: the fastest available. */
  readonly backend?: BackendName;
}

/** Result of the dense kernel (always feasible: item 0 of every class weighs 0). */
export interface MckpDenseResult {
  readonly value: number;
  /** Chosen item per class, which is also its weight `k ∈ {0..D}`. */
  readonly choice: Int32Array;
  readonly weight: number;
  /** Which backend ran the DP (non-enumerable, see the module comment). */
  readonly backend: BackendName;
}

/**
 * Largest argmax table (classes × (capacity + 1) cells) the solvers agree to allocate: 2^28 cells is
 * 512 MiB as `Int16Array`. Larger instances get `ERR_TOO_LARGE` instead of an out-of-memory crash.
 */
export const MCKP_MAX_CELLS = 2 ** 28;

/**
 * Solve a general multiple-choice knapsack instance exactly.
 *
 * Items heavier than the capacity are never chosen; profits may be negative (every class still
 * contributes exactly one item). Ties: lowest item index per (class, budget) cell — see the module
 * comment.
 *
 * Complexity: `O(Σ_classes items · (C + 1))` time, `O(n · (C + 1))` small integers + `O(C)` floats memory.
 *
 * @throws MechlabError `ERR_INVALID_TYPE` / `ERR_OUT_OF_RANGE` naming the field, e.g.
 *   `classes[2][1].weight must be an integer, got 1.5`; `ERR_TOO_LARGE` when
 *   `n · (C + 1) > MCKP_MAX_CELLS`; `ERR_INVALID_TYPE` / `ERR_INVALID_INPUT` naming `backend` for an
 *   unknown, unregistered or unavailable backend.
 * @param opts `backend`: `'ts'`, `'wasm'` (when registered) or omitted for the fastest available.
 * @see seed 004, Appendix C (Lemma 10) — MCKP by dynamic programming (Kellerer et al. 2004).
 * @example
 * solveMckp({ capacity: 3, classes: [[{ weight: 0, profit: 0 }, { weight: 2, profit: 5 }],
 *                                    [{ weight: 1, profit: 1 }, { weight: 2, profit: 3 }]] })
 * // → { status: 'optimal', value: 6, choice: Int32Array [1, 0], weight: 3 }
 */
export function solveMckp(instance: MckpProblem, opts: MckpOptions = {}): MckpResult {
  const backend = checkOptions(opts);
  // zod at the boundary: an item costs ~0.1 µs to parse, far below its share of the O(n·C) DP.
  const { capacity: C, classes } = parseWithSchema(
    mckpProblemSchema,
    instance,
    instance !== null && typeof instance === 'object' ? '' : 'instance',
  );
  const n = classes.length;
  let maxItems = 0;
  let totalItems = 0;
  for (const cls of classes) {
    maxItems = max(maxItems, cls.length);
    totalItems += cls.length;
  }
  const width = C + 1;
  checkTable(n, width, 'solveMckp');

  // Flatten once so the DP reads typed arrays only (weights beyond C are kept; the loop skips them).
  const classStart = new Int32Array(n + 1);
  const weights = new Float64Array(totalItems);
  const profits = new Float64Array(totalItems);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const cls = classes[i]!;
    classStart[i] = at;
    for (let t = 0; t < cls.length; t++) {
      weights[at] = cls[t]!.weight;
      profits[at] = cls[t]!.profit;
      at++;
    }
  }
  classStart[n] = at;

  const { name, kernels } = resolveKernels('mckp', backend);
  const r = kernels.general(n, C, classStart, weights, profits, maxItems);
  return withBackend(
    r === null ? { status: 'infeasible' as const } : { status: 'optimal' as const, ...r },
    name,
  );
}

/**
 * Dense MCKP kernel for the NSR special case (seed 004, Algorithm 1 / Lemma 10): `n` classes, every
 * class has the `D + 1` items `k = 0..D` with weight `k`, capacity `D`. `profits[i·(D+1) + k]` is the
 * profit of item `k` in class `i`.
 *
 * Structure exploited: item 0 weighs 0, so the problem is always feasible; and because the value rows
 * are non-decreasing in the budget, an item whose profit does not beat a lighter item of the same class
 * can never win a cell under the lowest-index tie rule (float addition is monotone), so it is skipped.
 * For NSR with linear costs every class is a step function — only two undominated items — and the DP
 * runs in `O(n · D)`; the worst case is `O(n · D²)`. Results (value and choice) are identical to
 * {@link solveMckp} on the expanded instance.
 *
 * Memory: `O(n · (D + 1))` small integers (argmax table) + `O(D)` floats.
 *
 * @param n number of classes (≥ 0)
 * @param D capacity and largest item weight (integer ≥ 0)
 * @param profits `n · (D + 1)` finite profits, class-major
 * @throws MechlabError `ERR_OUT_OF_RANGE` for a bad `n`, `D`, profits length or a non-finite profit
 *   (`profits[17]`); `ERR_TOO_LARGE` when `n · (D + 1) > MCKP_MAX_CELLS`; `backend` errors as
 *   {@link solveMckp}.
 * @example
 * solveMckpDense(2, 2, new Float64Array([0, 1, 1, 0, 0, 3])) // → { value: 3, choice: [0, 2], weight: 2 }
 */
export function solveMckpDense(
  n: number,
  D: number,
  profits: Float64Array,
  opts: MckpOptions = {},
): MckpDenseResult {
  const backend = checkOptions(opts);
  parseWithSchema(countSchema, n, 'n');
  parseWithSchema(countSchema, D, 'D');
  const width = D + 1;
  // Hand-written (hot path): NSR calls this on every solve with an n·(D+1) table of up to 2.7·10⁸
  // floats, where zod's element-wise parse would cost ~50× this loop (validate.ts).
  if (!(profits instanceof Float64Array)) throw typeError('profits', 'a Float64Array', profits);
  if (profits.length !== n * width) {
    throw rangeError('profits', `a Float64Array of length n·(D+1) = ${n * width}`, profits.length);
  }
  for (let t = 0; t < profits.length; t++) {
    if (!isFiniteNumber(profits[t]!)) throw rangeError(`profits[${t}]`, 'a finite number', profits[t]);
  }
  checkTable(n, width, 'solveMckpDense');

  const { name, kernels } = resolveKernels('mckp', backend);
  return withBackend({ ...kernels.dense(n, D, profits) }, name);
}

function checkTable(n: number, width: number, who: string): void {
  if (n * width > MCKP_MAX_CELLS) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `${who}: the DP table would have ${n} × ${width} cells (limit ${MCKP_MAX_CELLS}); reduce the capacity or the number of classes`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// The TypeScript reference kernels (backend 'ts'); the WASM twin is packages/kernels/assembly/mckp.ts.
// ---------------------------------------------------------------------------------------------------

function mckpGeneralTs(
  n: number,
  C: number,
  classStart: Int32Array,
  weights: Float64Array,
  profits: Float64Array,
  maxItems: number,
): MckpKernelResult | null {
  const width = C + 1;
  const arg: Int16Array | Int32Array =
    maxItems <= 0x7fff ? new Int16Array(n * width) : new Int32Array(n * width);
  let prev = new Float64Array(width); // V_{-1}(b) = 0: no classes, any budget.
  let cur = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    cur.fill(-INF);
    const row = i * width;
    arg.fill(-1, row, row + width);
    const s = classStart[i]!;
    const e = classStart[i + 1]!;
    for (let t = s; t < e; t++) {
      const w = weights[t]!;
      if (w > C) continue;
      const pr = profits[t]!;
      const local = t - s;
      // b ascending, reading the previous row only: no in-place hazards. Strict > keeps the lowest index.
      for (let b = w; b <= C; b++) {
        const cand = prev[b - w]! + pr;
        if (cand > cur[b]!) {
          cur[b] = cand;
          arg[row + b] = local;
        }
      }
    }
    const tmp = prev;
    prev = cur;
    cur = tmp;
  }
  const value = n === 0 ? 0 : prev[C]!;
  if (value === -INF) return null;

  const choice = new Int32Array(n);
  let b = C;
  let weight = 0;
  for (let i = n - 1; i >= 0; i--) {
    const local = arg[i * width + b]!;
    choice[i] = local;
    const w = weights[classStart[i]! + local]!;
    weight += w;
    b -= w;
  }
  return { value, choice, weight };
}

function mckpDenseTs(n: number, D: number, profits: Float64Array): MckpKernelResult {
  const width = D + 1;
  const arg: Int16Array | Int32Array = D <= 0x7fff ? new Int16Array(n * width) : new Int32Array(n * width);
  let prev = new Float64Array(width);
  let cur = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    const base = i * width;
    // Item 0 (weight 0) fills every cell first; its argmax entries are the table's initial zeros.
    const p0 = profits[base]!;
    for (let b = 0; b <= D; b++) cur[b] = prev[b]! + p0;
    let best = p0; // best profit of a lighter item: heavier items must beat it strictly to matter
    for (let k = 1; k <= D; k++) {
      const pk = profits[base + k]!;
      if (!(pk > best)) continue;
      best = pk;
      for (let b = k; b <= D; b++) {
        const cand = prev[b - k]! + pk;
        if (cand > cur[b]!) {
          cur[b] = cand;
          arg[base + b] = k;
        }
      }
    }
    const tmp = prev;
    prev = cur;
    cur = tmp;
  }
  const choice = new Int32Array(n);
  let b = D;
  for (let i = n - 1; i >= 0; i--) {
    const k = arg[i * width + b]!;
    choice[i] = k;
    b -= k;
  }
  return { value: n === 0 ? 0 : prev[D]!, choice, weight: D - b };
}

/** The TypeScript reference MCKP kernels, registered as backend `'ts'` (priority 0). */
export const tsMckpKernels: MckpKernels = Object.freeze({ general: mckpGeneralTs, dense: mckpDenseTs });
registerKernels('ts', 'mckp', tsMckpKernels, { priority: 0 });

/** The boundary schema of an {@link MckpProblem} (FORMATS.md `mckp-instance` without `version`). */
const mckpProblemSchema = z.object({
  capacity: z.number().int().min(0),
  classes: z.array(z.array(z.object({ weight: z.number().int().min(0), profit: z.number() })).min(1)),
});

/** A count (`n`, `D`): a non-negative integer. */
const countSchema = z.number().int().min(0);

const mckpOptionsSchema = z.object({ backend: z.unknown().optional() });

function checkOptions(opts: MckpOptions): BackendName | undefined {
  return checkBackendName(parseOptions(mckpOptionsSchema, opts).backend);
}

function withBackend<T extends object>(r: T, name: BackendName): T & { readonly backend: BackendName } {
  return Object.defineProperty(r, 'backend', { value: name, enumerable: false }) as T & {
    readonly backend: BackendName;
  };
}
