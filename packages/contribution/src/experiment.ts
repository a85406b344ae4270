/**
 * The `contribution.threshold` experiment (MODELS.md §5 outputs, §6 determinism): per-instance
 * simulation, a plain-object task for a future worker pool, per-point aggregation, and a standalone
 * runner over a parameter grid (the sweep engine has not landed yet).
 */
import { Rng, RunningStats, rangeError, typeError, type SeedKey, type Summary } from '@mechlab/core';
import {
  CONTRIBUTION_DEFAULTS,
  NUMERIC_PARAM_KEYS,
  contributionGridSchema,
  zodToMechlabError,
  drawContributionInstance,
  postedSubsidy,
  validateContributionParams,
  type ContributionParams,
  type NumericParamKey,
} from './model';
import {
  assignBurdens,
  runSequential,
  runSimultaneous,
  runSubsidy,
  type MechanismOutcome,
} from './mechanisms';

/** Experiment name used in task seeds and by the future sweep registry (MODELS.md §6). */
export const CONTRIBUTION_EXPERIMENT = 'contribution.threshold';

/** The three mechanisms compared, in reporting order. */
export type MechanismName = 'subsidy' | 'simultaneous' | 'sequential';
/** The mechanisms in reporting order: posted subsidy, simultaneous and sequential withdrawal protocols. */
export const MECHANISMS: readonly MechanismName[] = Object.freeze(['subsidy', 'simultaneous', 'sequential']);

/** Outcomes of all mechanisms on one instance (plain object: structured-clone and JSON safe). */
export interface ContributionOutcome {
  readonly subsidy: MechanismOutcome;
  readonly simultaneous: MechanismOutcome;
  readonly sequential: MechanismOutcome;
  /** The posted per-unit subsidy s of this parameter point. */
  readonly subsidyLevel: number;
  /** Users assigned a burden by the reporting mechanisms (0 if Σ q < τ). */
  readonly assigned: number;
}

/**
 * Draw one instance and run all three mechanisms on it (common random numbers: every mechanism sees
 * the same users, costs and shocks). Parameters are assumed valid (see validateContributionParams).
 *
 * Complexity: O(n log n + m·k) with m the users asked by the sequential protocol, k its queue length.
 * @see MODELS.md §5.
 * @example
 * simulateContributionInstance(Rng.seed(1), CONTRIBUTION_DEFAULTS).subsidy.crossed // 0 or 1
 */
export function simulateContributionInstance(rng: Rng, params: ContributionParams): ContributionOutcome {
  const inst = drawContributionInstance(rng, params);
  const asg = assignBurdens(inst, params);
  const s = postedSubsidy(params);
  return {
    subsidy: runSubsidy(inst, params, s),
    simultaneous: runSimultaneous(inst, params, asg),
    sequential: runSequential(inst, params, asg),
    subsidyLevel: s,
    assigned: asg === null ? 0 : asg.k,
  };
}

/**
 * The seed stream of one task: `Rng.fromPath([seed, 'contribution.threshold', point, replicate])` — a pure
 * function of the task's coordinates (MODELS.md §6), so results do not depend on execution order.
 *
 * Complexity: O(1).
 */
export function contributionTaskRng(seed: SeedKey, point: number, replicate: number): Rng {
  return Rng.fromPath([seed, CONTRIBUTION_EXPERIMENT, point, replicate]);
}

/** Input of one worker task: a plain object that carries its own seed (STYLE.md §7). */
export interface ContributionTask {
  readonly seed: SeedKey;
  readonly point: number;
  readonly replicate: number;
  readonly params: ContributionParams;
}

/** Output of one worker task. */
export interface ContributionTaskResult {
  readonly point: number;
  readonly replicate: number;
  readonly outcome: ContributionOutcome;
}

/**
 * Run one task — the function a piscina worker would default-export. Pure: the result depends only on
 * the task object, so tasks may run in any order, on any worker, and re-running one is a no-op.
 *
 * Complexity: as {@link simulateContributionInstance}.
 */
export function runContributionTask(task: ContributionTask): ContributionTaskResult {
  const rng = contributionTaskRng(task.seed, task.point, task.replicate);
  return {
    point: task.point,
    replicate: task.replicate,
    outcome: simulateContributionInstance(rng, task.params),
  };
}

/** Aggregated outputs, one `Summary` (n, mean, std, lo3, hi3, min, max) each. */
export interface ContributionMetrics {
  /** Mean = probability of crossing τ. */
  readonly crossing: Summary;
  readonly totalCost: Summary;
  readonly leakage: Summary;
  readonly participants: Summary;
  readonly supply: Summary;
  /** Total cost over the instances that crossed τ only (n = number of crossings; NaN fields if 0). */
  readonly costIfCrossed: Summary;
}

/** Names of the aggregated outputs, in table order. */
export type ContributionMetric = keyof ContributionMetrics;
/** The aggregated outputs in table order (MODELS.md §5: crossing probability, total cost, leakage, participation). */
export const CONTRIBUTION_METRICS: readonly ContributionMetric[] = Object.freeze([
  'crossing',
  'totalCost',
  'leakage',
  'participants',
  'supply',
  'costIfCrossed',
]);

/** One aggregate row: a parameter point × a mechanism. */
export interface ContributionRow {
  /** Index of the parameter point in the grid (row-major over NUMERIC_PARAM_KEYS order). */
  readonly point: number;
  readonly params: ContributionParams;
  readonly mechanism: MechanismName;
  readonly replicates: number;
  /** The posted subsidy s at this point (same for every mechanism; informative for 'subsidy'). */
  readonly subsidyLevel: number;
  readonly metrics: ContributionMetrics;
}

