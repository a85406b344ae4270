// Public API of @mechlab/ccs: the Content Creation with Spillovers game (MODELS.md §1; seed 004) —
// instances, mechanisms and equilibria, the design solvers with the multiple-choice knapsack, random
// instances, the `ccs.random-graph` experiment, and the kernel families `ccs`, `mckp`, `equilibrium`,
// `hop` and `ccsPipeline` it adds to core's registry (declaration merging on `KernelFamilies`).
// Named exports only (STYLE.md §2); each one is used by another package, an app, a benchmark or the
// README's example. The conformance suite of the families is `@mechlab/ccs/testing`.

// Instances and the boundary (FORMATS.md `ccs-instance`, `mckp-instance`).
export { createCcsInstance, graphEdges, hasBinaryBestResponses } from './instance';
export { parseCcsInstance, parseMckpInstance } from './schemas';
export type { CcsInstance, Edge } from './instance';
export type { MckpInstance } from './schemas';

// The game (§1.1–1.2): mechanisms, the greatest equilibrium, pure-NE search, counterexamples.
export { validateMechanism } from './mechanisms';
export { greatestEquilibrium, equilibriumKernelOptions } from './equilibrium';
export { findPureNash } from './stability';
export { wtaCounterexample, tullockCounterexample } from './counterexamples';
export type { Mechanism } from './mechanisms';
export type { GreatestEquilibrium, GreatestEquilibriumOptions } from './equilibrium';

// The design problem (§1.3): solveCcs over the `ccs` family, the solvers' pieces backends reuse.
export { solveCcs, tsCcsSolvers } from './solvers/index';
export { requireBinary } from './solvers/common';
export { nsrProfits } from './solvers/nsr';
export { hopPortions, planHop, HOP_MAX_CELLS } from './solvers/hop';
export { gcsPortions } from './solvers/gcs';
export { equalPortions } from './solvers/equal';
export { solveMckp, solveMckpDense, MCKP_MAX_CELLS } from './mckp';
export type { CcsAlgo, CcsSolution, CcsSolutionMeta, CcsSolver, CcsSolverOptions } from './solvers/common';
export type { NsrDesign } from './solvers/nsr';
export type { HopDesign, HopPlan, HopKernels } from './solvers/hop';
export type { GcsDesign } from './solvers/gcs';
export type { MckpProblem, MckpKernels, MckpKernelResult } from './mckp';

// The `equilibrium` kernel family's dense interface.
export { toDenseGame } from './equilibrium-dense';
export type {
  DenseGraphGame,
  DenseEquilibriumRaw,
  EquilibriumKernels,
  EquilibriumKernelOptions,
} from './equilibrium-dense';

// Random instances and predictions (§1.4), the `ccs.random-graph` experiment and its pipeline.
export { randomCcsInstance } from './generator/random-instance';
export { randomCcsInstanceEdgeList } from './generator/edge-list';
export { geometricSkipTable } from './generator/skip-table';
export { randomForest } from './generator/forest';
export { asymptoticPrediction } from './generator/asymptotic';
export { truncatedActivePrediction } from './truncated-expectation';
export { ccsRandomGraph, ccsRandomGraphParams } from './experiment';
export { ccsPresets } from './presets';
export {
  createCcsPipeline,
  createCcsPipelineTs,
  cachedCcsPipeline,
  validateCcsPipelineOptions,
  CCS_PIPELINE_OUTPUTS,
} from './pipeline';
export type { CcsDistribution } from './generator/distribution';
export type { CcsRandomGraphParams } from './experiment';
export type { CcsPipeline, CcsPipelineKernels, CcsPipelineOptions } from './pipeline';
