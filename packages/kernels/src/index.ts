// Public API of @mechlab/kernels (STYLE.md §2): named value exports, then types.
export { registerWasmBackend, wasmCcsSolvers, WASM_PRIORITY } from './backend';
export { loadKernels, wasmAvailable, kernelInfo, WASM_PATH } from './wasm';
export { wasmMckpKernels, layoutMckpGeneral, layoutMckpDense } from './mckp';
export { hopPortionsWasm, wasmHopSolver, wasmHopKernels, layoutHop, runHopPlan } from './hop';
export { gcsPortionsWasm, wasmGcsSolver } from './gcs';
export { nsrPortionsWasm, wasmNsrSolver } from './nsr';
export { wasmEqualSolver } from './equal';
export { greatestEquilibrium, greatestEquilibriumDense } from './greatest-equilibrium';
export { finishSolutionWasm, wasmEquilibriumKernels } from './equilibrium';
export { wasmNashKernels } from './nash';
export { createCcsPipelineWasm, randomCcsInstanceWasm, wasmCcsPipelineKernels } from './ccs-pipeline';

export type { Kernels, Arena, KernelExports } from './wasm';
export type { EquilibriumOptions, DenseEquilibriumOptions } from './greatest-equilibrium';
export type { HopLayout } from './hop';
export type { MckpLayout } from './mckp';
