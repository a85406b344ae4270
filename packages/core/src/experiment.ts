/**
 * The experiment interface of Monte Carlo sweeps (MODELS.md §6: "a sweep = experiment name + parameter
 * grid + replicates + seed"). It lives in core, below every domain package, so each model package
 * exports its own experiments and the sweep engine (`@mechlab/sweep`) depends on none of them.
 *
 * An experiment turns one seeded `Rng` and one resolved parameter point into a fixed-length row of
 * metrics. Everything the engine needs — the parameters (a zod object, so bad specs name the field),
 * the metric columns, the relative cost of an instance, the theory line — lives on this one object.
 *
 * Worker threads and queue workers are separate isolates: they find an experiment by `source`, the
 * module that exports it and the export's name, never through a registry filled by side effects.
 *
 * A user's experiment is a plain JavaScript module (FORMATS.md "Experiment module"): parameters
 * declared as data (`{ default, min, max, integer, values }`), metric names, and
 * `run(rng, params) → number[]`. {@link experimentFromModule} checks such a module and wraps it into an
 * `Experiment`, so its parameters are validated exactly like a built-in's.
 */
import { z } from 'zod';
import { MechlabError } from './errors';
import { addMechlabIssue, addRangeIssue, parseWithSchema } from './validate';
import type { Rng } from './rng';

/** A grid coordinate or parameter value that can appear in a CSV column and a seed key. */
export type ParamValue = number | string | boolean;

/**
 * One metric column: `algo` (e.g. `gcs`) × `metric` (e.g. `welfare`) → column `gcs_welfare`; an empty
 * `algo` (a user experiment's plain metric) → column `metric`.
 */
export interface MetricDef {
  readonly algo: string;
  readonly metric: string;
}

/** The parameter object an experiment receives: its schema's output, as a plain record. */
export type ExperimentParams = Readonly<Record<string, unknown>>;

/** Where a worker imports an experiment from: a module (absolute path) and the export's name. */
export interface ExperimentSource {
  readonly module: string;
  readonly export: string;
}

/**
 * An experiment. `P` is the output type of `paramsSchema`; the engine only ever passes values that
 * schema accepted (with its defaults filled in).
 */
export interface Experiment<P extends ExperimentParams = ExperimentParams> {
  /** e.g. `ccs.random-graph`; part of every instance's seed path. */
  readonly name: string;
  readonly description: string;
  /** Every parameter, with defaults. Grid axes must be keys of this object. */
  readonly paramsSchema: z.ZodObject;
  /** Human labels for axes, algorithms and metrics in figures (`costMax` → `cost scale c_max`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Metric columns for a parameter point, in output order. Must not depend on grid axes. */
  metrics(params: P): readonly MetricDef[];
  /**
   * Play one instance: draw everything from `rng` and write `metrics(params).length` numbers into
   * `out[offset …]`. NaN means "not computed for this instance" and becomes an empty CSV field. May be
   * async (e.g. a model whose utility provider is async); the engine awaits it.
   */
  run(rng: Rng, params: P, out: Float64Array, offset: number): void | Promise<void>;
  /** Theory's value for a metric (shared by all algorithms), e.g. the Corollary 13 line; NaN if none. */
  predict?(params: P, metric: string): number;
  /** Relative cost of one instance (any unit) — sizes task blocks and schedules the heavy ones first. */
  cost?(params: P): number;
  /**
   * The range a metric's values live in, by metric name (e.g. `[0, 1]` for a probability): figures clip
   * the ±3σ band to it (the aggregates keep the raw band).
   */
  readonly bounds?: Readonly<Record<string, readonly [number, number]>>;
  /** Where worker threads and queue workers import this experiment from. */
  readonly source?: ExperimentSource;
}

/** A named sweep: the `SPEC.json` a preset stands for (the sweep engine validates it). */
export interface SweepPreset {
  readonly name: string;
  readonly experiment: string;
  readonly grid: Readonly<Record<string, readonly ParamValue[]>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly replicates: number;
  readonly seed: number | string;
}

const NAME_RE = /^[a-z0-9][a-z0-9._-]*$/i;

