/** The backend registry seen from the WebAssembly package: priorities, routing, errors, init caching. */
import { Rng, listBackends, registerBackend, unregisterBackend } from '@mechlab/core';
import {
  createCcsInstance,
  randomCcsInstance,
  solveCcs,
  solveMckp,
  solveMckpDense,
  type MckpKernels,
} from '@mechlab/ccs';
import { kernelInfo, registerWasmBackend } from '@mechlab/kernels';
import { wasmCcsSolvers } from '../src/backend';
import { wasmMckpKernels } from '../src/mckp';
import { expectMechlabError } from '@mechlab/core/testing';

const inst = createCcsInstance({
  theta: [0.5, 0.4, 0.3],
  cost: [0.2, 0.3, 0.5],
  edges: [
    [0, 1, 0.25],
    [0, 2, 0.1],
  ],
});

describe('backend registry with the wasm backend', () => {
  beforeEach(() => registerWasmBackend());

  it('without registration only ts exists, and wasm is rejected naming the fix', () => {
    unregisterBackend('wasm');
    expect(listBackends().map((b) => b.name)).toEqual(['ts']);
    expectMechlabError(
      () => solveCcs(inst, { algo: 'gcs', backend: 'wasm' }),
      'ERR_INVALID_TYPE',
      'backend must be "ts" (the registered backends; "wasm" is added by registerWasmBackend() from @mechlab/kernels), got "wasm"',
    );
    expect(solveCcs(inst, { algo: 'gcs' }).backend).toBe('ts');
  });

  it('lists wasm first, with what it implements', () => {
    const [wasm, ts] = listBackends();
    expect(wasm).toMatchObject({
      name: 'wasm',
      priority: 10,
      members: { ccs: ['nsr', 'hop', 'gcs', 'equal'] },
      families: expect.arrayContaining(['ccs', 'mckp']),
    });
    expect(ts).toMatchObject({
      name: 'ts',
      priority: 0,
      members: { ccs: ['exact', 'nsr', 'hop', 'gcs', 'equal'] },
      families: expect.arrayContaining(['ccs', 'mckp']),
    });
  });

  it('defaults to the fastest backend implementing the algorithm, and reports it', () => {
    for (const algo of ['nsr', 'hop', 'gcs', 'equal'] as const) {
      expect(solveCcs(createCcsInstance({ theta: [1, 1], cost: [0.2, 0.3] }), { algo }).backend).toBe('wasm');
    }
    expect(solveCcs(inst, { algo: 'exact' }).backend).toBe('ts');
    expect(solveCcs(inst, { algo: 'gcs', backend: 'ts' }).backend).toBe('ts');
    const r = solveMckp({ capacity: 2, classes: [[{ weight: 1, profit: 1 }]] });
    expect(r.backend).toBe('wasm');
    expect(Object.keys(r)).not.toContain('backend'); // non-enumerable: structural equality ignores it
    expect(r).toEqual(solveMckp({ capacity: 2, classes: [[{ weight: 1, profit: 1 }]] }, { backend: 'ts' }));
    expect(solveMckpDense(1, 2, new Float64Array([0, 1, 1])).backend).toBe('wasm');
    expect(listBackends()[0]!.state).toBe('ready');
  });

  it('rejects unknown backends and algorithms the backend lacks', () => {
    expectMechlabError(
      () => solveCcs(inst, { algo: 'gcs', backend: 'cuda' as 'ts' }),
      'ERR_INVALID_TYPE',
      'backend must be "ts" or "wasm" (the registered backends), got "cuda"',
    );
    expectMechlabError(
      () => solveCcs(inst, { algo: 'exact', backend: 'wasm' }),
      'ERR_INVALID_INPUT',
      'backend "wasm" does not implement the exact solver; backends that do: ts',
    );
    expectMechlabError(
      () => solveMckp({ capacity: 1, classes: [] }, { backend: 'gpu' as 'ts' }),
      'ERR_INVALID_TYPE',
      /backend must be/,
    );
  });

  it('registration is idempotent and the priority decides the default', () => {
    registerWasmBackend();
    registerWasmBackend();
    expect(listBackends()).toHaveLength(2);
    registerWasmBackend({ priority: -1 });
    expect(listBackends().map((b) => b.name)).toEqual(['ts', 'wasm']);
    expect(solveCcs(inst, { algo: 'gcs' }).backend).toBe('ts');
    expect(solveCcs(inst, { algo: 'gcs', backend: 'wasm' }).backend).toBe('wasm');
  });

  it('a failing initialisation is cached: the default falls back to ts, an explicit request fails', () => {
    let calls = 0;
    unregisterBackend('wasm');
    registerBackend('wasm', {
      priority: 10,
      init: () => {
        calls++;
        throw new Error('build/release.wasm is missing — run `npm run build`');
      },
      ccs: wasmCcsSolvers,
      mckp: wasmMckpKernels,
    });
    expect(solveCcs(inst, { algo: 'gcs' }).backend).toBe('ts');
    expect(solveCcs(inst, { algo: 'hop' }).backend).toBe('ts');
    expect(calls).toBe(1);
    expect(listBackends()[0]).toMatchObject({
      name: 'wasm',
      state: 'failed',
      error: expect.stringContaining('npm run build'),
    });
    expectMechlabError(
      () => solveCcs(inst, { algo: 'gcs', backend: 'wasm' }),
      'ERR_INVALID_INPUT',
      'backend "wasm" is unavailable: build/release.wasm is missing — run `npm run build`',
    );
    registerWasmBackend(); // a new init resets the state
    expect(solveCcs(inst, { algo: 'gcs' }).backend).toBe('wasm');
  });

  it('a ts solve never runs another backend’s kernels (nested calls are scoped)', () => {
    const dense = jest.fn(wasmMckpKernels.dense);
    const spy: MckpKernels = { general: wasmMckpKernels.general, dense };
    registerBackend('wasm', { priority: 10, mckp: spy });
    const r = randomCcsInstance(Rng.seed('scope'), { n: 30, rho: 0.1 });
    expect(solveCcs(r, { algo: 'nsr', backend: 'ts' }).backend).toBe('ts');
    expect(dense).not.toHaveBeenCalled();
    solveMckpDense(1, 1, new Float64Array([0, 1])); // outside a solve: the default (wasm) runs
    expect(dense).toHaveBeenCalledTimes(1);
    registerWasmBackend();
  });

  it('wide argmax tables (> 32767 items per class, D > 32767) give the same answers', () => {
    const big = Array.from({ length: 40_000 }, (_, t) => ({ weight: t % 7, profit: (t * 7919) % 1000 }));
    const inst2 = { capacity: 12, classes: [big, big.slice(0, 5)] };
    expect(solveMckp(inst2, { backend: 'wasm' })).toEqual(solveMckp(inst2, { backend: 'ts' }));
    const D = 40_000;
    const profits = new Float64Array(3 * (D + 1));
    for (let i = 0; i < 3; i++)
      for (let k = 0; k <= D; k++) profits[i * (D + 1) + k] = k >= 10_000 * (i + 1) ? i + 1 : 0;
    const a = solveMckpDense(3, D, profits, { backend: 'wasm' });
    expect(a).toEqual(solveMckpDense(3, D, profits, { backend: 'ts' }));
    expect(a.value).toBe(4); // classes 0 and 2: 10000 + 30000 units
    expect(kernelInfo().memoryBytes).toBeGreaterThan(3 * (D + 1) * 8);
  });

  it('registerWasmBackend is idempotent and cheap: repeated calls keep the initialised module and every family', () => {
    registerWasmBackend();
    expect(solveMckpDense(1, 1, new Float64Array([0, 1])).backend).toBe('wasm'); // initialises
    const t = performance.now();
    for (let i = 0; i < 10_000; i++) registerWasmBackend();
    const perCallMs = (performance.now() - t) / 10_000;
    expect(perCallMs).toBeLessThan(0.05);
    const wasm = listBackends().find((b) => b.name === 'wasm')!;
    expect(wasm.state).toBe('ready'); // not reset to pending: the module is never recompiled
    expect([...wasm.families].sort()).toEqual(['ccs', 'ccsPipeline', 'equilibrium', 'hop', 'mckp', 'nash']);
    expect(listBackends().filter((b) => b.name === 'wasm')).toHaveLength(1);
  });
});
