/**
 * Cost estimates of the CLI's algorithms, for {@link admit} (budget.ts). Bytes follow each algorithm's
 * tables; operation counts carry weights fitted on whole CLI runs on the reference machine (see
 * apps/cli/README.md "Resource budgets"), so `ops × nsPerOp()` is the estimated time on this machine.
 * They are estimates for refusing runs that cannot finish, not promises: within a factor of ~3 on the
 * measured sizes.
 */
import { MechlabError } from '@mechlab/core';
import {
  HOP_MAX_CELLS,
  MCKP_MAX_CELLS,
  type CcsAlgo,
  type CcsInstance,
  type MckpInstance,
} from '@mechlab/ccs';
import { bellNumber } from '@mechlab/coalition';
import type { Estimate } from './budget';

const log2 = (x: number) => Math.log2(Math.max(2, x));

/**
 * The weights below are whole-run seconds ÷ 2.5 ns, fitted on the reference machine, where
 * {@link nsPerOp} measures ≈ 1.1 ns: W converts them to calibration operations.
 */
const W = 2.3;

/** Forum: bytes and ops (÷ 2.5 ns) per synthetic question, fitted on whole runs. */
const FORUM_BYTES_PER_Q = 1200;
const FORUM_OPS_PER_Q = 12_000;

/** `1e+9`-style for huge counts, plain below a million. */
export function count(x: number): string {
  return x < 1e6 ? String(Math.round(x)) : x.toPrecision(3);
}

/**
 * `solve ccs`: the δ-grid DPs. NSR (MODELS.md §1.3.2) fills an n × (D+1) profit table (8 bytes) and
 * the MCKP DP's argument table (4 bytes) — measured ≈ 16–22 bytes per cell with the WASM copy, ≈ 45 ns
 * per cell for linear costs, O(n·D²) for quadratic ones. HOP (§1.3.3) keeps n × 2(D+1) cells of
 * 3 bytes and is O(n·D·breakpoints) in practice. Both have structural limits (MCKP_MAX_CELLS,
 * HOP_MAX_CELLS, D ≤ 65535) that no flag lifts. The other solvers do not depend on δ.
 * @throws MechlabError naming `--delta` unless 1/δ is an integer (for every algorithm, as core does).
 */
export function ccsEstimate(algo: CcsAlgo, inst: CcsInstance, delta: number): Estimate | undefined {
  // Core checks the same rule but names its option `delta`; the CLI's contract names the flag.
  const D = Math.round(1 / delta);
  if (!(Math.abs(1 / delta - D) <= 1e-9 * D)) {
    throw new MechlabError(
      'ERR_OUT_OF_RANGE',
      `--delta must be 1/D for a positive integer D (e.g. 0.01, 0.05, 0.25), got ${delta}`,
      '--delta',
    );
  }
  if (algo !== 'nsr' && algo !== 'hop') return undefined;
  const n = inst.n;
  const what = `solve ccs --algo ${algo} with n = ${n} and 1/δ = ${count(D)}`;
  const hint = 'use a coarser --delta';
  if (algo === 'nsr') {
    const cells = n * (D + 1);
    return {
      field: '--delta',
      what,
      hint,
      hardLimit:
        cells > MCKP_MAX_CELLS
          ? `the DP table would have n × (1/δ + 1) = ${count(cells)} cells, over the solver's limit of ${count(MCKP_MAX_CELLS)}`
          : undefined,
      bytes: 20 * cells + 16 * (D + 1),
      ops: W * (inst.costFamily === 'linear' ? 20 * cells : 2 * cells * (D + 1)),
    };
  }
  const cells = 2 * n * (D + 1);
  return {
    field: '--delta',
    what,
    hint,
    hardLimit:
      D > 65535
        ? `the hop solver supports 1/δ ≤ 65535, got ${count(D)}`
        : cells > HOP_MAX_CELLS
          ? `the hop tables would have n × 2(1/δ + 1) = ${count(cells)} cells, over the solver's limit of ${count(HOP_MAX_CELLS)}`
          : undefined,
    bytes: 4 * cells + 16 * (D + 1) * (log2(n) + 4),
    ops: W * (10 * cells),
  };
}

/** `solve mckp`: the dense DP over (class, budget) — n × (C+1) cells of 2–4 bytes, Σ items × (C+1) steps. */
export function mckpEstimate(inst: MckpInstance): Estimate {
  const n = inst.classes.length;
  const width = inst.capacity + 1;
  let items = 0;
  for (const c of inst.classes) items += c.length;
  const cells = n * width;
  return {
    field: 'instance.capacity',
    what: `solve mckp with ${n} classes, ${items} items and capacity ${count(inst.capacity)}`,
    hint: 'rescale the weights to a smaller capacity',
    hardLimit:
      cells > MCKP_MAX_CELLS
        ? `the DP table would have classes × (capacity + 1) = ${count(cells)} cells, over the solver's limit of ${count(MCKP_MAX_CELLS)}`
        : undefined,
    bytes: 4 * cells + 16 * width,
    ops: W * (2 * items * width),
  };
}