/** `gcs_welfare` for `{algo: 'gcs', metric: 'welfare'}`; `heads` for `{algo: '', metric: 'heads'}`. */
export function metricColumn(m: MetricDef): string {
  return m.algo === '' ? m.metric : `${m.algo}_${m.metric}`;
}

/**
 * The module path of the file that calls it, or `''` where there is none (a browser bundle): built-in
 * experiments pass their own `__filename`, which a bundler leaves undefined.
 */
export function sourceOf(filename: string | undefined, exportName: string): ExperimentSource | undefined {
  return typeof filename === 'string' && filename !== ''
    ? { module: filename, export: exportName }
    : undefined;
}

/**
 * Check an experiment's invariants (name pattern, methods present) and return it unchanged, typed.
 * @throws MechlabError ERR_INVALID_INPUT naming `experiment.name` / `experiment.<method>`.
 * @example export const coin = defineExperiment({ name: 'coin', … })
 */
export function defineExperiment<P extends ExperimentParams>(def: Experiment<P>): Experiment<P> {
  parseWithSchema(experimentSchema, def, 'experiment');
  return def;
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
  params: { expected: 'a function', mechlab: 'ERR_INVALID_INPUT' },
});

/** {@link defineExperiment}'s invariants (the rest of `Experiment` is typed, not re-checked). */
const experimentSchema = z
  .object({
    name: z.unknown().refine((n) => typeof n === 'string' && NAME_RE.test(n), {
      params: { expected: 'a name matching /^[a-z0-9][a-z0-9._-]*$/i', mechlab: 'ERR_INVALID_INPUT' },
    }),
    metrics: fn,
    run: fn,
  })
  .loose();

/** Is `v` an `Experiment` (the engine's shape, with a zod parameter schema)? O(1). */
export function isExperiment(v: unknown): v is Experiment {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o['name'] === 'string' &&
    typeof o['run'] === 'function' &&
    typeof o['metrics'] === 'function' &&
    o['paramsSchema'] instanceof z.ZodObject
  );
}

/** One parameter declared as data (FORMATS.md "Experiment module"). */
export interface ParamDecl {
  /** Default value; its type (number, string, boolean) is the parameter's type. */
  readonly default: ParamValue;
  /** Inclusive bounds of a number. */
  readonly min?: number;
  readonly max?: number;
  /** A number that must be an integer. */
  readonly integer?: boolean;
  /** The allowed values (any type), e.g. `['uniform', 'normal']`. */
  readonly values?: readonly ParamValue[];
  /** Axis label in figures. */
  readonly label?: string;
}

const paramValueSchema = z.union([z.number(), z.string(), z.boolean()]);

/** The zod schema one validated declaration stands for (its `values`, or its number bounds, or its type). */
function declaredSchema(d: z.output<typeof paramDeclShape>): z.ZodType {
  if (d.values !== undefined) {
    const lits = d.values.map((v) => z.literal(v));
    return lits.length === 1 ? lits[0]! : z.union(lits as unknown as [z.ZodLiteral, z.ZodLiteral]);
  }
  if (typeof d.default === 'number') {
    let n = d.integer ? z.int() : z.number();
    if (d.min !== undefined) n = n.min(d.min);
    if (d.max !== undefined) n = n.max(d.max);
    return n;
  }
  return typeof d.default === 'string' ? z.string() : z.boolean();
}

const paramDeclShape = z
  .object({
    default: paramValueSchema,
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().optional(),
    values: z.array(paramValueSchema).min(1).optional(),
    label: z.string().optional(),
    description: z.string().optional(),
  })
  .strict();

/** One declaration, with its cross-field rules: numeric keys on numbers only, a default inside itself. */
const paramDeclSchema = paramDeclShape.superRefine((d, ctx) => {
  if (typeof d.default !== 'number' && d.values === undefined) {
    const numeric = (['min', 'max', 'integer'] as const).find((k) => d[k] !== undefined);
    if (numeric) {
      const got = JSON.stringify(d.default);
      return addMechlabIssue(
        ctx,
        [numeric],
        'ERR_INVALID_INPUT',
        `applies to numbers only, but default is ${got}`,
      );
    }
  }
  if (!declaredSchema(d).safeParse(d.default).success) {
    const got = JSON.stringify(d.default);
    addMechlabIssue(ctx, ['default'], 'ERR_INVALID_INPUT', `${got} is outside its own declaration`);
  }
});

