/**
 * Sweep specifications (MODELS.md §6) and their deterministic decomposition into points and tasks.
 *
 * This file is also the entry of the browser-safe subpath `@mechlab/sweep/spec`: the spec, its plan,
 * the output files' formats and the figure data, with no Node import anywhere below it (checked by
 * test/spec-browser.test.ts), so the web app runs sweeps with the CLI's own code.
 *
 * Determinism contract: every output byte is a function of the spec alone.
 * - Points are the cartesian product of the grid axes in the spec's key order, last axis fastest.
 * - Instance `r` of a point draws from `Rng.fromPath([seed, experiment, pointKey, r])`, where `pointKey`
 *   is the canonical JSON of the point's resolved parameters. Keying by the parameters (not by the
 *   point's index) means a point's instances do not change when the grid is extended or reordered, and
 *   the same point in two presets sees the same instances.
 * - A task is a block of replicates `[r0, r1)` of one point; the block size depends only on the spec and
 *   the point (never on the worker count), so task ids are stable across runs, workers and shards.
 */
import {
  MechlabError,
  metricColumn,
  parseWithSchema,
  type Experiment,
  type MetricDef,
  type ParamValue,
} from '@mechlab/core';
import { z } from 'zod';
import { AGGREGATE_NUMBER_COLUMNS } from './aggregates';
import { canonicalJson, specHash } from './spec-hash';

/** The experiments a sweep may use, by name. */
export type ExperimentList = readonly Experiment[];

/**
 * Find `name` in `experiments`. O(k).
 * @throws MechlabError ERR_INVALID_INPUT naming `field` (listing the known names) when absent.
 */
function findExperiment(experiments: ExperimentList, name: string, field = 'spec.experiment'): Experiment {
  const e = experiments.find((x) => x.name === name);
  if (!e) {
    const known = experiments.map((x) => x.name).sort();
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field} must be a known experiment (${known.join(', ') || 'none'}) or give "module", got ${JSON.stringify(name)}`,
      field,
    );
  }
  return e;
}

/** The `SPEC.json` document of `mechlab sweep SPEC.json`. */
export interface SweepSpec {
  readonly version: 1;
  /** Experiment name, e.g. `ccs.random-graph` (for a `module` spec: the module's experiment). */
  readonly experiment: string;
  /** Absolute path of the user's experiment module (FORMATS.md "Experiment module"), if any. */
  readonly module?: string | undefined;
  /** Label for figures and summaries (a preset's name, or free text). */
  readonly name: string;
  /** Axis name → values. The sweep visits the cartesian product, last axis fastest. */
  readonly grid: Readonly<Record<string, readonly ParamValue[]>>;
  /** Fixed parameters (the experiment's defaults fill the rest). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Instances per point. */
  readonly replicates: number;
  /** Master seed. */
  readonly seed: number | string;
  /** Replicates per task; `undefined` lets the experiment's cost model choose per point. */
  readonly blockSize?: number | undefined;
}

const paramValue = z.union([z.number(), z.string(), z.boolean()]);

/** Shape-level schema; parameter ranges are checked against the experiment's own schema afterwards. */
const sweepSpecSchema = z
  .object({
    version: z.literal(1).optional(),
    experiment: z.string().min(1).optional(),
    module: z.string().min(1).optional(),
    name: z.string().optional(),
    grid: z.record(z.string(), z.array(paramValue).min(1)),
    params: z.record(z.string(), z.unknown()).optional(),
    replicates: z.int().min(1).max(100_000_000),
    seed: z.union([z.int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1)]),
    blockSize: z.int().min(1).max(1_000_000).optional(),
  })
  .strict();

/**
 * Validate a spec document: shape first, then every fixed parameter and every grid value against the
 * experiment's parameter schema, so the error names the exact field — `spec.grid.n[2] must be ≥ 1, got 0`.
 * O(grid values + points) (each point is resolved once to catch cross-field problems).
 * @throws MechlabError (ERR_INVALID_TYPE | ERR_OUT_OF_RANGE | ERR_INVALID_INPUT) whose `field` starts with `root`.
 * @example parseSweepSpec({experiment: 'ccs.random-graph', grid: {n: [10, 20]}, replicates: 5, seed: 1}, [ccsRandomGraph]).name
 * // 'ccs.random-graph'
 */
export function parseSweepSpec(value: unknown, experiments: ExperimentList, root = 'spec'): SweepSpec {
  const doc = parseWithSchema(sweepSpecSchema, value, root);
  const exp = specExperiment(doc, experiments, root);
  const shape = exp.paramsSchema.shape as Record<string, z.ZodType>;
  const params = doc.params ?? {};
  const axes = Object.keys(doc.grid);
  if (axes.length === 0) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${root}.grid must have at least one axis, got none`,
      `${root}.grid`,
    );
  }
  for (const axis of axes) {
    const field = `${root}.grid.${axis}`;
    const s = shape[axis];
    if (!s) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `${field} is not a parameter of ${exp.name} (expected one of ${Object.keys(shape).join(', ')})`,
        field,
      );
    }
    if (axis in params) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `${field} is also fixed in ${root}.params.${axis}; give it in one place`,
        field,
      );
    }
    const values = doc.grid[axis]!;
    const seen = new Set<string>();
    values.forEach((v, i) => {
      parseWithSchema(s, v, `${field}[${i}]`);
      const k = JSON.stringify(v);
      if (seen.has(k)) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `${field}[${i}] repeats the value ${k}`,
          `${field}[${i}]`,
        );
      }
      seen.add(k);
    });
  }
  // Fixed params: unknown keys are errors (a typo must not silently fall back to a default).
  // Field by field rather than `paramsSchema.partial()`: zod refuses `.partial()` on objects that carry
  // cross-field refinements, and those are checked per resolved point below anyway.
  for (const key of Object.keys(params)) {
    const fieldSchema = shape[key];
    if (fieldSchema === undefined) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `${root}.params has unknown key ${JSON.stringify(key)}`,
        `${root}.params`,
      );
    }
    parseWithSchema(fieldSchema, params[key], `${root}.params.${key}`);
  }
  const spec: SweepSpec = {
    version: 1,
    experiment: exp.name,
    ...(doc.module !== undefined ? { module: doc.module } : {}),
    name: doc.name ?? exp.name,
    grid: doc.grid,
    params,
    replicates: doc.replicates,
    seed: doc.seed,
    blockSize: doc.blockSize,
  };
  // Resolve every point once: catches cross-field refinements of the experiment's schema.
  planPoints(spec, exp, root);
  return spec;
}

