/**
 * Stability check on a finite effort grid (MODELS.md §1.2; seed 004 §2.2 Definition 1 and §2.3
 * Proposition 4): does the CCS game under a mechanism have a pure Nash equilibrium on `G^n`, and if not,
 * which best-response cycle witnesses it?
 *
 * A profile `x ∈ G^n` is a pure NE on the grid iff no player gains by a unilateral deviation to another
 * grid point, where a deviation counts only if it improves utility by more than `tol · max(1, |u|)`
 * (default {@link GRID_TOL} = 1e-12): ties and float noise are not deviations.
 */
import { MechlabError, parseWithSchema } from '@mechlab/core';
import { z } from 'zod';
import { GRID_TOL, GridScratch, improves, resolveGrid, scanGridUnchecked } from './best-response';
import type { CcsInstance } from './instance';
import { validateMechanism, type Mechanism } from './mechanisms';
import { checkProfile } from './quality';

/** Options of {@link findPureNash} and {@link enumeratePureNash}. */
export interface PureNashOptions {
  /** Grid: a number of points of the uniform grid `{0, 1/(m−1), …, 1}` (default 21, ≥ 2) or the points. */
  grid?: number | ArrayLike<number>;
  /** Moves of best-response dynamics before giving up with `ERR_NOT_CONVERGED` (default 100 000). */
  maxSteps?: number;
  /** Start profile of the dynamics, snapped to the nearest grid points (default: the top, `max G`). */
  start?: ArrayLike<number>;
  /** Relative slack of a strict improvement (default {@link GRID_TOL} = 1e-12). */
  tol?: number;
  /** Largest `|G|^n` checked exhaustively (default 2²¹ = 2 097 152 profiles); beyond it, dynamics. */
  exhaustiveLimit?: number;
  /**
   * Called during the exhaustive check with (grid profiles scanned, n · |G|^n), every 64 best-response
   * scans and once at the end (for a CLI progress line; the dynamics beyond the limit report nothing).
   */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Result of {@link findPureNash}, keyed on `exists`. `method: 'exhaustive'` means every profile of
 * `G^n` was checked, so `exists: false` is a proof that no pure NE exists on the grid; with
 * `method: 'dynamics'` only best-response dynamics ran, and a cycle is NOT a proof of non-existence.
 */
export type PureNashResult =
  | {
      readonly exists: true;
      /** A pure NE on the grid (exhaustive: the lexicographically largest; dynamics: where it stopped). */
      readonly profile: Float64Array;
      readonly method: 'exhaustive' | 'dynamics';
    }
  | {
      readonly exists: false;
      /**
       * Best-response cycle `x⁰, x¹, …, x^L` with `x^L = x⁰` (first = last, so `L` moves): each step
       * changes one player's effort to her best response on the grid (the largest maximiser), strictly
       * improving her utility.
       */
      readonly cycle: Float64Array[];
      readonly method: 'exhaustive' | 'dynamics';
    };

/** The boundary schema of the scalar {@link PureNashOptions} (`grid` and `start` are effort arrays: resolveGrid, checkProfile). */
const pureNashOptionsSchema = z.object({
  tol: z.number().min(0).default(GRID_TOL),
  maxSteps: z.number().int().min(1).default(100_000),
  exhaustiveLimit: z
    .number()
    .min(0)
    .default(1 << 21),
});

interface Resolved {
  grid: Float64Array;
  tol: number;
  maxSteps: number;
  exhaustiveLimit: number;
  start: Int32Array;
}

function resolveOptions(inst: CcsInstance, mech: Mechanism, opts: PureNashOptions): Resolved {
  validateMechanism(mech, inst.n);
  const { tol, maxSteps, exhaustiveLimit } = parseWithSchema(pureNashOptionsSchema, opts, 'opts');
  const grid = resolveGrid(opts.grid, 'opts.grid');
  const start = new Int32Array(inst.n).fill(grid.length - 1);
  if (opts.start !== undefined) {
    checkProfile(inst, opts.start, 'opts.start');
    for (let i = 0; i < inst.n; i++) start[i] = nearestIndex(grid, opts.start[i]!);
  }
  return { grid, tol, maxSteps, exhaustiveLimit, start };
}

/** Index of the grid point nearest to v (ties → the smaller index). O(log |G|). */
function nearestIndex(grid: Float64Array, v: number): number {
  let lo = 0,
    hi = grid.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (grid[mid]! <= v) lo = mid;
    else hi = mid;
  }
  return Math.abs(grid[hi]! - v) < Math.abs(v - grid[lo]!) ? hi : lo;
}

