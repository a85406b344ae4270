// Public API of @mechlab/core. Named exports only (STYLE.md §2).
export { MechlabError, isMechlabError, rangeError, typeError } from './errors';
export { Rng, hashKeys } from './rng';
export { RunningStats, describe, mean, sum, ranks, pearson, spearman } from './stats';
export {
  createCcsInstance,
  buildGraph,
  graphEdges,
  hasBinaryBestResponses,
  SCALING_LAW_DEFAULTS,
} from './ccs/instance';
export { greatestEquilibriumBinary, graphWelfare, isActive, TIE_RTOL } from './ccs/equilibrium';

export {
  parseWithSchema,
  fieldPath,
  addMechlabIssue,
  addRangeIssue,
  typedArray,
  arrayLike,
  numberArray,
} from './validate';
export {
  defineExperiment,
  declareParams,
  experimentFromModule,
  isExperiment,
  metricColumn,
  sourceOf,
} from './experiment';
export { ccsRandomGraph, ccsRandomGraphParams } from './ccs/experiment';
export { ccsPresets, CCS_PRESET_REPLICATES, CCS_PRESET_SEED } from './ccs/presets';
export {
  ccsInstanceSchema,
  mckpInstanceSchema,
  nashInstanceSchema,
  parseCcsInstance,
  parseMckpInstance,
  parseNashInstance,
} from './schemas';

export { quality, qualities, welfare, effortCost } from './ccs/quality';
export { allocate, utility, validateMechanism, WTA_TIE_RTOL, PORTION_SUM_TOL } from './ccs/mechanisms';
export { bestResponse, bestResponseOnGrid, effortGrid, GRID_TOL } from './ccs/best-response';
export { greatestEquilibrium } from './ccs/equilibrium';
export { findPureNash, enumeratePureNash, isPureNash } from './ccs/stability';
export { wtaCounterexample, tullockCounterexample } from './ccs/counterexamples';
export { solveMckp, solveMckpDense, MCKP_MAX_CELLS } from './mckp';
export { solveCcs, resolveCcsOptions, tsCcsSolvers, CCS_ALGOS, DEFAULT_DELTA } from './ccs/solvers/index';
export { minGridUnits, SUM_TOL } from './ccs/solvers/common';
export { exactPortions, exactSolver, EXACT_MAX_N } from './ccs/solvers/exact';
export { nsrPortions, nsrProfits, nsrSolver, spilloverBeta } from './ccs/solvers/nsr';
export {
  hopPortions,
  hopSolver,
  forestStructure,
  planHop,
  hopDpTs,
  tsHopKernels,
  HOP_MAX_CELLS,
} from './ccs/solvers/hop';
export { gcsPortions, gcsSolver, sortIndicesByKey } from './ccs/solvers/gcs';
export { equalPortions, equalSolver } from './ccs/solvers/equal';
export { randomCcsInstance, randomCcsInstanceInto } from './ccs/generator/random-instance';
export { randomCcsInstanceEdgeList } from './ccs/generator/edge-list';
export { geometricSkipTable } from './ccs/generator/skip-table';
export { CcsWorkspace } from './ccs/generator/workspace';
export { randomForest, chainInstance } from './ccs/generator/forest';
export { asymptoticPrediction } from './ccs/generator/asymptotic';
export {
  sampleDistribution,
  distributionMean,
  distributionVariance,
  distributionQuantile,
} from './ccs/generator/distribution';
export { truncatedActivePrediction } from './ccs/truncated-expectation';

