/**
 * Built-in experiments. Importing this module registers them; every worker imports it, so built-ins
 * need no `module` path.
 */
import { registerExperiment } from '../registry';
import { ccsRandomGraph } from './ccs-random-graph';
import { contributionThreshold } from './contribution-threshold';

registerExperiment(ccsRandomGraph);
registerExperiment(contributionThreshold);

/** Names of the experiments this package registers itself (they never need a `module`). */
export const BUILTIN_EXPERIMENTS: ReadonlySet<string> = new Set([
  ccsRandomGraph.name,
  contributionThreshold.name,
]);

export { ccsRandomGraph, contributionThreshold };
export { ccsRandomGraphParams } from './ccs-random-graph';
