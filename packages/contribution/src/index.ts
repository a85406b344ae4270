// Public API of @mechlab/contribution (STYLE.md §2): named value exports, then types.
// Model: MODELS.md §5, reconstructed from the abstract of seed 003 (arXiv:2605.07419) — see README.
export {
  CONTRIBUTION_DEFAULTS,
  NUMERIC_PARAM_KEYS,
  contributionParamsSchema,
  validateContributionParams,
  drawContributionInstance,
  postedSubsidy,
  realisedCostCdf,
} from './model';
export { assignBurdens, stayCutoff, runSubsidy, runSimultaneous, runSequential } from './mechanisms';
export {
  CONTRIBUTION_EXPERIMENT,
  CONTRIBUTION_METRICS,
  MECHANISMS,
  simulateContributionInstance,
  contributionTaskRng,
  runContributionTask,
  aggregateContributionPoint,
  expandContributionGrid,
  runContributionExperiment,
} from './experiment';
export { contributionFigure, contributionTable, PARAM_LABELS } from './figure';
export {
  contributionOptionsSchema,
  parseContributionOptions,
  runContributionCommand,
  DEFAULT_COMMAND_GRID,
} from './command';

export type { ContributionParams, ContributionInstance, NumericParamKey, SequentialOrder } from './model';
export type { Assignment, MechanismOutcome } from './mechanisms';
export type {
  ContributionOutcome,
  ContributionTask,
  ContributionTaskResult,
  ContributionMetrics,
  ContributionMetric,
  ContributionRow,
  ContributionGrid,
  ContributionExperimentConfig,
  MechanismName,
} from './experiment';
export type { BandKind, ContributionFigureOptions } from './figure';
export type {
  ContributionCommandInput,
  ContributionCommandOptions,
  ContributionCommandResult,
} from './command';