/** The declarations object: parameter name → declaration. */
const paramDeclsSchema = z.record(z.string(), z.unknown());

/**
 * Turn parameter declarations into the zod object the engine validates with, so a declared parameter
 * is checked exactly like a built-in one: `spec.grid.p[1] must be ≤ 1, got 2`. O(parameters).
 * @throws MechlabError naming `<field>.<key>.<part>` for a malformed declaration (core's converter:
 *   `ERR_INVALID_TYPE` / `ERR_OUT_OF_RANGE` / `ERR_INVALID_INPUT`).
 * @example declareParams({ p: { default: 0.5, min: 0, max: 1 } }).parse({}) // { p: 0.5 }
 */
export function declareParams(
  decls: Readonly<Record<string, ParamDecl>>,
  field = 'experiment.params',
): z.ZodObject {
  parseWithSchema(paramDeclsSchema, decls, field);
  const shape: Record<string, z.ZodType> = {};
  for (const [key, raw] of Object.entries(decls)) {
    const d = parseWithSchema(paramDeclSchema, raw, `${field}.${key}`);
    const s = declaredSchema(d);
    shape[key] = s.default(d.default as never);
  }
  return z.object(shape).strict();
}

/** Labels declared on parameters (`label`), for figures. */
function declaredLabels(decls: Readonly<Record<string, ParamDecl>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, d] of Object.entries(decls)) if (typeof d.label === 'string') out[k] = d.label;
  return out;
}

/** A user module's experiment object (FORMATS.md "Experiment module"); other keys are read as given. */
const moduleExperimentSchema = z
  .object({
    name: z.unknown().refine((n) => typeof n === 'string' && NAME_RE.test(n), {
      params: { expected: 'a string matching /^[a-z0-9][a-z0-9._-]*$/i', mechlab: 'ERR_INVALID_INPUT' },
    }),
    run: z.custom((v) => typeof v === 'function', {
      params: { expected: 'a function (rng, params) => number[]', mechlab: 'ERR_INVALID_INPUT' },
    }),
    metrics: z
      .custom<unknown[]>((v) => Array.isArray(v) && v.length > 0, {
        params: {
          expected: 'a non-empty array of metric names (letters, digits, _ . -)',
          mechlab: 'ERR_INVALID_INPUT',
        },
      })
      .pipe(
        z
          .array(
            z.string().refine((m) => /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(m), {
              params: { expected: 'a metric name (letters, digits, _ . -)', mechlab: 'ERR_INVALID_INPUT' },
            }),
          )
          .superRefine((ms, ctx) => {
            const dup = ms.find((m, i) => ms.indexOf(m) !== i);
            if (dup !== undefined) {
              addMechlabIssue(ctx, [], 'ERR_INVALID_INPUT', `repeats the name ${JSON.stringify(dup)}`);
            }
          }),
      ),
    bounds: z
      .record(
        z.string(),
        z.tuple([z.number(), z.number()]).superRefine(([lo, hi], ctx) => {
          if (!(lo <= hi)) addRangeIssue(ctx, [1], `≥ the lower bound ${lo}`);
        }),
      )
      .optional(),
  })
  .loose();

/**
 * Check a user's experiment module (its namespace object or `module.exports`) and wrap its default
 * export (or `experiment` export) into an `Experiment`. The wrapper's `run` checks that the user's
 * `run` returns exactly one finite-or-NaN number per metric. O(parameters + metrics).
 * @throws MechlabError ERR_INVALID_INPUT naming `field` (default `spec.module`) for every shape problem.
 */
