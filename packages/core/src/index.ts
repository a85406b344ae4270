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

export { parseWithSchema, fieldPath } from './validate';
export {
  ccsInstanceSchema,
  mckpInstanceSchema,
  nashInstanceSchema,
  parseCcsInstance,
  parseMckpInstance,
  parseNashInstance,
} from './schemas';

export type { MechlabErrorCode } from './errors';
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
