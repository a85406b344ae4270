// Public API of @mechlab/contribution (STYLE.md §2): named value exports, then types.
// Model: MODELS.md §5, reconstructed from the abstract of seed 003 (arXiv:2605.07419) — see README.
export { CONTRIBUTION_DEFAULTS } from './model';
export { simulateContributionInstance, contributionThreshold, contributionPresets } from './experiment';
