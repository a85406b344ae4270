// Public API of @mechlab/contribution (STYLE.md §2): named value exports, then types.
// Model: MODELS.md §5, reconstructed from the abstract of seed 003 (arXiv:2605.07419) — see README.
export {
  CONTRIBUTION_DEFAULTS,
  NUMERIC_PARAM_KEYS,
  PARAM_FIELD_SCHEMAS,
  contributionParamsSchema,
  validateContributionParams,
  drawContributionInstance,
  postedSubsidy,
  realisedCostCdf,
  wastedProvision,
} from './model';
export { assignBurdens, stayCutoff, runSubsidy, runSimultaneous, runSequential } from './mechanisms';
export {
  CONTRIBUTION_EXPERIMENT,
  CONTRIBUTION_METRICS,
  CONTRIBUTION_TAU_GRID,
  MECHANISMS,
  simulateContributionInstance,
  contributionThreshold,
  contributionPresets,
} from './experiment';

export type {
  ContributionParams,
  ContributionInstance,
  NumericParamKey,
  SequentialOrder,
  WastedProvision,
} from './model';
export type { Assignment, MechanismOutcome } from './mechanisms';
export type { ContributionOutcome, ContributionMetric, MechanismName } from './experiment';
