/**
 * The WebAssembly MCKP kernels behind core's `MckpKernels` interface (the TS reference is
 * `tsMckpKernels` in packages/ccs/src/mckp.ts; the AssemblyScript twin is assembly/mckp.ts). Core's
 * `solveMckp` / `solveMckpDense` validate and flatten the instance, then call these; values and
 * choices are identical to the reference (same recurrence, same tie rule, same float additions).
 */
import type { MckpKernelResult, MckpKernels } from '@mechlab/ccs';
import { loadKernels } from './wasm';

/** An MCKP instance laid out in kernel memory; `run()` calls the kernel (benchmarks time it alone). */
export interface MckpLayout {
  run(): number;
  result(value: number): MckpKernelResult | null;
}

/**
 * Lay out a flattened general MCKP instance (see core's `MckpKernels.general`). Weights above the
 * capacity are clamped to `capacity + 1` on the way in (they can never be chosen), so any
 * safe-integer weight is accepted. One layout at a time: the next one overwrites it.
 */
export function layoutMckpGeneral(
  n: number,
  capacity: number,
  classStart: Int32Array,
  weights: Float64Array,
  profits: Float64Array,
  maxItems: number,
): MckpLayout {
  const width = capacity + 1;
  const items = weights.length;
  const wide = maxItems > 0x7fff ? 1 : 0;
  const a = loadKernels().arena();
  const pStart = a.i32(n + 1);
  const pW = a.i32(items);
  const pP = a.f64(items);
  const pArg = wide ? a.i32(n * width) : a.u16(n * width);
  const pRows = a.f64(3 * width); // two value rows + the argmax row of the SIMD general kernel
  const pChoice = a.i32(n);
  const pOut = a.i32(1);
  const k = a.commit();
  k.i32(pStart, n + 1).set(classStart);
  const w = k.i32(pW, items);
  const cap1 = capacity + 1;
  for (let t = 0; t < items; t++) {
    const x = weights[t]!;
    w[t] = x > capacity ? cap1 : x;
  }
  k.f64(pP, items).set(profits);
  const kernel = k.exports.mckpGeneral;
  return {
    run: () => kernel(n, capacity, pStart, pW, pP, wide, pArg, pRows, pChoice, pOut),
    result: (value) =>
      value === -Infinity ? null : { value, choice: k.i32(pChoice, n).slice(), weight: k.i32(pOut, 1)[0]! },
  };
}

/** Lay out a dense NSR-layout instance (see core's `MckpKernels.dense`). */
export function layoutMckpDense(n: number, D: number, profits: Float64Array): MckpLayout {
  const width = D + 1;
  const wide = D > 0x7fff ? 1 : 0;
  const a = loadKernels().arena();
  const pP = a.f64(n * width);
  const pArg = wide ? a.i32(n * width) : a.u16(n * width);
  const pRows = a.f64(2 * width);
  const pListK = a.i32(width);
  const pList = a.f64(2 * width);
  const pChoice = a.i32(n);
  const k = a.commit();
  k.f64(pP, n * width).set(profits);
  const kernel = k.exports.mckpDense;
  return {
    run: () => kernel(n, D, pP, wide, pArg, pRows, pListK, pList, pChoice),
    result(value) {
      const choice = k.i32(pChoice, n).slice();
      let weight = 0;
      for (let i = 0; i < n; i++) weight += choice[i]!;
      return { value, choice, weight };
    },
  };
}

/** General MCKP in WebAssembly. O(Σ items · (C + 1)); 2–4 bytes per (class, budget) cell. */
function general(
  n: number,
  capacity: number,
  classStart: Int32Array,
  weights: Float64Array,
  profits: Float64Array,
  maxItems: number,
): MckpKernelResult | null {
  const l = layoutMckpGeneral(n, capacity, classStart, weights, profits, maxItems);
  return l.result(l.run());
}

/** Dense NSR-layout MCKP in WebAssembly. O(n · (D + 1) · undominated items). */
function dense(n: number, D: number, profits: Float64Array): MckpKernelResult {
  const l = layoutMckpDense(n, D, profits);
  return l.result(l.run())!;
}

/** The WebAssembly MCKP kernels (registered as backend `'wasm'` by `registerWasmBackend`). */
export const wasmMckpKernels: MckpKernels = Object.freeze({ general, dense });
