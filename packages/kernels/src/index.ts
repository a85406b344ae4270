// Public API of @mechlab/kernels (STYLE.md §2): named value exports, then types.
export { registerWasmBackend, wasmCcsSolvers, WASM_PRIORITY } from './backend';
export { loadKernels, wasmAvailable, kernelInfo, WASM_PATH } from './wasm';
export { wasmMckpKernels, layoutMckpGeneral, layoutMckpDense } from './mckp';
export { hopPortionsWasm, wasmHopSolver, planHop, layoutHop, runHopPlan } from './hop';
export { gcsPortionsWasm, wasmGcsSolver } from './gcs';
export { nsrPortionsWasm, wasmNsrSolver } from './nsr';
export { wasmEqualSolver } from './equal';
export { greatestEquilibrium, greatestEquilibriumDense, finishSolutionWasm } from './equilibrium';
export {
  lambdaSweepTopK,
  swapLocalSearch,
  nashCardinalityDp,
  nashKernels,
  tsNashKernels,
  wasmNashKernels,
} from './nash';
export { topKTs, lambdaSweepTs, swapTs, nashDpTs, planNashDp } from './reference/nash';
export { eqBinaryDenseTs, eqIterateDenseTs, welfareDenseTs } from './reference/equilibrium';

export type { Kernels, Arena, KernelExports } from './wasm';
export type { EquilibriumOptions, DenseEquilibriumOptions } from './equilibrium';
export type { HopPlan, HopLayout } from './hop';
export type { MckpLayout } from './mckp';
export type {
  NashKernels,
  NashKernelOptions,
  NashSet,
  LambdaSweepResult,
  NashDpOptions,
  NashDpResult,
} from './nash';
export type { LambdaSweepRaw, NashDpPlan, NashDpRaw } from './reference/nash';
export type { DenseGraphGame, DenseEquilibriumRaw } from './reference/equilibrium';
