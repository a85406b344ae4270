/**
 * The WebAssembly kernels of the `nash` family (assembly/nash.ts), registered with core by
 * `registerWasmBackend()`. The family's interface, TS reference and public entry points
 * (`lambdaSweepTopK`, `swapLocalSearch`, `nashCardinalityDp`) live in `@mechlab/core` (src/nash/);
 * these wrappers only lay out validated typed arrays in kernel memory, call, and copy results out —
 * the answers are the reference's, bit for bit (core's conformance suite checks it per backend).
 */
import type { LambdaSweepRaw, NashDpPlan, NashDpTable, NashKernels } from '@mechlab/core';
import { loadKernels, type Kernels } from './wasm';

/** The WebAssembly Nash kernels (assembly/nash.ts). */
export const wasmNashKernels: NashKernels = Object.freeze({
  backend: 'wasm',
  topK(score: Float64Array, pool: Int32Array, k: number): Int32Array {
    const n = score.length;
    const a = loadKernels().arena();
    const pS = a.f64(n);
    const pPool = a.i32(pool.length);
    const pHeap = a.i32(k);
    const x = a.commit();
    x.f64(pS, n).set(score);
    x.i32(pPool, pool.length).set(pool);
    const size = x.exports.topK(pS, pPool, pool.length, k, pHeap);
    return x.i32(pHeap, size).slice();
  },
  lambdaSweep(
    g: Float64Array,
    f: Float64Array,
    pool: Int32Array,
    k: number,
    lambdas: Float64Array,
  ): LambdaSweepRaw {
    const n = g.length;
    const m = pool.length;
    const L = lambdas.length;
    const a = loadKernels().arena();
    const o = {
      g: a.f64(n),
      f: a.f64(n),
      pool: a.i32(m),
      lambdas: a.f64(L),
      score: a.f64(n),
      heap: a.i32(k),
      uG: a.f64(L),
      uF: a.f64(L),
      h: a.f64(L),
      best: a.i32(k),
      norms: a.f64(2),
    };
    const x = a.commit();
    put(x, o, g, f, pool);
    x.f64(o.lambdas, L).set(lambdas);
    const bestIndex = x.exports.nashLambdaSweep(
      n,
      o.g,
      o.f,
      o.pool,
      m,
      k,
      o.lambdas,
      L,
      o.score,
      o.heap,
      o.uG,
      o.uF,
      o.h,
      o.best,
      o.norms,
    );
    const norms = x.f64(o.norms, 2);
    return {
      uG: x.f64(o.uG, L).slice(),
      uF: x.f64(o.uF, L).slice(),
      h: x.f64(o.h, L).slice(),
      bestIndex,
      best: bestIndex < 0 ? new Int32Array(0) : x.i32(o.best, Math.min(k, m)).slice(),
      G: norms[0]!,
      F: norms[1]!,
    };
  },
  swap(g: Float64Array, f: Float64Array, pool: Int32Array, start: Int32Array, maxPasses: number) {
    const n = g.length;
    const m = pool.length;
    const k = start.length;
    const a = loadKernels().arena();
    const o = { g: a.f64(n), f: a.f64(n), pool: a.i32(m), sel: a.i32(k), inSet: a.u8(n) };
    const x = a.commit();
    put(x, o, g, f, pool);
    x.i32(o.sel, k).set(start);
    const passes = x.exports.nashSwap(n, o.g, o.f, o.pool, m, k, o.sel, o.inSet, maxPasses);
    return { sel: x.i32(o.sel, k).slice(), passes };
  },
  dp(plan: NashDpPlan): NashDpTable {
    const { gq, w, k, B, cap, off, delta, Fp } = plan;
    const m = gq.length;
    const W = B + 1;
    const words = Math.floor((plan.bits + 31) / 32) + 1;
    const a = loadKernels().arena();
    const o = {
      gq: a.f64(m),
      w: a.i32(m),
      cap: a.i32(k + 1),
      off: a.f64(k + 2),
      table: a.f64((k + 1) * W),
      bits: a.i32(words),
      sel: a.i32(k),
      out: a.f64(3),
    };
    const x = a.commit();
    x.f64(o.gq, m).set(gq);
    x.i32(o.w, m).set(w);
    x.i32(o.cap, k + 1).set(cap);
    x.f64(o.off, k + 2).set(off);
    // The kernel also picks b̂ (G₀ = F₀ = 0) and reads the set back: returned as the table's `pick`, so
    // core's nashDpSelection does not rebuild it (core's conformance suite checks it equals
    // pickNashDp + reconstructNashDp on the same table).
    const bucket = x.exports.nashDp(
      m,
      o.gq,
      o.w,
      k,
      B,
      o.cap,
      o.off,
      o.table,
      o.bits,
      delta,
      Fp,
      o.sel,
      o.out,
    );
    if (bucket === -2) throw new Error('internal: Nash DP reconstruction failed (wasm)');
    return {
      top: x.f64(o.table + k * W * 8, cap[k]! + 1).slice(),
      bits: new Uint32Array(x.memory.buffer, o.bits, words).slice(),
      pick: {
        bucket,
        upper: x.f64(o.out, 3)[2]!,
        items: bucket < 0 ? new Int32Array(0) : x.i32(o.sel, k).slice(),
      },
    };
  },
});
function put(
  x: Kernels,
  o: { g: number; f: number; pool: number },
  g: Float64Array,
  f: Float64Array,
  pool: Int32Array,
): void {
  x.f64(o.g, g.length).set(g);
  x.f64(o.f, f.length).set(f);
  x.i32(o.pool, pool.length).set(pool);
}
