/**
 * Presets: the three experiments of seed 004 §6 with the default grids of MODELS.md §1.4, and loading a
 * `PRESET|SPEC.json` argument the way `mechlab sweep` does.
 *
 * Fixed values **[choice — the paper's were lost in extraction]**: ρ = 0.1 when n varies (sparse enough
 * that spillovers matter without every player being reachable from every other), n = 100 when ρ or the
 * cost scale varies (the middle of the n grid; fast enough for 1000 instances per point), all scales 1.
 * Seed 1 for all three, so their common point (n = 100, ρ = 0.1, c_max = 1) sees the same instances.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MechlabError } from '@mechlab/core';
import { parseSweepSpec, type SweepSpec } from './spec';
import './experiments';

/** Instances per point of the paper's figures. */
export const DEFAULT_REPLICATES = 1000;
/** Master seed of the presets. */
export const PRESET_SEED = 1;

const base = {
  version: 1,
  experiment: 'ccs.random-graph',
  replicates: DEFAULT_REPLICATES,
  seed: PRESET_SEED,
} as const;

/** Built-in sweeps by name (Figures 1–3 of seed 004). */
export const presets: Readonly<Record<string, SweepSpec>> = Object.freeze({
  'ccs-vary-n': {
    ...base,
    name: 'ccs-vary-n',
    grid: { n: [10, 20, 50, 100, 200, 500, 1000] },
    params: { rho: 0.1 },
  },
  'ccs-vary-p': {
    ...base,
    name: 'ccs-vary-p',
    grid: { rho: [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9] },
    params: { n: 100 },
  },
  'ccs-vary-cost': {
    ...base,
    name: 'ccs-vary-cost',
    grid: { costMax: [0.25, 0.5, 1, 2, 4] },
    params: { n: 100, rho: 0.1 },
  },
});

/** Overrides of `mechlab sweep … --replicates N --seed S`. */
export interface SpecOverrides {
  readonly replicates?: number | undefined;
  readonly seed?: number | string | undefined;
  /** Directory a relative SPEC.json path is resolved against (default `process.cwd()`). */
  readonly cwd?: string | undefined;
}

/**
 * Resolve `mechlab sweep`'s positional argument: a preset name, or a path to a `SPEC.json`. Overrides
 * are applied before validation, so `--replicates 0` is reported as `spec.replicates must be ≥ 1, got 0`.
 * O(|spec|).
 * @throws MechlabError ERR_INVALID_INPUT (unknown preset and no such file, unreadable/invalid JSON) or any
 *   `parseSweepSpec` error.
 * @example loadSweepSpec('ccs-vary-n', { replicates: 20 }).replicates // 20
 */
export function loadSweepSpec(arg: string, overrides: SpecOverrides = {}): SweepSpec {
  let doc: unknown;
  const preset = presets[arg];
  if (preset) {
    doc = preset;
  } else {
    const file = path.resolve(overrides.cwd ?? process.cwd(), arg);
    if (!fs.existsSync(file)) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `spec must be a preset (${Object.keys(presets).join(', ')}) or a SPEC.json path, got ${JSON.stringify(arg)}`,
        'spec',
      );
    }
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new MechlabError('ERR_INVALID_INPUT', `spec must be valid JSON: ${(e as Error).message}`, 'spec');
    }
  }
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    const o = { ...(doc as Record<string, unknown>) };
    if (overrides.replicates !== undefined) o.replicates = overrides.replicates;
    if (overrides.seed !== undefined) o.seed = overrides.seed;
    doc = o;
  }
  return parseSweepSpec(doc);
}
