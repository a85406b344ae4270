/**
 * Sweep specs in the browser: the `SPEC.json` of `mechlab sweep` (MODELS.md §6), validated with the same
 * shape schema and planned into the same points (cartesian product, last axis fastest) with the same
 * seed-path keys (`canonicalJson` of the resolved parameters) as packages/sweep/src/spec.ts. Only
 * `ccs.random-graph` runs here.
 */
import { MechlabError, parseWithSchema } from '@mechlab/core';
import { z } from 'zod';
import {
  ccsRandomGraphParams,
  EXPERIMENT,
  metrics,
  type CcsRandomGraphParams,
  type MetricDef,
} from './ccs-random-graph';

export type ParamValue = number | string | boolean;

export interface SweepSpec {
  readonly version: 1;
  readonly experiment: string;
  readonly name: string;
  readonly grid: Readonly<Record<string, readonly ParamValue[]>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly replicates: number;
  readonly seed: number | string;
  readonly blockSize?: number | undefined;
}

const paramValue = z.union([z.number(), z.string(), z.boolean()]);

export const sweepSpecSchema = z
  .object({
    version: z.literal(1).optional(),
    experiment: z.string().min(1),
    name: z.string().optional(),
    grid: z.record(z.string(), z.array(paramValue).min(1)),
    params: z.record(z.string(), z.unknown()).optional(),
    replicates: z.int().min(1).max(100_000_000),
    seed: z.union([z.int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1)]),
    blockSize: z.int().min(1).max(1_000_000).optional(),
  })
  .strict();

export interface SweepPoint {
  readonly index: number;
  readonly coords: Readonly<Record<string, ParamValue>>;
  readonly params: CcsRandomGraphParams;
  readonly key: string;
}

export interface SweepPlan {
  readonly spec: SweepSpec;
  readonly axes: readonly string[];
  readonly metrics: readonly MetricDef[];
  readonly points: readonly SweepPoint[];
}

/**
 * Validate a spec document; errors name the field (`spec.grid.n[2] must be ≥ 1, got 0`).
 * @throws MechlabError
 */
export function parseSweepSpec(value: unknown, root = 'spec'): SweepPlan {
  const doc = parseWithSchema(sweepSpecSchema, value, root);
  if (doc.experiment !== EXPERIMENT) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${root}.experiment must be ${JSON.stringify(EXPERIMENT)} in the browser, got ${JSON.stringify(doc.experiment)}`,
      `${root}.experiment`,
    );
  }
  const shape = ccsRandomGraphParams.shape as Record<string, z.ZodType>;
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
        `${field} is not a parameter of ${EXPERIMENT} (expected one of ${Object.keys(shape).join(', ')})`,
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
    const seen = new Set<string>();
    doc.grid[axis]!.forEach((v, i) => {
      parseWithSchema(s, v, `${field}[${i}]`);
      const k = JSON.stringify(v);
      if (seen.has(k))
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `${field}[${i}] repeats the value ${k}`,
          `${field}[${i}]`,
        );
      seen.add(k);
    });
  }
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
    experiment: doc.experiment,
    name: doc.name ?? doc.experiment,
    grid: doc.grid,
    params,
    replicates: doc.replicates,
    seed: doc.seed,
    blockSize: doc.blockSize,
  };
  const points = planPoints(spec, root);
  const ms = metrics(points[0]!.params);
  for (const p of points) {
    if (metrics(p.params).length !== ms.length) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `${root}.grid changes the metric columns of ${EXPERIMENT} (point ${p.index}); move that parameter to ${root}.params`,
        `${root}.grid`,
      );
    }
  }
  return { spec, axes, metrics: ms, points };
}

function planPoints(spec: SweepSpec, root: string): SweepPoint[] {
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
    const params = parseWithSchema(ccsRandomGraphParams, { ...spec.params, ...coords }, field);
    points.push({ index, coords, params, key: canonicalJson(params) });
    for (let k = axes.length - 1; k >= 0; k--) {
      if (++digits[k]! < sizes[k]!) break;
      digits[k] = 0;
    }
  }
  return points;
}

/** JSON with object keys sorted recursively (arrays keep their order); `undefined` members dropped. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}';
}