export function experimentFromModule(mod: unknown, modulePath: string, field = 'spec.module'): Experiment {
  const ns = (typeof mod === 'object' || typeof mod === 'function') && mod !== null ? mod : {};
  const nsr = ns as Record<string, unknown>;
  let exportName = 'default';
  let def = nsr['default'];
  // A CommonJS module imported as ESM: `module.exports` is the default; `exports.experiment` may sit on it.
  if (
    def === undefined ||
    (typeof def === 'object' && def !== null && 'experiment' in def && !('run' in def))
  ) {
    const inner = def as Record<string, unknown> | undefined;
    if (nsr['experiment'] !== undefined) {
      exportName = 'experiment';
      def = nsr['experiment'];
    } else if (inner && inner['experiment'] !== undefined) {
      exportName = 'default.experiment';
      def = inner['experiment'];
    }
  }
  if (def === undefined) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field} ${modulePath} has no default export (export default { name, params, metrics, run })`,
      field,
    );
  }
  const source = { module: modulePath, export: exportName };
  if (isExperiment(def)) return { ...def, source };
  if (typeof def !== 'object' || def === null) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field}: the default export of ${modulePath} must be an object { name, params, metrics, run }, got ${typeof def}`,
      field,
    );
  }
  const d = def as Record<string, unknown>;
  const bad = (what: string): never => {
    throw new MechlabError('ERR_INVALID_INPUT', `${field}: ${modulePath}: ${what}`, field);
  };
  try {
    parseWithSchema(moduleExperimentSchema, d, '');
  } catch (e) {
    bad((e as Error).message);
  }
  const name = d['name'] as string;
  const metricsRaw = d['metrics'] as string[];
  // `algo.metric` groups series in figures (`gcs.welfare` → column gcs_welfare); a plain name is one series.
  const metrics: MetricDef[] = metricsRaw.map((m) => {
    const dot = m.indexOf('.');
    return dot > 0 ? { algo: m.slice(0, dot), metric: m.slice(dot + 1) } : { algo: '', metric: m };
  });
  const decls = (d['params'] ?? {}) as Readonly<Record<string, ParamDecl>>;
  let paramsSchema: z.ZodObject;
  try {
    paramsSchema = declareParams(decls, 'params');
  } catch (e) {
    return bad((e as Error).message);
  }
  const userRun = d['run'] as (rng: Rng, params: ExperimentParams) => unknown;
  const k = metrics.length;
  const description = typeof d['description'] === 'string' ? d['description'] : name;
  const labels = {
    ...declaredLabels(decls),
    ...(typeof d['labels'] === 'object' && d['labels'] !== null
      ? (d['labels'] as Record<string, string>)
      : {}),
  };
  // Hand-written (hot path): checks the user's `run` output once per instance of a sweep, writing
  // straight into the row buffer; a zod parse would allocate per instance.
  const store = (v: unknown, out: Float64Array, offset: number): void => {
    const ok = (Array.isArray(v) || ArrayBuffer.isView(v)) && (v as ArrayLike<unknown>).length === k;
    if (!ok) {
      const got =
        Array.isArray(v) || ArrayBuffer.isView(v) ? `${(v as ArrayLike<unknown>).length} values` : typeof v;
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `${field}: ${name}.run must return ${k} numbers (${metricsRaw.join(', ')}), got ${got}`,
        field,
      );
    }
    const a = v as ArrayLike<unknown>;
    for (let i = 0; i < k; i++) {
      const x = a[i];
      if (typeof x !== 'number') {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `${field}: ${name}.run must return numbers, got ${typeof x} for ${metricsRaw[i]}`,
          field,
        );
      }
      out[offset + i] = x;
    }
  };
  const cost = d['cost'];
  const bounds = d['bounds'];
  return {
    name,
    description,
    paramsSchema,
    labels,
    metrics: () => metrics,
    run(rng, params, out, offset) {
      const v = userRun(rng, params);
      if (v instanceof Promise) return v.then((x) => store(x, out, offset));
      store(v, out, offset);
    },
    ...(typeof cost === 'function'
      ? { cost: (p: ExperimentParams) => Number((cost as (p: unknown) => unknown)(p)) }
      : {}),
    ...(bounds !== undefined ? { bounds: bounds as Record<string, [number, number]> } : {}),
    source,
  };
}