export type { MechlabErrorCode } from './errors';
export type {
  Experiment,
  ExperimentParams,
  ExperimentSource,
  MetricDef,
  ParamDecl,
  ParamValue,
  SweepPreset,
} from './experiment';
export type { CcsRandomGraphParams } from './ccs/experiment';
export type { TruncatedPredictionOptions, TruncatedPrediction } from './ccs/truncated-expectation';
export type { CcsInstanceJson, MckpInstance, NashInstance } from './schemas';
export type { SeedKey } from './rng';
export type { Summary } from './stats';
export type {
  CcsInstance,
  CcsInstanceInput,
  CostFamily,
  Edge,
  QualityModel,
  SpilloverGraph,
} from './ccs/instance';
export type { BinaryEquilibrium } from './ccs/equilibrium';
export type { Mechanism } from './ccs/mechanisms';
export type { BestResponseOptions } from './ccs/best-response';
export type { GreatestEquilibrium, GreatestEquilibriumOptions } from './ccs/equilibrium';
export type { PureNashOptions, PureNashResult } from './ccs/stability';
export type { CcsCounterexample } from './ccs/counterexamples';
export type { MckpItem, MckpProblem, MckpResult, MckpDenseResult } from './mckp';
export type { CcsSolveOptions } from './ccs/solvers/index';
export type {
  CcsAlgo,
  CcsBackendName,
  CcsSolution,
  CcsSolutionMeta,
  CcsSolver,
  CcsSolverOptions,
} from './ccs/solvers/common';
export type { ExactDesign } from './ccs/solvers/exact';
export type { NsrDesign } from './ccs/solvers/nsr';
export type { HopDesign, HopPlan, HopKernels } from './ccs/solvers/hop';
export type { GcsDesign } from './ccs/solvers/gcs';
export type { CcsDistribution, CcsMarginals, RandomCcsOptions } from './ccs/generator/distribution';
export type { RandomForestOptions, ChainOptions } from './ccs/generator/forest';
export type { AsymptoticOptions, AsymptoticPrediction } from './ccs/generator/asymptotic';
export type { SkipTable } from './ccs/generator/skip-table';
export {
  createCcsPipeline,
  createCcsPipelineTs,
  cachedCcsPipeline,
  validateCcsPipelineOptions,
  tsCcsPipelineKernels,
  CCS_PIPELINE_OUTPUTS,
} from './ccs/pipeline';
export type { CcsPipeline, CcsPipelineKernels, CcsPipelineOptions } from './ccs/pipeline';

// Backend registry (STYLE.md §3): one solver interface, many implementations; the plumbing a
// backend package needs (the shared conformance suite is `@mechlab/core/testing`).
export {
  registerBackend,
  registerCcsBackend,
  registerMckpBackend,
  unregisterBackend,
  listBackends,
  resolveCcsSolver,
  resolveMckpKernels,
  checkBackendName,
  withBackendScope,
  currentBackendScope,
  registerKernels,
  resolveKernels,
  defaultBackend,
} from './backend-impl';
export { BACKEND_NAMES, KERNEL_FAMILIES } from './backend';
// The `nash` kernel family (MODELS.md §2): entry points on any backend, its TS reference and shared steps.
export { lambdaSweepTopK, swapLocalSearch, nashCardinalityDp, nashKernels } from './nash/api';
export { topKTs } from './nash/top-k';
export { lambdaSweepTs } from './nash/lambda-sweep';
export { swapTs } from './nash/swap';
export { planNashDp, nashDpTs, pickNashDp, reconstructNashDp } from './nash/dp';
export { kDominanceFilter } from './nash/k-dominance';
export { tsNashKernels } from './nash/reference';
// The `equilibrium` kernel family's dense reference and interface.
export {
  eqBinaryDenseTs,
  eqIterateDenseTs,
  welfareDenseTs,
  toDenseGame,
  tsEquilibriumKernels,
} from './ccs/equilibrium-dense';
export { tsMckpKernels } from './mckp';
export { requireBinary, finishSolution, portionSum, clampBudget, NO_UNITS } from './ccs/solvers/common';
export type {
  BackendName,
  BackendImpl,
  BackendInfo,
  MckpKernels,
  MckpKernelResult,
  KernelFamily,
  FamilyKernels,
} from './backend';
export type { NashKernelOptions, NashSet, LambdaSweepResult, NashDpOptions, NashDpResult } from './nash/api';
export type { NashKernels } from './nash/reference';
export type { LambdaSweepRaw } from './nash/lambda-sweep';
export type { NashDpPlan, NashDpTable, NashDpPick } from './nash/dp';
export type {
  DenseGraphGame,
  DenseEquilibriumRaw,
  EquilibriumKernels,
  EquilibriumKernelOptions,
} from './ccs/equilibrium-dense';
export type { MckpOptions } from './mckp';
