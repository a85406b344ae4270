// Public API of @mechlab/kernels (STYLE.md §2): what the sweep engine, the CLI and the web app use.
export { registerWasmBackend } from './backend';
export { loadKernels, wasmAvailable, kernelInfo } from './wasm';
export { layoutMckpGeneral, layoutMckpDense } from './mckp';
export { layoutHop, runHopPlan } from './hop';
export { gcsPortionsWasm } from './gcs';
export { greatestEquilibrium, greatestEquilibriumDense } from './greatest-equilibrium';
export { createCcsPipelineWasm } from './ccs-pipeline';
