// `@mechlab/core/testing`: what other packages' tests share — the backend conformance suite (STYLE.md
// §5) and the MechlabError assertion. Not part of the runtime entry `@mechlab/core`.
export { backendConformanceCases } from './backend-suite';
export type { ConformanceCase, ConformanceOptions } from './backend-suite';
export { expectMechlabError } from './expect-error';
export type { ExpectedMechlabError } from './expect-error';
