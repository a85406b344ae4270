// Public API of @mechlab/ccs: the Content Creation with Spillovers game (MODELS.md §1; seed 004) —
// instances, mechanisms, best responses and equilibria, the design solvers with the multiple-choice
// knapsack, random instances, the `ccs.random-graph` experiment, and the kernel families `ccs`, `mckp`,
// `equilibrium`, `hop` and `ccsPipeline` it adds to core's registry. Named exports only (STYLE.md §2).
export { ccsInstanceSchema, mckpInstanceSchema, parseCcsInstance, parseMckpInstance } from './schemas';
export type { CcsInstanceJson, MckpInstance } from './schemas';
export type { MckpKernels, MckpKernelResult } from './mckp';
export {
  createCcsInstance,
  buildGraph,
  graphEdges,
  hasBinaryBestResponses,
  SCALING_LAW_DEFAULTS,
} from './instance';
export { greatestEquilibriumBinary } from './equilibrium';
export { ccsRandomGraph, ccsRandomGraphParams } from './experiment';
export { ccsPresets, CCS_PRESET_REPLICATES, CCS_PRESET_SEED } from './presets';
export { quality, qualities, welfare, effortCost, graphWelfare } from './quality';
export { allocate, utility, validateMechanism, WTA_TIE_RTOL, PORTION_SUM_TOL } from './mechanisms';
export { bestResponse, bestResponseOnGrid, effortGrid, GRID_TOL, isActive, TIE_RTOL } from './best-response';
export { greatestEquilibrium } from './equilibrium';
export { findPureNash, enumeratePureNash, isPureNash } from './stability';
export { wtaCounterexample, tullockCounterexample } from './counterexamples';
export { solveMckp, solveMckpDense, MCKP_MAX_CELLS } from './mckp';
export { solveCcs, resolveCcsOptions, tsCcsSolvers, CCS_ALGOS, DEFAULT_DELTA } from './solvers/index';
export { minGridUnits, SUM_TOL } from './solvers/common';
export { exactPortions, exactSolver, EXACT_MAX_N } from './solvers/exact';
export { nsrPortions, nsrProfits, nsrSolver, spilloverBeta } from './solvers/nsr';
export {
  hopPortions,
  hopSolver,
  forestStructure,
  planHop,
  hopDpTs,
  tsHopKernels,
  HOP_MAX_CELLS,
} from './solvers/hop';
export { gcsPortions, gcsSolver, sortIndicesByKey } from './solvers/gcs';
export { equalPortions, equalSolver } from './solvers/equal';
export { randomCcsInstance, randomCcsInstanceInto } from './generator/random-instance';
export { randomCcsInstanceEdgeList } from './generator/edge-list';
export { geometricSkipTable } from './generator/skip-table';
export { CcsWorkspace } from './generator/workspace';
export { randomForest, chainInstance } from './generator/forest';
export { asymptoticPrediction } from './generator/asymptotic';
export {
  sampleDistribution,
  distributionMean,
  distributionVariance,
  distributionQuantile,
} from './generator/distribution';
export { truncatedActivePrediction } from './truncated-expectation';
export type { CcsRandomGraphParams } from './experiment';
export type { TruncatedPredictionOptions, TruncatedPrediction } from './truncated-expectation';
export type {
  CcsInstance,
  CcsInstanceInput,
  CostFamily,
  Edge,
  QualityModel,
  SpilloverGraph,
} from './instance';
export type { BinaryEquilibrium } from './equilibrium';
export type { Mechanism } from './mechanisms';
export type { BestResponseOptions } from './best-response';
export type { GreatestEquilibrium, GreatestEquilibriumOptions } from './equilibrium';
export type { PureNashOptions, PureNashResult } from './stability';
export type { CcsCounterexample } from './counterexamples';
export type { MckpItem, MckpProblem, MckpResult, MckpDenseResult } from './mckp';
export type { CcsSolveOptions } from './solvers/index';
export type {
  CcsAlgo,
  CcsBackendName,
  CcsSolution,
  CcsSolutionMeta,
  CcsSolver,
  CcsSolverOptions,
} from './solvers/common';
export type { ExactDesign } from './solvers/exact';
export type { NsrDesign } from './solvers/nsr';
export type { HopDesign, HopPlan, HopKernels } from './solvers/hop';
export type { GcsDesign } from './solvers/gcs';
export type { CcsDistribution, CcsMarginals, RandomCcsOptions } from './generator/distribution';
export type { RandomForestOptions, ChainOptions } from './generator/forest';
export type { AsymptoticOptions, AsymptoticPrediction } from './generator/asymptotic';
export type { SkipTable } from './generator/skip-table';
export {
  createCcsPipeline,
  createCcsPipelineTs,
  cachedCcsPipeline,
  validateCcsPipelineOptions,
  tsCcsPipelineKernels,
  CCS_PIPELINE_OUTPUTS,
} from './pipeline';
export type { CcsPipeline, CcsPipelineKernels, CcsPipelineOptions } from './pipeline';
export {
  eqBinaryDenseTs,
  eqIterateDenseTs,
  welfareDenseTs,
  toDenseGame,
  tsEquilibriumKernels,
} from './equilibrium-dense';
export { tsMckpKernels } from './mckp';
export { requireBinary, finishSolution, portionSum, clampBudget, NO_UNITS } from './solvers/common';
export type {
  DenseGraphGame,
  DenseEquilibriumRaw,
  EquilibriumKernels,
  EquilibriumKernelOptions,
} from './equilibrium-dense';
export type { MckpOptions } from './mckp';