/** `|G|^n`, or Infinity once it exceeds `limit` (no overflow for large n). */
function profileCount(m: number, n: number, limit: number): number {
  let total = 1;
  for (let i = 0; i < n; i++) {
    total *= m;
    if (total > limit) return Infinity;
  }
  return total;
}

/**
 * Mark, for every profile of `G^n`, how many players are at a grid best response. Profile index
 * `Σ_i k_i · |G|^{n−1−i}` (player 0 most significant ⇒ index order = lexicographic order). For each
 * player `i` and each `x_{−i}` the |G| utilities are computed once and every no-regret grid point is
 * marked, so the whole table costs `n · |G|^n` utility evaluations. A profile is a NE iff its mark is n.
 */
function markBestResponses(
  inst: CcsInstance,
  mech: Mechanism,
  grid: Float64Array,
  tol: number,
  total: number,
  onProgress?: (done: number, total: number) => void,
) {
  const n = inst.n,
    m = grid.length;
  let scans = 0;
  const marks = new Uint8Array(total);
  const s = new GridScratch(n, m);
  const x = new Float64Array(n);
  const stride = new Float64Array(n);
  for (let i = n - 1, st = 1; i >= 0; i--, st *= m) stride[i] = st;
  for (let i = 0; i < n; i++) {
    const st = stride[i]!;
    const block = st * m;
    for (let hi = 0; hi < total; hi += block) {
      for (let lo = 0; lo < st; lo++) {
        const base = hi + lo;
        // Decode x_{−i} from the base index (its digit i is 0).
        let rest = base;
        for (let j = 0; j < n; j++) {
          const d = Math.floor(rest / stride[j]!);
          rest -= d * stride[j]!;
          x[j] = grid[d]!;
        }
        scanGridUnchecked(inst, mech, x, i, grid, s, tol);
        const best = s.best;
        for (let k = 0; k < m; k++) if (!improves(best, s.u[k]!, tol)) marks[base + k * st]!++;
        if (onProgress !== undefined && (++scans & 63) === 0) onProgress(scans * m, n * total);
      }
    }
  }
  // The last call, unless the loop just made it (scans · m = n · |G|^n at the end).
  if (onProgress !== undefined && (scans & 63) !== 0) onProgress(n * total, n * total);
  return { marks, stride };
}

function decode(index: number, stride: Float64Array, grid: Float64Array): Float64Array {
  const x = new Float64Array(stride.length);
  let rest = index;
  for (let j = 0; j < stride.length; j++) {
    const d = Math.floor(rest / stride[j]!);
    rest -= d * stride[j]!;
    x[j] = grid[d]!;
  }
  return x;
}

type DynamicsOutcome = { ne: Float64Array } | { cycle: Float64Array[] } | null;

/**
 * Round-robin (Gauss–Seidel) best-response dynamics on the grid from `start`: players 0, 1, …, n−1, 0, …
 * in turn; a player not at a grid best response moves to the largest maximiser. Stops at a NE (n
 * consecutive players without a move), at the first repeated profile (returns the cycle), or after
 * `maxSteps` moves (returns null). Memory O(moves): the moves are stored as (player, grid index) and
 * the cycle is replayed from the repeated profile, so no profile is copied per step.
 */
