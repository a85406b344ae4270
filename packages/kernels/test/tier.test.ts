/**
 * tier.ts: the kernels are compiled by V8's optimising tier (`--no-liftoff` set before compiling),
 * unless `MECHLAB_WASM_LIFTOFF=1`, and nothing happens where there is no `node:v8` (browsers, bundles).
 */
import { kernelInfo, registerWasmBackend } from '@mechlab/kernels';

type TierModule = typeof import('../src/tier');

function freshTier(): TierModule {
  let mod: TierModule | undefined;
  jest.isolateModules(() => {
    mod = jest.requireActual<TierModule>('../src/tier');
  });
  return mod!;
}

describe('wasm compilation tier', () => {
  const saved = process.env['MECHLAB_WASM_LIFTOFF'];
  afterEach(() => {
    if (saved === undefined) delete process.env['MECHLAB_WASM_LIFTOFF'];
    else process.env['MECHLAB_WASM_LIFTOFF'] = saved;
  });

  it('Node: the optimising tier, reported by kernelInfo()', () => {
    delete process.env['MECHLAB_WASM_LIFTOFF'];
    registerWasmBackend();
    expect(freshTier().chooseTier()).toBe('optimizing');
    expect(kernelInfo().tier).toBe('optimizing');
  });

  it('MECHLAB_WASM_LIFTOFF=1 opts out', () => {
    process.env['MECHLAB_WASM_LIFTOFF'] = '1';
    expect(freshTier().chooseTier()).toBe('default');
  });

  it('without node:v8 (a browser or bundle) it does nothing and says so', () => {
    delete process.env['MECHLAB_WASM_LIFTOFF'];
    const proc = process as unknown as { getBuiltinModule?: unknown };
    const original = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      expect(freshTier().chooseTier()).toBe('default');
    } finally {
      proc.getBuiltinModule = original;
    }
  });

  it('is idempotent: the first answer is kept', () => {
    const t = freshTier();
    delete process.env['MECHLAB_WASM_LIFTOFF'];
    const first = t.chooseTier();
    process.env['MECHLAB_WASM_LIFTOFF'] = '1';
    expect(t.chooseTier()).toBe(first);
  });
});
