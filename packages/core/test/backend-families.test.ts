/**
 * The backend registry keyed by kernel family (backend.ts): resolution, scopes, defaults and the
 * errors for every family — naming `backend` (or `family`) and listing what is available. The set of
 * families is open: this file adds two toy families the way `@mechlab/ccs` adds its own (declaration
 * merging on `KernelFamilies` plus `defineKernelFamily`), one of them with members.
 */
import {
  currentBackendScope,
  defaultBackend,
  defineKernelFamily,
  listBackends,
  registerBackend,
  registerKernels,
  resolveKernels,
  resolveMember,
  unregisterBackend,
  withBackendScope,
  type BackendName,
} from '@mechlab/core';
import { kernelFamilies } from '../src/backend-impl';
import { tsNashKernels } from '../src/nash/reference';
import { type KernelFamily } from '../src/backend';
import { expectMechlabError, refusalForUnimplemented } from '@mechlab/core/testing';

interface ToyKernels {
  readonly backend: BackendName;
  double(x: number): number;
}
type ToySolvers = Partial<Readonly<Record<'fast' | 'slow', (x: number) => BackendName>>>;

declare module '@mechlab/core' {
  interface KernelFamilies {
    readonly toy: ToyKernels;
    readonly toySolvers: ToySolvers;
  }
}

defineKernelFamily('toy', { what: 'the toy kernels' });
defineKernelFamily('toySolvers', { what: 'the toy solvers', members: ['fast', 'slow'] });
registerKernels('ts', 'toy', { backend: 'ts', double: (x) => 2 * x });
registerKernels('ts', 'toySolvers', { fast: () => 'ts', slow: () => 'ts' });

afterEach(() => unregisterBackend('wasm'));

