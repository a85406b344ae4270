/**
 * The `nash` family's public entry points (core) once the WebAssembly backend is registered: the
 * default is wasm, pools, the documented examples, and input errors naming the field. The kernels'
 * bit-for-bit equality with the TS reference and the brute-force guarantees are the shared conformance
 * suite's nash cases (conformance-wasm.test.ts); keep these small (a 400-s test once lived here).
 */
import { Rng, lambdaSweepTopK, nashCardinalityDp, swapLocalSearch, topKTs } from '@mechlab/core';
import { registerWasmBackend } from '@mechlab/kernels';
import type { MechlabErrorCode } from '@mechlab/core';
import { expectMechlabError } from '@mechlab/core/testing';

registerWasmBackend();

describe('Nash-product entry points (core) with the wasm backend registered', () => {
  it('pools restrict every kernel to their items', () => {
    const r = Rng.seed('kernels/nash-pool');
    const g = Float64Array.from({ length: 30 }, () => r.next());
    const f = Float64Array.from({ length: 30 }, () => r.next());
    const pool = [29, 3, 17, 8, 11, 25, 4];
    const allowed = new Set(pool);
    const sweep = lambdaSweepTopK(g, f, 3, [0, 0.5, 1], { pool });
    const swap = swapLocalSearch(g, f, [3, 17, 8], { pool });
    const dp = nashCardinalityDp(g, f, 3, { pool, epsilon: 0.05 });
    for (const sel of [sweep.best.selected, swap.selected, dp.selected]) {
      for (const i of sel) expect(allowed.has(i)).toBe(true);
    }
    expect(Array.from(topKTs(g, Int32Array.from(pool), 2))).toEqual(
      pool
        .sort((a, b) => g[b]! - g[a]!)
        .slice(0, 2)
        .sort((a, b) => a - b),
    );
  });

  it('documented example', () => {
    const s = lambdaSweepTopK([3.1, 2.0, 5.2], [0.1, 0.9, 0.05], 2, [0, 0.5, 1]);
    expect(s.backend).toBe('wasm');
    expect(
      lambdaSweepTopK([3.1, 2.0, 5.2], [0.1, 0.9, 0.05], 2, [0, 0.5, 1], { backend: 'ts' }).backend,
    ).toBe('ts');
    expect(Array.from(s.best.selected)).toEqual([1, 2]);
    expect(s.best.lambda).toBe(0.5);
    expect(s.best.product).toBeCloseTo(7.2 * 0.95, 12);
    expect(Array.from(swapLocalSearch([3.1, 2.0, 5.2], [0.1, 0.9, 0.05], [0, 2]).selected)).toEqual([1, 2]);
    expect(Array.from(nashCardinalityDp([3.1, 2.0, 5.2], [0.1, 0.9, 0.05], 2).selected)).toEqual([1, 2]);
  });

  it('swapLocalSearch reads each entry of start once (one parse, not two)', () => {
    const reads = new Map<string, number>();
    const start = new Proxy([0, 2], {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads.set(key, (reads.get(key) ?? 0) + 1);
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(Array.from(swapLocalSearch([3.1, 2.0, 5.2], [0.1, 0.9, 0.05], start).selected)).toEqual([1, 2]);
    expect(Object.fromEntries(reads)).toEqual({ '0': 1, '1': 1 });
  });

  it('validates its input and names the field', () => {
    const cases: [() => unknown, MechlabErrorCode, string][] = [
      [() => lambdaSweepTopK([1, -1], [1, 1], 1, [0.5]), 'ERR_OUT_OF_RANGE', 'uG[1] must be ≥ 0, got -1'],
      [
        () => lambdaSweepTopK([1, 1], [1], 1, [0.5]),
        'ERR_OUT_OF_RANGE',
        'uF must be the same length as uG (2), got an array of length 1',
      ],
      [
        () => lambdaSweepTopK([1, 1], [1, 1], 3, [0.5]),
        'ERR_OUT_OF_RANGE',
        'k must be in [1, 2] (the pool size), got 3',
      ],
      [
        () => lambdaSweepTopK([1, 1], [1, 1], 1, [1.5]),
        'ERR_OUT_OF_RANGE',
        'lambdas[0] must be in [0, 1], got 1.5',
      ],
      [
        () => lambdaSweepTopK([1, 1], [1, 1], 1, [0], { pool: [0, 0] }),
        'ERR_OUT_OF_RANGE',
        'pool[1] must be a distinct integer index in [0, 1], got 0',
      ],
      [
        () => swapLocalSearch([1, 1], [1, 1], [0, 0]),
        'ERR_OUT_OF_RANGE',
        'start[1] must be a distinct index of the pool, got 0',
      ],
      [
        () => nashCardinalityDp([1, 1], [1, 1], 1, { epsilon: 2 }),
        'ERR_OUT_OF_RANGE',
        'epsilon must be < 1, got 2',
      ],
      [
        () => nashCardinalityDp([1, 1], [1, 1], 1, { backend: 'gpu' as 'ts' }),
        'ERR_INVALID_TYPE',
        'backend must be "ts" or "wasm" (the registered backends), got "gpu"',
      ],
      [
        () => lambdaSweepTopK([1, 1], Float64Array.of(1, Infinity), 1, [0.5]),
        'ERR_OUT_OF_RANGE',
        'uF[1] must be a finite number, got Infinity',
      ],
      [
        () => lambdaSweepTopK([1, NaN], [1, 1], 1, [0.5]),
        'ERR_INVALID_TYPE',
        'uG[1] must be a number, got NaN',
      ],
      [
        () => lambdaSweepTopK([], [], 1, [0.5]),
        'ERR_OUT_OF_RANGE',
        'uG must be a non-empty array, got an array of length 0',
      ],
      [
        () => lambdaSweepTopK([1, 1], [1, 1], 1.5, [0.5]),
        'ERR_INVALID_TYPE',
        'k must be an integer, got 1.5',
      ],
      [
        () => lambdaSweepTopK([1, 1], [1, 1], 1, []),
        'ERR_OUT_OF_RANGE',
        'lambdas must be a non-empty array, got an array of length 0',
      ],
      [
        () => lambdaSweepTopK([1, 1], [1, 1], 1, [0.5], 3 as never),
        'ERR_INVALID_TYPE',
        'opts must be an object, got 3',
      ],
      [
        () => swapLocalSearch([1, 1], [1, 1], [0], { maxPasses: -1 }),
        'ERR_OUT_OF_RANGE',
        'maxPasses must be ≥ 0, got -1',
      ],
      [
        () => swapLocalSearch([1, 1, 1], [1, 1, 1], [2], { pool: [0, 1] }),
        'ERR_OUT_OF_RANGE',
        'start[0] must be a distinct index of the pool, got 2',
      ],
      [
        () => nashCardinalityDp([1, 1], [1, 1], 1, { delta: 0 }),
        'ERR_OUT_OF_RANGE',
        'delta must be > 0, got 0',
      ],
      [
        () => nashCardinalityDp([1, 1], [1, 1], 1, { lowerBound: Infinity }),
        'ERR_OUT_OF_RANGE',
        'lowerBound must be a finite number, got Infinity',
      ],
      [
        () => nashCardinalityDp([1, 1], [1, 1], 1, { maxBits: 0 }),
        'ERR_OUT_OF_RANGE',
        'maxBits must be a positive number, got 0',
      ],
    ];
    for (const [fn, code, msg] of cases) expectMechlabError(fn, { code, message: msg });
    expect(nashCardinalityDp([1, 2], [2, 1], 1, { maxBits: Infinity }).product).toBe(2);
    expect(() =>
      nashCardinalityDp(
        Float64Array.from({ length: 300 }, (_, i) => i + 1),
        new Float64Array(300).fill(1),
        150,
        { delta: 1e-6 },
      ),
    ).toThrow(/raise epsilon/);
  });
});
