/**
 * Experiments registered by name (MODELS.md §6: "a sweep = experiment name + parameter grid + …").
 *
 * An experiment turns one seeded `Rng` and one resolved parameter point into a fixed-length row of
 * metrics. Everything the engine needs to know about it — which parameters exist and their ranges (a
 * zod object, so bad specs name the field), which metric columns it writes, how expensive an instance
 * is (for block sizing and scheduling), and what theory predicts — lives on this one object.
 *
 * Workers are separate V8 isolates: an experiment registered at run time in the main thread does not
 * exist in a worker unless the worker can import the module that registers it. Built-in experiments are
 * registered by `./experiments`, which every worker imports; a custom experiment passes `module`, the
 * absolute path of a module whose import calls `registerExperiment` (see README, "Custom experiments").
 */
import { MechlabError, type Rng } from '@mechlab/core';
import type { z } from 'zod';

/** A grid coordinate or parameter value that can appear in a CSV column and a seed key. */
export type ParamValue = number | string | boolean;

/** One metric column: `algo` (e.g. `gcs`) × `metric` (e.g. `welfare`) → column `gcs_welfare`. */
export interface MetricDef {
  readonly algo: string;
  readonly metric: string;
}

/** The parameter object an experiment receives: its schema's output, as a plain record. */
export type ExperimentParams = Readonly<Record<string, unknown>>;

/**
 * An experiment. `P` is the output type of `paramsSchema`; the engine only ever passes values that
 * schema accepted (with its defaults filled in).
 */
export interface Experiment<P extends ExperimentParams = ExperimentParams> {
  /** Registry key, e.g. `ccs.random-graph`; part of every instance's seed path. */
  readonly name: string;
  readonly description: string;
  /** Every parameter, with defaults. Grid axes must be keys of this object. */
  readonly paramsSchema: z.ZodObject;
  /** Human axis labels for figures and tables (`costMax` → `cost scale c_max`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Metric columns for a parameter point, in output order. Must not depend on grid axes. */
  metrics(params: P): readonly MetricDef[];
  /**
   * Play one instance: draw everything from `rng` and write `metrics(params).length` numbers into
   * `out[offset …]`. NaN means "not computed for this instance" and becomes an empty CSV field.
   */
  run(rng: Rng, params: P, out: Float64Array, offset: number): void;
  /** Theory's value for a metric (shared by all algorithms), e.g. the Corollary 13 line; NaN if none. */
  predict?(params: P, metric: string): number;
  /** Relative cost of one instance (any unit) — sizes task blocks and schedules the heavy ones first. */
  cost?(params: P): number;
  /** Absolute path of a module that registers this experiment when imported (needed for workers). */
  readonly module?: string;
}

const registry = new Map<string, Experiment>();

/**
 * Register (or replace) an experiment under `def.name`. Replacing is allowed so a module imported both
 * by a test and by a worker's bootstrap registers idempotently. O(1).
 * @example registerExperiment(myExperiment); getExperiment('my.experiment') === myExperiment // true
 */
export function registerExperiment<P extends ExperimentParams>(def: Experiment<P>): void {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(def.name)) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `experiment.name must match /^[a-z0-9][a-z0-9._-]*$/i, got ${JSON.stringify(def.name)}`,
      'experiment.name',
    );
  }
  // The cast is the registry's one unchecked step: `run`/`metrics` are only ever called with params
  // that `def.paramsSchema` produced, i.e. with a `P`.
  registry.set(def.name, def as unknown as Experiment);
}

/**
 * Look an experiment up by name. O(1).
 * @throws MechlabError ERR_INVALID_INPUT naming `field` when it is not registered.
 */
export function getExperiment(name: string, field = 'spec.experiment'): Experiment {
  const e = registry.get(name);
  if (!e) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field} must be a registered experiment (${listExperiments().join(', ')}), got ${JSON.stringify(name)}`,
      field,
    );
  }
  return e;
}

/** Names of all registered experiments, sorted. O(k log k). */
export function listExperiments(): string[] {
  return [...registry.keys()].sort();
}

/** `gcs_welfare` for `{algo: 'gcs', metric: 'welfare'}`. */
export function metricColumn(m: MetricDef): string {
  return `${m.algo}_${m.metric}`;
}