function summary(r: RunningStats): Summary {
  if (r.n === 0) return { n: 0, mean: NaN, std: NaN, lo3: NaN, hi3: NaN, min: NaN, max: NaN };
  return r.summary();
}

/**
 * Aggregate the outcomes of one parameter point into one row per mechanism. Outcomes are pushed in
 * array order, so pass them indexed by replicate (as the runner does): the rows then do not depend on
 * the order in which the tasks ran.
 *
 * Complexity: O(replicates).
 */
export function aggregateContributionPoint(
  point: number,
  params: ContributionParams,
  outcomes: readonly ContributionOutcome[],
): ContributionRow[] {
  return MECHANISMS.map((m) => {
    const acc = {
      crossing: new RunningStats(),
      totalCost: new RunningStats(),
      leakage: new RunningStats(),
      participants: new RunningStats(),
      supply: new RunningStats(),
      costIfCrossed: new RunningStats(),
    };
    for (const o of outcomes) {
      const r = o[m];
      acc.crossing.push(r.crossed);
      acc.totalCost.push(r.totalCost);
      acc.leakage.push(r.leakage);
      acc.participants.push(r.participants);
      acc.supply.push(r.supply);
      if (r.crossed === 1) acc.costIfCrossed.push(r.totalCost);
    }
    return {
      point,
      params,
      mechanism: m,
      replicates: outcomes.length,
      subsidyLevel: postedSubsidy(params),
      metrics: {
        crossing: summary(acc.crossing),
        totalCost: summary(acc.totalCost),
        leakage: summary(acc.leakage),
        participants: summary(acc.participants),
        supply: summary(acc.supply),
        costIfCrossed: summary(acc.costIfCrossed),
      },
    };
  });
}

/** Values to sweep per numeric parameter; unspecified parameters stay at their base value. */
export type ContributionGrid = Partial<Record<NumericParamKey, readonly number[]>>;

/** Configuration of {@link runContributionExperiment}. */
export interface ContributionExperimentConfig {
  /** Master seed. */
  readonly seed: SeedKey;
  /** Instances per parameter point. */
  readonly replicates: number;
  /** Base parameters (defaults: CONTRIBUTION_DEFAULTS). */
  readonly params?: Partial<ContributionParams>;
  /** Parameter grid; the points are its Cartesian product. */
  readonly grid?: ContributionGrid;
}

/**
 * Expand base parameters and a grid into the list of parameter points (Cartesian product, nested in
 * NUMERIC_PARAM_KEYS order with the first key slowest), each validated.
 *
 * Complexity: O(points).
 * @throws MechlabError naming the field and the grid point.
 */
export function expandContributionGrid(
  base: Partial<ContributionParams> = {},
  grid: ContributionGrid = {},
): ContributionParams[] {
  const g = contributionGridSchema.safeParse(grid, { reportInput: true });
  if (!g.success) throw zodToMechlabError(g.error, 'grid');
  const full: ContributionParams = { ...CONTRIBUTION_DEFAULTS, ...definedOnly(base) };
  validateContributionParams({ ...full, ...gridFirstValues(grid) });
  const keys = NUMERIC_PARAM_KEYS.filter((k) => grid[k] !== undefined);
  let points: ContributionParams[] = [full];
  for (const k of keys) {
    const values = grid[k]!;
    const nextPoints: ContributionParams[] = [];
    for (const p of points) for (const v of values) nextPoints.push({ ...p, [k]: v });
    points = nextPoints;
  }
  points.forEach((p, i) => validateContributionParams(p, points.length > 1 ? ` (grid point ${i})` : ''));
  return points;
}

function definedOnly(p: Partial<ContributionParams>): Partial<ContributionParams> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v;
  return out as Partial<ContributionParams>;
}

function gridFirstValues(grid: ContributionGrid): Partial<ContributionParams> {
  const out: Record<string, number> = {};
  for (const k of NUMERIC_PARAM_KEYS) {
    const v = grid[k];
    if (v !== undefined && v.length > 0) out[k] = v[0]!;
  }
  return out;
}

/**
 * Run the `contribution.threshold` experiment: for every grid point and replicate, an instance seeded
 * by `Rng.fromPath([seed, 'contribution.threshold', point, replicate])`, all mechanisms on it, then
 * per-point aggregates (mean, std, 3σ band, n) of crossing probability, total cost, leakage,
 * participation, supply and cost-given-crossing for each mechanism. Deterministic and independent of
 * execution order: a sharded or pooled run gives identical rows.
 *
 * Complexity: O(points · replicates · (n log n + m·k)).
 * @see MODELS.md §5 (outputs) and §6 (task seeds, per-point aggregates).
 * @throws MechlabError (`ERR_OUT_OF_RANGE` / `ERR_INVALID_TYPE`) naming the offending field.
 * @example
 * runContributionExperiment({ seed: 7, replicates: 200, grid: { tau: [10, 20] } }).length // 6
 */
export function runContributionExperiment(config: ContributionExperimentConfig): ContributionRow[] {
  const { seed, replicates } = config;
  if (typeof seed !== 'string' && !(typeof seed === 'number' && Number.isFinite(seed))) {
    throw typeError('seed', 'a finite number or a string', seed);
  }
  if (!(Number.isInteger(replicates) && replicates >= 1))
    throw rangeError('replicates', 'an integer ≥ 1', replicates);
  const points = expandContributionGrid(config.params, config.grid);
  const rows: ContributionRow[] = [];
  points.forEach((params, point) => {
    const outcomes: ContributionOutcome[] = new Array<ContributionOutcome>(replicates);
    for (let r = 0; r < replicates; r++) {
      outcomes[r] = runContributionTask({ seed, point, replicate: r, params }).outcome;
    }
    rows.push(...aggregateContributionPoint(point, params, outcomes));
  });
  return rows;
}
