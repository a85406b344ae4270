/**
 * Sweep specs in the browser: the `SPEC.json` of `mechlab sweep` (MODELS.md §6), validated and planned
 * by `@mechlab/sweep/spec` itself — the CLI's own code, so the same points (cartesian product, last axis
 * fastest), seed-path keys, task blocks and field-naming errors by construction. Only
 * `ccs.random-graph` runs here.
 */
import { MechlabError } from '@mechlab/core';
import { parseSweepSpec as parseSpec, planSweep, type SweepPlan } from '@mechlab/sweep/spec';
import { EXPERIMENTS } from './ccs-random-graph';

export type { SweepPlan, SweepSpec } from '@mechlab/sweep/spec';

/**
 * Validate a spec document and plan it; errors name the field (`spec.grid.n[2] must be ≥ 1, got 0`).
 * O(grid values + points + tasks).
 * @throws MechlabError
 */
export function parseSweepSpec(value: unknown, root = 'spec'): SweepPlan {
  if (typeof value === 'object' && value !== null && 'module' in value) {
    // A user's experiment module is a file on the user's machine: only the CLI can import it.
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${root}.module cannot run in the browser (only ccs.random-graph does); run it with mechlab sweep`,
      `${root}.module`,
    );
  }
  return planSweep(parseSpec(value, EXPERIMENTS, root), EXPERIMENTS);
}
