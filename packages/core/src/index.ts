// Public API of @mechlab/core: the shared base every domain package builds on — typed errors, the
// seeded splittable Rng, statistics, the zod boundary converter, the experiment interface, the backend
// registry keyed by an open set of kernel families, and the `nash` kernel family (forum's kernels).
// Named exports only (STYLE.md §2). The CCS domain is `@mechlab/ccs`.
export { MechlabError, isMechlabError, rangeError, typeError } from './errors';
export { Rng, hashKeys } from './rng';
export { RunningStats, describe, mean, sum, ranks, pearson, spearman } from './stats';
export { parseWithSchema, fieldPath } from './validate';
export {
  defineExperiment,
  declareParams,
  experimentFromModule,
  isExperiment,
  metricColumn,
  sourceOf,
} from './experiment';
export { nashInstanceSchema, parseNashInstance } from './schemas';

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
export type { NashInstance } from './schemas';
export type { SeedKey } from './rng';
export type { Summary } from './stats';

// Backend registry (STYLE.md §3): one interface per kernel family, many implementations; the
// plumbing a backend package needs (the shared conformance suite is `@mechlab/core/testing`).
export {
  registerBackend,
  unregisterBackend,
  listBackends,
  checkBackendName,
  withBackendScope,
  currentBackendScope,
  defineKernelFamily,
  kernelFamilies,
  registerKernels,
  resolveKernels,
  resolveMember,
  defaultBackend,
} from './backend-impl';
export { BACKEND_NAMES } from './backend';
export type {
  BackendName,
  BackendImpl,
  BackendInfo,
  KernelFamilies,
  KernelFamily,
  KernelFamilyInfo,
} from './backend';

// The `nash` kernel family (MODELS.md §2): entry points on any backend, its TS reference and shared steps.
export { lambdaSweepTopK, swapLocalSearch, nashCardinalityDp, nashKernels } from './nash/api';
export { topKTs } from './nash/top-k';
export { lambdaSweepTs } from './nash/lambda-sweep';
export { swapTs } from './nash/swap';
export { planNashDp, nashDpTs, pickNashDp, reconstructNashDp } from './nash/dp';
export { kDominanceFilter } from './nash/k-dominance';
export { tsNashKernels } from './nash/reference';
export type { NashKernelOptions, NashSet, LambdaSweepResult, NashDpOptions, NashDpResult } from './nash/api';
export type { NashKernels } from './nash/reference';
export type { LambdaSweepRaw } from './nash/lambda-sweep';
export type { NashDpPlan, NashDpTable, NashDpPick } from './nash/dp';
