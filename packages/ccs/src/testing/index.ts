// `@mechlab/ccs/testing`: the conformance suite of the CCS kernel families (`ccs`, `mckp`,
// `equilibrium`, `hop`; STYLE.md §5), for backend packages' tests. Core's families' cases and
// `expectMechlabError` are `@mechlab/core/testing`'s. Not part of the runtime entry `@mechlab/ccs`.
export { ccsConformanceCases } from './conformance';
