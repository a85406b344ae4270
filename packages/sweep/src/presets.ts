/**
 * The catalogue a front end hands the engine (built-in experiments and named presets; the CLI owns
 * mechlab's), and loading a `PRESET|SPEC.json` argument the way `mechlab sweep` does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readInputText } from '@mechlab/io';
import { MechlabError, type SweepPreset } from '@mechlab/core';
import { withSpecModule, type ExperimentList } from './source';
import { parseSweepSpec, type SweepSpec } from './spec';

/** Experiments and presets known by name. */
export interface SweepCatalogue {
  readonly experiments: ExperimentList;
  readonly presets: readonly SweepPreset[];
}

/** Overrides of `mechlab sweep … --replicates N --seed S`. */
export interface SpecOverrides {
  readonly replicates?: number | undefined;
  readonly seed?: number | string | undefined;
  /** Directory a relative SPEC.json path is resolved against (default `process.cwd()`). */
  readonly cwd?: string | undefined;
  /**
   * Called with the raw document's grid points, grid axes and replicates before it is validated, so a
   * budget can refuse a 10⁶-point grid before anything is built from it (issue 18). A document that
   * then validates has exactly these sizes (replicates has no default), so one call is the whole check.
   */
  readonly checkSize?: ((points: number, axes: number, replicates: number) => void) | undefined;
}

/** Grid points, grid axes and replicates of a raw spec document (0 where a field is not the expected shape). */
function rawSize(doc: Record<string, unknown>): [number, number, number] {
  const grid = doc['grid'];
  let points = 1;
  let axes = 0;
  if (grid !== null && typeof grid === 'object' && !Array.isArray(grid)) {
    for (const v of Object.values(grid)) {
      points *= Array.isArray(v) ? v.length : 1;
      axes++;
    }
  }
  const r = doc['replicates'];
  return [points, axes, typeof r === 'number' && Number.isFinite(r) ? r : 0];
}

/** Look a preset up by name. O(presets). */
export function findPreset(catalogue: SweepCatalogue, name: string): SweepPreset | undefined {
  return catalogue.presets.find((p) => p.name === name);
}

/**
 * Resolve `mechlab sweep`'s positional argument: a preset name, or a path to a `SPEC.json` (whose
 * `"module"`, if any, is resolved against the SPEC file's directory, imported and checked). Overrides
 * are applied before validation, so `--replicates 0` is reported as `spec.replicates must be ≥ 1, got 0`.
 * O(|spec|).
 * @throws MechlabError ERR_INVALID_INPUT (unknown preset and no such file, unreadable/invalid JSON, a bad
 *   module naming `spec.module`) or any `parseSweepSpec` error.
 * @example (await loadSweepSpec('ccs-vary-n', catalogue, { replicates: 20 })).replicates // 20
 */
export async function loadSweepSpec(
  arg: string,
  catalogue: SweepCatalogue,
  overrides: SpecOverrides = {},
): Promise<SweepSpec> {
  let doc: unknown;
  let baseDir = overrides.cwd ?? process.cwd();
  const preset = findPreset(catalogue, arg);
  if (preset) {
    doc = { version: 1, ...preset };
  } else {
    const file = path.resolve(baseDir, arg);
    if (!fs.existsSync(file)) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `spec must be a preset (${catalogue.presets.map((p) => p.name).join(', ')}) or a SPEC.json path, got ${JSON.stringify(arg)}`,
        'spec',
      );
    }
    // Bounded read (issue 18: `mechlab sweep /dev/zero` read without end): regular files, ≤ 64 MiB.
    const text = readInputText(file, { flag: 'spec', maxBytes: 64 * 2 ** 20 });
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new MechlabError('ERR_INVALID_INPUT', `spec must be valid JSON: ${(e as Error).message}`, 'spec');
    }
    baseDir = path.dirname(file);
  }
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    const o = { ...(doc as Record<string, unknown>) };
    if (overrides.replicates !== undefined) o.replicates = overrides.replicates;
    if (overrides.seed !== undefined) o.seed = overrides.seed;
    overrides.checkSize?.(...rawSize(o));
    doc = o;
  }
  const loaded = await withSpecModule(doc, catalogue.experiments, baseDir);
  return parseSweepSpec(loaded.doc, loaded.experiments);
}
