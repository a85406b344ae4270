// `@mechlab/core/testing`: what other packages' tests share — the backend conformance suite of core's
// kernel families and the pieces a domain package builds its own suite from (STYLE.md §5), and the
// MechlabError assertion. Not part of the runtime entry `@mechlab/core`.
export {
  backendConformanceCases,
  conformanceSetup,
  expectRefusal,
  refusalForUnimplemented,
} from './backend-suite';
export type { ConformanceCase, ConformanceOptions } from './backend-suite';
export { captureError, expectBackend, sameFloats, sameInts, show } from './compare';
export { expectMechlabError } from './expect-error';
export type { ExpectedMechlabError } from './expect-error';
