/**
 * The catalogue of built-in sweeps: every experiment mechlab's model packages export, and their named
 * presets. The sweep engine knows none of them; `mechlab sweep`, `mechlab contribution` and tests hand
 * it this list (a user's own experiment comes from a SPEC.json's `"module"` instead).
 */
import { type Experiment, type SweepPreset } from '@mechlab/core';
import { ccsPresets, ccsRandomGraph } from '@mechlab/ccs';
import { coalitionMarket, coalitionPresets } from '@mechlab/coalition';
import { contributionPresets, contributionThreshold } from '@mechlab/contribution';
import { forumGame, forumPresets } from '@mechlab/forum';
import type { SweepCatalogue } from '@mechlab/sweep';

/** Built-in experiments (their `source` lets worker threads and queue workers import them). */
export const BUILTIN_EXPERIMENTS: readonly Experiment[] = Object.freeze([
  ccsRandomGraph as unknown as Experiment,
  contributionThreshold as unknown as Experiment,
  forumGame as unknown as Experiment,
  coalitionMarket as unknown as Experiment,
]);

/** Built-in presets, in `mechlab sweep --help` order. */
export const BUILTIN_PRESETS: readonly SweepPreset[] = Object.freeze([
  ...ccsPresets,
  ...contributionPresets,
  ...forumPresets,
  ...coalitionPresets,
]);

/** What `mechlab sweep` can run by name. */
export const catalogue: SweepCatalogue = Object.freeze({
  experiments: BUILTIN_EXPERIMENTS,
  presets: BUILTIN_PRESETS,
});