/**
 * `solve nash` (MODELS.md §2): heuristics O(n log n) per λ of a ~64-point sweep plus swap local
 * search O(k·n); fitted: n = 10⁵, k = 10⁴ → 2.6 s; n = 10⁶, k = 10³ → 3.2 s; n = 10⁶, k = 10⁵ → over
 * 100 s. The certified DP is capped by the solver itself.
 */
export function nashEstimate(n: number, k: number): Estimate {
  return {
    field: 'instance.uG',
    what: `solve nash with n = ${count(n)} items and k = ${count(k)}`,
    bytes: 96 * n,
    ops: W * (100 * n * log2(n) + 2 * k * n),
  };
}

/**
 * `shapley|mpw --method sample` (MODELS.md §4): samples permutations × n marginal contributions; one
 * contribution costs O(1) for a characteristic function (~20 ops), O(m) for a max-pooling market over
 * m benchmarks, and O(n) for a partition-function lookup (MPW's restaurant sampler). Memory O(n).
 */
export function samplingEstimate(
  command: 'shapley' | 'mpw',
  samples: number,
  game: { n: number; kind: string; benchmarks?: number },
): Estimate {
  const { n } = game;
  const perEval =
    game.kind === 'maxPooling' ? 10 + (game.benchmarks ?? 1) : command === 'mpw' ? 20 + 8 * n : 20;
  return {
    field: '--samples',
    what: `${command} --method sample with ${count(samples)} samples × ${n} players`,
    hint: 'use fewer --samples (the standard error falls as 1/√samples)',
    bytes: 64 * n,
    ops: W * (samples * n * perEval),
  };
}

/**
 * `equilibrium` (MODELS.md §1.2): exhaustive when |G|^n ≤ 2²¹ — n·|G|^(n−1) grid scans, each evaluating
 * the utility at |G| points, and a |G|^n-byte table; otherwise best-response dynamics, modelled as ~100
 * rounds of n scans (fitted: n = 1000, |G| = 101 → 2 s; the dynamics stop at a NE or the first repeated
 * profile, at most 10⁵ moves). Exhaustive: ≈ W·(200 + 10n + |E|) operations per evaluated point, fitted
 * on wta / tullock / pra at n = 2..6 (2026-12-02: 280–650 nsPerOp units per point; n = 3, |G| = 128
 * took 2.4–3.9 s, which the former O(|G| + n + |E|)-per-scan model put at 19 ms).
 */
export function equilibriumEstimate(n: number, edges: number, grid: number): Estimate {
  let total = 1;
  for (let i = 0; i < n && total <= 2 ** 21; i++) total *= grid;
  const scan = grid + n + edges;
  const exhaustive = total <= 2 ** 21;
  return {
    field: '--grid',
    what: `equilibrium on a ${count(grid)}-point grid with n = ${n} players`,
    hint: 'use a coarser --grid',
    bytes: exhaustive ? total + 64 * scan : 64 * scan + 8 * n * 1e3,
    ops: W * (exhaustive ? n * total * (200 + 10 * n + edges) : 400 * n * scan),
  };
}

/**
 * `coalition` guide (MODELS.md §4): each grid point (dispersion × γ × price) enumerates the agents'
 * partitions for MPW — Bell(agents) of them, 115975 at 10 — measured ≈ 1.8 µs per partition and point
 * (27 points × 10 agents: 5.7 s). The field named is the longest list.
 */
export function coalitionEstimate(agents: number, lists: readonly [string, number][]): Estimate {
  const points = lists.reduce((a, [, l]) => a * l, 1);
  const field = lists.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  return {
    field,
    what: `coalition with ${lists.map(([, l]) => l).join(' × ')} = ${count(points)} grid points and ${agents} agents`,
    hint: 'use shorter --dispersions / --gammas / --prices lists or fewer --agents',
    bytes: 64 * points * agents + 2 ** 20 * agents,
    ops: W * (points * (720 * bellNumber(agents) + 1e5)),
  };
}

/**
 * `forum` on synthetic data (MODELS.md §2): the corpus holds `perWeek` questions a week (400 by
 * default, 7602 at `--scale paper`) for 8 training weeks + `rounds`; time and memory grow linearly in
 * the questions (measured: see apps/cli/README.md, "Resource budgets").
 */
export function forumEstimate(rounds: number, M: number, scale: 'default' | 'paper' = 'default'): Estimate {
  const weeks = rounds + 8;
  const questions = weeks * (scale === 'paper' ? 7602 : 400);
  return {
    field: '--rounds',
    what: `forum with ${count(rounds)} synthetic weekly rounds (${count(questions)} questions)`,
    hint: 'use fewer --rounds',
    bytes: 200 * 2 ** 20 + FORUM_BYTES_PER_Q * questions,
    ops: W * (FORUM_OPS_PER_Q * questions * Math.max(1, M / 100)),
  };
}
