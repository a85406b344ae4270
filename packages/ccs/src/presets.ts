/**
 * Sweep presets of `ccs.random-graph`: the three experiments of seed 004 §6 (Figures 1–3) with the
 * default grids of MODELS.md §1.4.
 *
 * Fixed values **[choice — the paper's were lost in extraction]**: ρ = 0.1 when n varies (sparse enough
 * that spillovers matter without every player being reachable from every other), n = 100 when ρ or the
 * cost scale varies (the middle of the n grid; fast enough for 1000 instances per point), all scales 1.
 * Seed 1 for all three, so their common point (n = 100, ρ = 0.1, c_max = 1) sees the same instances.
 */
import type { SweepPreset } from '@mechlab/core';

/** Instances per point of the paper's figures. */
export const CCS_PRESET_REPLICATES = 1000;
/** Master seed of the CCS presets. */
export const CCS_PRESET_SEED = 1;

const base = {
  experiment: 'ccs.random-graph',
  replicates: CCS_PRESET_REPLICATES,
  seed: CCS_PRESET_SEED,
} as const;

const CCS_PRESETS: SweepPreset[] = [
  { ...base, name: 'ccs-vary-n', grid: { n: [10, 20, 50, 100, 200, 500, 1000] }, params: { rho: 0.1 } },
  { ...base, name: 'ccs-vary-p', grid: { rho: [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9] }, params: { n: 100 } },
  { ...base, name: 'ccs-vary-cost', grid: { costMax: [0.25, 0.5, 1, 2, 4] }, params: { n: 100, rho: 0.1 } },
];

/** Figures 1–3 of seed 004 by name: vary n, vary ρ, vary the cost scale. */
export const ccsPresets: readonly SweepPreset[] = Object.freeze(CCS_PRESETS);
