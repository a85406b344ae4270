/**
 * The backend registry keyed by kernel family (backend.ts): resolution, scopes, defaults and the
 * errors for every family — naming `backend` (or `family`) and listing what is available.
 */
import {
  KERNEL_FAMILIES,
  currentBackendScope,
  defaultBackend,
  listBackends,
  registerKernels,
  resolveKernels,
  solveMckp,
  tsNashKernels,
  unregisterBackend,
  withBackendScope,
  type BackendName,
  type KernelFamily,
} from '@mechlab/core';
import { expectMechlabError } from '@mechlab/core/testing';

afterEach(() => unregisterBackend('wasm'));

describe('registry keyed by kernel family', () => {
  it('core registers the ts reference of every family', () => {
    const ts = listBackends().find((b) => b.name === 'ts')!;
    expect(ts.families).toEqual(['ccs', 'mckp', 'equilibrium', 'nash', 'hop', 'ccsPipeline']);
    for (const family of KERNEL_FAMILIES) {
      const r = resolveKernels(family);
      expect(r.name).toBe('ts');
      expect(r.kernels).toBeDefined();
      if (family !== 'ccs' && family !== 'mckp') {
        expect((r.kernels as { backend: BackendName }).backend).toBe('ts');
      }
    }
    expect(defaultBackend()).toBe('ts');
  });

  it('a registered backend becomes the default of the families it implements only', () => {
    const fake = { ...tsNashKernels, backend: 'wasm' as const };
    registerKernels('wasm', 'nash', fake);
    expect(resolveKernels('nash')).toEqual({ name: 'wasm', kernels: fake });
    expect(resolveKernels('nash', 'ts').name).toBe('ts');
    expect(resolveKernels('hop').name).toBe('ts');
    expect(defaultBackend('nash')).toBe('wasm');
    expect(defaultBackend('mckp')).toBe('ts');
    expect(defaultBackend()).toBe('wasm');
    expect(listBackends()[0]).toMatchObject({ name: 'wasm', priority: 10, families: ['nash'] });
    // Registering again is idempotent.
    registerKernels('wasm', 'nash', fake);
    expect(listBackends().filter((b) => b.name === 'wasm')).toHaveLength(1);
  });

  it.each(KERNEL_FAMILIES.filter((f) => f !== 'nash'))(
    'family %s: a backend that does not implement it is an error naming backend and listing the ones that do',
    (family: KernelFamily) => {
      registerKernels('wasm', 'nash', { ...tsNashKernels, backend: 'wasm' });
      const e = expectMechlabError(() => resolveKernels(family, 'wasm'));
      expect(e.code).toBe('ERR_INVALID_INPUT');
      expect(e.field).toBe('backend');
      expect(e.message).toMatch(/^backend "wasm" does not implement the .+; backends that do: ts$/);
    },
  );

  it.each(KERNEL_FAMILIES)(
    'family %s: unknown and unregistered backends name backend and list the registered ones',
    (family) => {
      const unknown = expectMechlabError(() => resolveKernels(family, 'gpu' as BackendName));
      expect(unknown.code).toBe('ERR_INVALID_TYPE');
      expect(unknown.field).toBe('backend');
      expect(unknown.message).toBe(
        'backend must be "ts" (the registered backends; "wasm" is added by registerWasmBackend() from @mechlab/kernels), got "gpu"',
      );
      expect(expectMechlabError(() => resolveKernels(family, 'wasm')).message).toContain('got "wasm"');
    },
  );

  it('a backend whose initialisation fails is skipped by default and an error when asked for', () => {
    registerKernels(
      'wasm',
      'nash',
      { ...tsNashKernels, backend: 'wasm' },
      {
        init: () => {
          throw new Error('no module');
        },
      },
    );
    expect(resolveKernels('nash').name).toBe('ts');
    const e = expectMechlabError(() => resolveKernels('nash', 'wasm'));
    expect(e.field).toBe('backend');
    expect(e.message).toBe('backend "wasm" is unavailable: no module');
    expect(listBackends()[0]).toMatchObject({ name: 'wasm', state: 'failed', error: 'no module' });
  });

  it('an unknown family is an error naming family', () => {
    const e = expectMechlabError(() => resolveKernels('fft' as KernelFamily));
    expect(e.field).toBe('family');
    expect(e.message).toBe(
      'family must be one of "ccs", "mckp", "equilibrium", "nash", "hop" or "ccsPipeline", got "fft"',
    );
  });

  it('withBackendScope sets the default of nested calls, nests, restores on throw; currentBackendScope reports it', () => {
    registerKernels('wasm', 'nash', { ...tsNashKernels, backend: 'wasm' });
    expect(currentBackendScope()).toBeUndefined();
    withBackendScope('ts', () => {
      expect(currentBackendScope()).toBe('ts');
      expect(resolveKernels('nash').name).toBe('ts');
      expect(defaultBackend()).toBe('ts');
      withBackendScope('wasm', () => {
        expect(currentBackendScope()).toBe('wasm');
        expect(resolveKernels('nash').name).toBe('wasm');
        // A family the scoped backend lacks falls back to the registry's default.
        expect(resolveKernels('mckp').name).toBe('ts');
      });
      expect(currentBackendScope()).toBe('ts');
      // An explicit backend beats the scope.
      expect(resolveKernels('nash', 'wasm').name).toBe('wasm');
    });
    expect(() =>
      withBackendScope('ts', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(currentBackendScope()).toBeUndefined();
    expect(
      withBackendScope('ts', () => solveMckp({ capacity: 1, classes: [[{ weight: 1, profit: 1 }]] })).backend,
    ).toBe('ts');
    expect(expectMechlabError(() => withBackendScope('gpu' as BackendName, () => 1)).field).toBe('backend');
  });
});
