/**
 * Built-in experiments. Importing this module registers them; every worker imports it, so built-ins
 * need no `module` path.
 */
import { registerExperiment } from '../registry';
import { ccsRandomGraph } from './ccs-random-graph';

registerExperiment(ccsRandomGraph);

/** Names of the experiments this package registers itself (they never need a `module`). */
export const BUILTIN_EXPERIMENTS: ReadonlySet<string> = new Set([ccsRandomGraph.name]);

export { ccsRandomGraph };
export { ccsRandomGraphParams } from './ccs-random-graph';
