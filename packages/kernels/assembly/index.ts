// Entry point of the WebAssembly kernels (asinit layout, STYLE.md §6): every export takes numbers and
// byte offsets into linear memory, which the TypeScript wrapper (../src/wasm.ts) lays out from
// `heapBase()` upwards and grows as needed. Built with the stub runtime (nothing is ever allocated by
// the module itself) and `-O3 --noAssert`; one instance per JS realm/worker (not thread-safe).
export { mckpGeneral, mckpDense } from './mckp';
export { hopDp } from './hop';
export { gcsPortions, sortIndicesByKey, clampBudget } from './gcs';
export {
  eqBinaryCsr,
  eqBinaryDense,
  eqIterateCsr,
  eqIterateDense,
  welfareCsr,
  welfareDense,
} from './equilibrium';
export { topK, nashLambdaSweep, nashSwap, nashDp } from './nash';
export { ccsGenerate, ccsPipeline } from './generate';

/** First byte of free linear memory (after static data). */
export function heapBase(): usize {
  return __heap_base;
}

/** ABI version of the exports above; the wrapper refuses a mismatched build. */
export function abiVersion(): i32 {
  return 2;
}
