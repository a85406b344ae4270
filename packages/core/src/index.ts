// Public API of @mechlab/core: the shared base every domain package builds on — typed errors, the
// seeded splittable Rng, statistics, the zod boundary converter, the experiment interface, the backend
// registry keyed by an open set of kernel families, and the `nash` kernel family (forum's kernels).
// Named exports only (STYLE.md §2); each one is used by another package, an app, a benchmark or the
// README's example (`KernelFamilies` by the packages that add families to it). The CCS domain is
// `@mechlab/ccs`.
export { MechlabError, isMechlabError, rangeError, typeError } from './errors';
export { Rng, hashKeys } from './rng';
export { RunningStats, describe, median, spearman } from './stats';
export { parseWithSchema, addMechlabIssue, addRangeIssue, typedArray, arrayLike } from './validate';
export {
  defineExperiment,
  declareParams,
  experimentFromModule,
  isExperiment,
  metricColumn,
  sourceOf,
} from './experiment';
export { parseNashInstance } from './schemas';

export type { MechlabErrorCode } from './errors';
export type {
  Experiment,
  ExperimentParams,
  ExperimentSource,
  MetricDef,
  ParamValue,
  SweepPreset,
} from './experiment';
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
  registerKernels,
  resolveKernels,
  resolveMember,
  defaultBackend,
} from './backend-impl';
export { BACKEND_NAMES } from './backend';
export type { BackendName, KernelFamilies } from './backend';

// The `nash` kernel family (MODELS.md §2): entry points on any backend, its TS reference and shared steps.
export { lambdaSweepTopK, swapLocalSearch, nashCardinalityDp } from './nash/api';
export { topKTs } from './nash/top-k';
export { planNashDp, pickNashDp, reconstructNashDp } from './nash/dp';
export { kDominanceFilter } from './nash/k-dominance';

export type { NashKernels } from './nash/reference';
export type { LambdaSweepRaw } from './nash/lambda-sweep';
export type { NashDpPlan, NashDpTable } from './nash/dp';