describe('registry keyed by kernel family', () => {
  it('lists the families in definition order, core’s nash first, with the ts reference of each', () => {
    expect(kernelFamilies()).toEqual(['nash', 'toy', 'toySolvers']);
    const ts = listBackends().find((b) => b.name === 'ts')!;
    expect(ts.families).toEqual(['nash', 'toy', 'toySolvers']);
    expect(ts.members).toEqual({ toySolvers: ['fast', 'slow'] });
    for (const family of kernelFamilies()) {
      const r = resolveKernels(family);
      expect(r.name).toBe('ts');
      expect(r.kernels).toBeDefined();
    }
    expect(resolveKernels('nash').kernels.backend).toBe('ts');
    expect(resolveKernels('toy').kernels.double(3)).toBe(6); // typed through the merged interface
    expect(defaultBackend()).toBe('ts');
  });

  it('a registered backend becomes the default of the families it implements only', () => {
    const fake = { ...tsNashKernels, backend: 'wasm' as const };
    registerKernels('wasm', 'nash', fake);
    expect(resolveKernels('nash')).toEqual({ name: 'wasm', kernels: fake });
    expect(resolveKernels('nash', 'ts').name).toBe('ts');
    expect(resolveKernels('toy').name).toBe('ts');
    expect(defaultBackend('nash')).toBe('wasm');
    expect(defaultBackend('toy')).toBe('ts');
    expect(defaultBackend()).toBe('wasm');
    expect(listBackends()[0]).toMatchObject({
      name: 'wasm',
      priority: 10,
      families: ['nash'],
      members: { toySolvers: [] },
    });
    // Registering again is idempotent.
    registerKernels('wasm', 'nash', fake);
    expect(listBackends().filter((b) => b.name === 'wasm')).toHaveLength(1);
  });

  it('a family with members merges registrations member by member and resolves each member', () => {
    registerKernels('wasm', 'toySolvers', { fast: () => 'wasm' });
    expect(listBackends()[0]).toMatchObject({ name: 'wasm', members: { toySolvers: ['fast'] } });
    registerBackend('wasm', { priority: 10, toySolvers: { slow: () => 'wasm' } });
    expect(listBackends()[0]!.members.toySolvers).toEqual(['fast', 'slow']);
    unregisterBackend('wasm');
    registerKernels('wasm', 'toySolvers', { fast: () => 'wasm' });
    expect(resolveMember('toySolvers', 'fast', 'the fast solver').name).toBe('wasm');
    expect(resolveMember('toySolvers', 'fast', 'the fast solver').kernel(1)).toBe('wasm');
    expect(resolveMember('toySolvers', 'slow', 'the slow solver').name).toBe('ts');
    const e = expectMechlabError(() => resolveMember('toySolvers', 'slow', 'the slow solver', 'wasm'));
    expect(e.code).toBe('ERR_INVALID_INPUT');
    expect(e.message).toBe('backend "wasm" does not implement the slow solver; backends that do: ts');
  });

  it.each(['toy', 'toySolvers'] as const)(
    'family %s: a backend that does not implement it is an error naming backend and listing the ones that do',
    (family: KernelFamily) => {
      registerKernels('wasm', 'nash', { ...tsNashKernels, backend: 'wasm' });
      const e = expectMechlabError(() => resolveKernels(family, 'wasm'));
      expect(e.code).toBe('ERR_INVALID_INPUT');
      expect(e.field).toBe('backend');
      expect(e.message).toMatch(/^backend "wasm" does not implement the .+; backends that do: ts$/);
    },
  );

  it.each(['nash', 'toy', 'toySolvers'] as const)(
    'family %s: unknown and unregistered backends name backend and list the registered ones',
    (family: KernelFamily) => {
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

  it('an unknown family is an error naming family, in resolution and in registration', () => {
    const e = expectMechlabError(() => resolveKernels('fft' as KernelFamily));
    expect(e.field).toBe('family');
    expect(e.message).toBe('family must be one of "nash", "toy" or "toySolvers", got "fft"');
    const r = expectMechlabError(() =>
      registerBackend('wasm', { priority: 1, fft: {} } as unknown as Parameters<typeof registerBackend>[1]),
    );
    expect(r.code).toBe('ERR_INVALID_TYPE');
    expect(r.field).toBe('impl.fft');
    expect(r.message).toBe('impl.fft is not a kernel family: must be one of "nash", "toy" or "toySolvers"');
    expect(listBackends().map((b) => b.name)).toEqual(['ts']);
    const d = expectMechlabError(() => defineKernelFamily('init' as KernelFamily, { what: 'x' }));
    expect([d.code, d.field]).toEqual(['ERR_INVALID_TYPE', 'family']);
  });

  it('registerBackend and defineKernelFamily parse their arguments with zod (code and field path)', () => {
    type Impl = Parameters<typeof registerBackend>[1];
    const cases: [() => unknown, string, string][] = [
      [() => registerBackend('gpu' as BackendName, { priority: 1 }), 'ERR_INVALID_INPUT', 'backend'],
      [() => registerBackend('wasm', null as unknown as Impl), 'ERR_INVALID_TYPE', 'impl'],
      [() => registerBackend('wasm', { priority: Infinity }), 'ERR_OUT_OF_RANGE', 'impl.priority'],
      [
        () => registerBackend('wasm', { priority: '1' } as unknown as Impl),
        'ERR_INVALID_TYPE',
        'impl.priority',
      ],
      [
        () => registerBackend('wasm', { priority: 1, init: 3 } as unknown as Impl),
        'ERR_INVALID_TYPE',
        'impl.init',
      ],
      [() => defineKernelFamily('' as KernelFamily, { what: 'x' }), 'ERR_INVALID_TYPE', 'family'],
      [
        () => defineKernelFamily('toy', { what: 3 } as unknown as { what: string }),
        'ERR_INVALID_TYPE',
        'info.what',
      ],
    ];
    for (const [f, code, field] of cases) {
      const e = expectMechlabError(f);
      expect([e.code, e.field]).toEqual([code, field]);
    }
    expect(listBackends().map((b) => b.name)).toEqual(['ts']);
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
        expect(resolveKernels('toy').name).toBe('ts');
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
    expect(withBackendScope('ts', () => resolveKernels('toy').kernels.backend)).toBe('ts');
    expect(expectMechlabError(() => withBackendScope('gpu' as BackendName, () => 1)).field).toBe('backend');
  });
});

describe('conformance for a family a backend lacks: one refusal case, no skip', () => {
  const cases = [
    { name: 'toy: doubles', run: () => undefined },
    { name: 'toy: halves', run: () => undefined },
    { name: 'toySolvers: fast', run: () => undefined },
  ];

  it('replaces the family’s cases by one case that passes when the backend refuses it', () => {
    registerBackend('wasm', { priority: 10, toySolvers: { fast: () => 'wasm' } });
    const out = refusalForUnimplemented('wasm', cases, ['toy', 'toySolvers']);
    expect(out.map((c) => c.name)).toEqual([
      'toy: backend "wasm" does not implement it, and asking it for the toy kernels is refused naming backend',
      'toySolvers: fast',
    ]);
    expect(() => out[0]!.run()).not.toThrow();
    // the ts reference implements both: its cases stay as they are
    expect(refusalForUnimplemented('ts', cases, ['toy', 'toySolvers'])).toEqual(cases);
  });

  it('the refusal case fails when the backend gives the kernels after all', () => {
    registerBackend('wasm', { priority: 10, toySolvers: { fast: () => 'wasm' } });
    const [refusal] = refusalForUnimplemented('wasm', cases, ['toy']);
    registerBackend('wasm', { priority: 10, toy: { backend: 'wasm', double: (x) => 2 * x } });
    expect(() => refusal!.run()).toThrow(/expected a MechlabError on backend/);
  });
});