function dynamics(
  inst: CcsInstance,
  mech: Mechanism,
  grid: Float64Array,
  start: Int32Array,
  maxSteps: number,
  tol: number,
): DynamicsOutcome {
  const n = inst.n;
  const k = Int32Array.from(start);
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[j] = grid[k[j]!]!;
  const s = new GridScratch(n, grid.length);
  const seen = new Map<string, number>([[k.join(','), 0]]);
  let movePlayer: Int32Array<ArrayBuffer> = new Int32Array(64);
  let moveIndex: Int32Array<ArrayBuffer> = new Int32Array(64);
  let moves = 0,
    idle = 0,
    i = 0;
  while (moves < maxSteps) {
    const b = scanGridUnchecked(inst, mech, x, i, grid, s, tol);
    if (improves(s.best, s.u[k[i]!]!, tol)) {
      if (moves === movePlayer.length) {
        movePlayer = grow(movePlayer);
        moveIndex = grow(moveIndex);
      }
      movePlayer[moves] = i;
      moveIndex[moves] = b;
      moves++;
      k[i] = b;
      x[i] = grid[b]!;
      idle = 0;
      const key = k.join(',');
      const first = seen.get(key);
      if (first !== undefined) {
        // Replay moves first..moves−1 from the repeated profile (x now equals the profile at `first`).
        const cycle: Float64Array[] = [Float64Array.from(x)];
        const y = Float64Array.from(x);
        for (let t = first; t < moves; t++) {
          y[movePlayer[t]!] = grid[moveIndex[t]!]!;
          cycle.push(Float64Array.from(y));
        }
        return { cycle };
      }
      seen.set(key, moves);
    } else if (++idle === n) {
      return { ne: Float64Array.from(x) };
    }
    i = i + 1 === n ? 0 : i + 1;
  }
  return null;
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Search for a pure Nash equilibrium of the CCS game under `mech` on the effort grid `G^n`
 * (MODELS.md §1.2 stability check; seed 004 §2.2 Definition 1, §2.3 Proposition 4).
 *
 * - If `|G|^n ≤ exhaustiveLimit` (default 2²¹) the check is EXHAUSTIVE and is the ground truth: every
 *   profile is tested against every unilateral grid deviation (strict improvement beyond
 *   `tol · max(1, |u|)`). If NEs exist, the lexicographically largest is returned (player 0 most
 *   significant) — under PRA the grid game is supermodular, so this is its greatest equilibrium. If
 *   none exists, a best-response cycle is produced by round-robin dynamics from `start`; it is
 *   guaranteed to be found within `|G|^n` moves because the dynamics cannot stop.
 * - Otherwise only round-robin best-response dynamics run from `start` (default: every player at
 *   `max G`, so under PRA they descend to the greatest grid equilibrium): they return a NE if they stop,
 *   a cycle if a profile repeats. Finding a cycle is then NOT a proof that no NE exists on the grid.
 *
 * Complexity: exhaustive O(n · |G|^n · U) time and O(|G|^n) bytes, where U is the cost of one utility
 * (O(in-deg) for PRA + graph, O(n + |E|) for WTA/Tullock); dynamics O(moves · n · |G| · U) time and
 * O(moves · n) memory for the repeat detection.
 * @throws MechlabError naming `p…`, `opts.grid…`, `opts.start…`, `opts.tol`, `opts.maxSteps`;
 *   `ERR_NOT_CONVERGED` if the dynamics neither stop nor repeat within `maxSteps` moves.
 * @example
 * findPureNash(createCcsInstance(tullockCounterexample()), { kind: 'tullock' }, { grid: 21 });
 * // → { exists: false, method: 'exhaustive',
 * //     cycle: [[0, 1], [0, 0], [0.05, 0], [0.05, 1], [0, 1]] }
 */
export function findPureNash(inst: CcsInstance, mech: Mechanism, opts: PureNashOptions = {}): PureNashResult {
  const r = resolveOptions(inst, mech, opts);
  const total = profileCount(r.grid.length, inst.n, r.exhaustiveLimit);
  if (Number.isFinite(total)) {
    const { marks, stride } = markBestResponses(inst, mech, r.grid, r.tol, total, opts.onProgress);
    for (let idx = total - 1; idx >= 0; idx--) {
      if (marks[idx] === inst.n)
        return { exists: true, profile: decode(idx, stride, r.grid), method: 'exhaustive' };
    }
    const out = dynamics(inst, mech, r.grid, r.start, total + 1, r.tol);
    if (out === null || 'ne' in out) {
      // Unreachable: the dynamics use the exact same utilities and no-regret test as the table.
      throw new MechlabError('ERR_INVALID_INPUT', 'internal: dynamics disagree with the exhaustive check');
    }
    return { exists: false, cycle: out.cycle, method: 'exhaustive' };
  }
  const out = dynamics(inst, mech, r.grid, r.start, r.maxSteps, r.tol);
  if (out === null) {
    throw new MechlabError(
      'ERR_NOT_CONVERGED',
      `opts.maxSteps: best-response dynamics neither stopped nor repeated a profile within ${r.maxSteps} moves`,
      'opts.maxSteps',
    );
  }
  return 'ne' in out
    ? { exists: true, profile: out.ne, method: 'dynamics' }
    : { exists: false, cycle: out.cycle, method: 'dynamics' };
}

/**
 * Every pure Nash equilibrium on the grid `G^n`, in lexicographic order (player 0 most significant),
 * by the exhaustive check of {@link findPureNash} (seed 004 §2.2 Definition 1; MODELS.md §1.2).
 *
 * Complexity O(n · |G|^n · U) time, O(|G|^n) bytes.
 * @throws MechlabError `ERR_TOO_LARGE` if `|G|^n > opts.exhaustiveLimit` (default 2²¹), and the
 *   validation errors of {@link findPureNash}.
 * @example
 * const inst = createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5] });
 * enumeratePureNash(inst, { kind: 'pra', p: Float64Array.of(0.5, 0.5) }, { grid: 2 });
 * // → [[0, 0], [0, 1], [1, 0], [1, 1]]  (p_i θ_i = c_i: both efforts are best responses)
 */
export function enumeratePureNash(
  inst: CcsInstance,
  mech: Mechanism,
  opts: Omit<PureNashOptions, 'maxSteps' | 'start'> = {},
): Float64Array[] {
  const r = resolveOptions(inst, mech, opts);
  const total = profileCount(r.grid.length, inst.n, r.exhaustiveLimit);
  if (!Number.isFinite(total)) {
    throw new MechlabError(
      'ERR_TOO_LARGE',
      `opts.exhaustiveLimit: |G|^n = ${r.grid.length}^${inst.n} exceeds ${r.exhaustiveLimit} profiles`,
      'opts.exhaustiveLimit',
    );
  }
  const { marks, stride } = markBestResponses(inst, mech, r.grid, r.tol, total);
  const out: Float64Array[] = [];
  for (let idx = 0; idx < total; idx++) if (marks[idx] === inst.n) out.push(decode(idx, stride, r.grid));
  return out;
}

/**
 * Is `x` a pure Nash equilibrium against unilateral deviations to grid points (MODELS.md §1.2)? `x`
 * itself need not lie on the grid. A deviation counts only if it improves utility by more than
 * `tol · max(1, |u|)`.
 *
 * Complexity O(n · |G| · U).
 * @throws MechlabError naming `x…`, `p…` or `opts.grid…`.
 * @example
 * isPureNash(createCcsInstance(wtaCounterexample()), { kind: 'wta' }, [0, 0.05]); // → false
 */
export function isPureNash(
  inst: CcsInstance,
  mech: Mechanism,
  x: ArrayLike<number>,
  opts: { grid?: number | ArrayLike<number>; tol?: number } = {},
): boolean {
  checkProfile(inst, x);
  const r = resolveOptions(inst, mech, { grid: opts.grid ?? 21, tol: opts.tol ?? GRID_TOL });
  const xs = Float64Array.from(x);
  const s = new GridScratch(inst.n, r.grid.length + 1);
  // Append x_i itself as an extra "grid point" so its utility is computed by the very same code path.
  const g = new Float64Array(r.grid.length + 1);
  g.set(r.grid);
  for (let i = 0; i < inst.n; i++) {
    g[r.grid.length] = xs[i]!;
    scanGridUnchecked(inst, mech, xs, i, g, s, r.tol);
    if (improves(s.best, s.u[r.grid.length]!, r.tol)) return false;
  }
  return true;
}