/** The experiment a parsed document names: by `module` (already loaded into `experiments`) or by name. */
function specExperiment(
  doc: { experiment?: string | undefined; module?: string | undefined },
  experiments: ExperimentList,
  root: string,
): Experiment {
  if (doc.module !== undefined) {
    const exp = experiments.find((e) => e.source?.module === doc.module);
    if (!exp) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `${root}.module ${doc.module} is not loaded (use loadSweepSpec or runSweep, which load it)`,
        `${root}.module`,
      );
    }
    if (doc.experiment !== undefined && doc.experiment !== exp.name) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `${root}.experiment ${JSON.stringify(doc.experiment)} differs from the module's experiment ${JSON.stringify(exp.name)}; omit it`,
        `${root}.experiment`,
      );
    }
    return exp;
  }
  if (doc.experiment === undefined) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${root} must name an "experiment" or an experiment "module", got neither`,
      `${root}.experiment`,
    );
  }
  return findExperiment(experiments, doc.experiment, `${root}.experiment`);
}

/** One parameter point of a sweep. */
export interface SweepPoint {
  /** Position in the canonical point order. */
  readonly index: number;
  /** The point's grid coordinates (one value per axis). */
  readonly coords: Readonly<Record<string, ParamValue>>;
  /** Resolved parameters: defaults ← spec.params ← coords, validated by the experiment's schema. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Canonical JSON of `params` — the point's component of every seed path. */
  readonly key: string;
}

/** One unit of work: replicates `[r0, r1)` of one point. */
export interface TaskRef {
  /** Position in the canonical task order (point-major, replicate-minor). */
  readonly index: number;
  readonly point: number;
  readonly r0: number;
  readonly r1: number;
  /** Stable id, e.g. `p3r100-150`. */
  readonly id: string;
}

/** Everything derived from a spec: the experiment, its columns, points, tasks and the spec hash. */
export interface SweepPlan {
  readonly spec: SweepSpec;
  readonly experiment: Experiment;
  readonly axes: readonly string[];
  readonly metrics: readonly MetricDef[];
  readonly metricColumns: readonly string[];
  readonly points: readonly SweepPoint[];
  readonly tasks: readonly TaskRef[];
  /** 128-bit hex hash of the canonical spec; a journal or shard belongs to exactly one. */
  readonly specHash: string;
}

function planPoints(
  spec: SweepSpec,
  experiment: Experiment,
  root = 'spec',
): { experiment: Experiment; points: SweepPoint[] } {
  const axes = Object.keys(spec.grid);
  const sizes = axes.map((a) => spec.grid[a]!.length);
  const total = sizes.reduce((a, b) => a * b, 1);
  if (total > 1_000_000) {
    throw new MechlabError(
      'ERR_OUT_OF_RANGE',
      `${root}.grid must have ≤ 1000000 points, got ${total}`,
      `${root}.grid`,
    );
  }
  const points: SweepPoint[] = [];
  const digits = new Array<number>(axes.length).fill(0);
  for (let index = 0; index < total; index++) {
    const coords: Record<string, ParamValue> = {};
    axes.forEach((a, k) => (coords[a] = spec.grid[a]![digits[k]!]!));
    const field = `${root}.grid (point ${index}: ${JSON.stringify(coords)})`;
    const params = parseWithSchema(experiment.paramsSchema, { ...spec.params, ...coords }, field) as Record<
      string,
      unknown
    >;
    points.push({ index, coords, params, key: canonicalJson(params) });
    // Odometer increment, last axis fastest.
    for (let k = axes.length - 1; k >= 0; k--) {
      if (++digits[k]! < sizes[k]!) break;
      digits[k] = 0;
    }
  }
  return { experiment, points };
}

/** Default replicates per task when the experiment gives no cost model. */
const DEFAULT_BLOCK_SIZE = 50;
/**
 * Work per task the automatic block size aims for, in the experiment's cost units (≈ inner-loop steps).
 * 4·10⁶ steps is ~10–50 ms of work: large enough that per-task overhead (a message and one journal
 * append) is < 1 %, small enough that 2 workers balance well and a crash loses little.
 */
const TARGET_TASK_COST = 4e6;
/** Upper bound on automatic blocks: keeps progress granular and resume losses small for cheap points. */
const MAX_AUTO_BLOCK = 250;

/**
 * Expand a validated spec into points and tasks. O(points + tasks).
 * @example planSweep(spec, [ccsRandomGraph]).tasks[0].id // 'p0r0-250'
 */
export function planSweep(spec: SweepSpec, experiments: ExperimentList): SweepPlan {
  const { experiment, points } = planPoints(spec, specExperiment(spec, experiments, 'spec'));
  const metrics = experiment.metrics(points[0]!.params);
  const metricColumns = metrics.map(metricColumn);
  checkColumns(spec, experiment, points, metricColumns);
  const tasks: TaskRef[] = [];
  for (const p of points) {
    const b = blockSizeFor(spec, experiment, p);
    for (let r0 = 0; r0 < spec.replicates; r0 += b) {
      const r1 = Math.min(spec.replicates, r0 + b);
      tasks.push({ index: tasks.length, point: p.index, r0, r1, id: `p${p.index}r${r0}-${r1}` });
    }
  }
  return {
    spec,
    experiment,
    axes: Object.keys(spec.grid),
    metrics,
    metricColumns,
    points,
    tasks,
    specHash: specHash(spec),
  };
}

/** Column names the output files use besides grid axes and metrics. */
const RESERVED_COLUMNS = new Set<string>([
  'point',
  'replicate',
  'algo',
  'metric',
  ...AGGREGATE_NUMBER_COLUMNS,
]);

/** Every point must write the same metric columns, and no column name may be used twice. */
function checkColumns(
  spec: SweepSpec,
  exp: Experiment,
  points: readonly SweepPoint[],
  cols: readonly string[],
): void {
  if (cols.length === 0) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `experiment ${exp.name} declares no metrics`,
      'spec.experiment',
    );
  }
  const key = cols.join(',');
  for (const p of points) {
    if (exp.metrics(p.params).map(metricColumn).join(',') !== key) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `spec.grid changes the metric columns of ${exp.name} (point ${p.index}); move that parameter to spec.params`,
        'spec.grid',
      );
    }
  }
  const seen = new Set<string>();
  for (const c of [...Object.keys(spec.grid), ...cols]) {
    if (RESERVED_COLUMNS.has(c) || seen.has(c)) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `column name ${JSON.stringify(c)} is reserved or repeated in the output files; rename the parameter or metric`,
        'spec.grid',
      );
    }
    seen.add(c);
  }
}

function blockSizeFor(spec: SweepSpec, exp: Experiment, p: SweepPoint): number {
  if (spec.blockSize !== undefined) return spec.blockSize;
  if (!exp.cost) return DEFAULT_BLOCK_SIZE;
  const c = exp.cost(p.params);
  return Math.max(1, Math.min(MAX_AUTO_BLOCK, Math.floor(TARGET_TASK_COST / Math.max(c, 1))));
}

// The rest of `@mechlab/sweep/spec`: the output files' formats and the figure data (all pure code).
export * from './aggregates';
export { formatNumber } from './csv-format';
export { figureChart, figureData } from './figure';
export { parseManifest } from './manifest-format';
