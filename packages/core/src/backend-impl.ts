/**
 * Backend registry keyed by kernel family: one interface per family, many implementations (STYLE.md
 * §3, after onnxruntime's `js/common/lib/backend-impl.ts` `registerBackend`/`resolveBackend`,
 * generalised to several families). The families: `ccs` (the CCS design solvers, per algorithm),
 * `mckp`, `equilibrium`, `nash`, `hop`; each family's TypeScript reference lives once, in core, and a
 * backend registers the families it implements ({@link registerKernels}, {@link registerBackend}).
 *
 * Core ships the TypeScript reference (`'ts'`, priority 0) and knows nothing else; another package
 * (`@mechlab/kernels`, WebAssembly) registers `'wasm'` at a higher priority when its
 * `registerWasmBackend()` is called. Every entry point that accepts `backend?` resolves it here:
 * - `backend` given → that backend, or a `MechlabError` naming `backend` (unknown name, not
 *   registered, does not implement the algorithm, or failed to initialise — the message lists what
 *   is available);
 * - `backend` omitted → the backend of the innermost {@link withBackendScope} if it implements the
 *   family, else the highest-priority registered backend that implements it and
 *   initialises successfully (a failed initialisation is remembered and skipped, so the TS reference
 *   is the fallback everywhere).
 * `init` runs once, lazily, at the first resolution that needs the backend; its outcome is cached.
 * Every result reports the backend that actually ran.
 *
 * Nested kernel calls made *inside* a solver (e.g. the NSR solver's knapsack) resolve an omitted
 * `backend` to the solver's own backend first ({@link withBackendScope}), so a `'ts'` solve never
 * silently runs WASM code and vice versa.
 *
 * The registry is module state: one per loaded copy of `@mechlab/core` (one per jest test file, one per
 * worker thread). Registration is idempotent; registering the same name again merges into the entry.
 */
import { MechlabError, typeError } from './errors';
import type { CcsAlgo, CcsSolver } from './ccs/solvers/common';
import type { EquilibriumKernels } from './ccs/equilibrium-dense';
import type { HopKernels } from './ccs/solvers/hop';
import type { NashKernels } from './nash/reference';
import type { CcsPipelineKernels } from './ccs/pipeline';
import {
  BACKEND_NAMES,
  KERNEL_FAMILIES,
  type BackendImpl,
  type BackendInfo,
  type BackendName,
  type FamilyKernels,
  type KernelFamily,
  type MckpKernels,
} from './backend';

interface Entry {
  readonly name: BackendName;
  priority: number;
  order: number;
  init: (() => void) | undefined;
  ccs: Partial<Record<CcsAlgo, CcsSolver>>;
  mckp: MckpKernels | undefined;
  equilibrium: EquilibriumKernels | undefined;
  nash: NashKernels | undefined;
  hop: HopKernels | undefined;
  ccsPipeline: CcsPipelineKernels | undefined;
  state: 'pending' | 'ready' | 'failed';
  error: string | undefined;
}

const registry = new Map<BackendName, Entry>();
let registrations = 0;
let scope: BackendName | undefined;
const ALGO_ORDER: readonly CcsAlgo[] = ['exact', 'nsr', 'hop', 'gcs', 'equal'];

/**
 * Register (or extend) a backend. Idempotent: registering the same name again merges the solvers,
 * replaces the kernels of every family given and the init when given, and takes the new priority; a
 * changed `init` resets the cached initialisation.
 *
 * Complexity O(number of algorithms).
 * @throws MechlabError `ERR_INVALID_TYPE` for a name outside {@link BACKEND_NAMES} or a non-finite priority.
 * @example registerBackend('wasm', { priority: 10, init: loadWasm, mckp: wasmMckpKernels, nash: wasmNashKernels })
 */
export function registerBackend(name: BackendName, impl: BackendImpl): void {
  if (!BACKEND_NAMES.includes(name)) throw typeError('backend', `one of ${quoted(BACKEND_NAMES)}`, name);
  if (impl === null || typeof impl !== 'object') throw typeError('impl', 'an object {priority, …}', impl);
  if (typeof impl.priority !== 'number' || !Number.isFinite(impl.priority)) {
    throw typeError('priority', 'a finite number', impl.priority);
  }
  let e = registry.get(name);
  if (e === undefined) {
    e = {
      name,
      priority: impl.priority,
      order: registrations++,
      init: undefined,
      ccs: {},
      mckp: undefined,
      equilibrium: undefined,
      nash: undefined,
      hop: undefined,
      ccsPipeline: undefined,
      state: 'pending',
      error: undefined,
    };
    registry.set(name, e);
  }
  e.priority = impl.priority;
  if (impl.init !== undefined && impl.init !== e.init) {
    e.init = impl.init;
    e.state = 'pending';
    e.error = undefined;
  }
  if (impl.ccs) {
    for (const algo of ALGO_ORDER) {
      const s = impl.ccs[algo];
      if (s !== undefined) e.ccs[algo] = s;
    }
  }
  if (impl.mckp !== undefined) e.mckp = impl.mckp;
  if (impl.equilibrium !== undefined) e.equilibrium = impl.equilibrium;
  if (impl.nash !== undefined) e.nash = impl.nash;
  if (impl.hop !== undefined) e.hop = impl.hop;
  if (impl.ccsPipeline !== undefined) e.ccsPipeline = impl.ccsPipeline;
}

/**
 * Register one family's kernels under a backend (creating the backend at `priority`, default 0 for
 * `'ts'` and 10 otherwise, when it is new; an existing backend keeps its priority unless given).
 * Idempotent.
 *
 * Complexity O(number of algorithms).
 * @throws MechlabError as {@link registerBackend}; `ERR_INVALID_TYPE` naming `family` for an unknown family.
 * @example registerKernels('ts', 'nash', tsNashKernels)
 */
export function registerKernels<F extends KernelFamily>(
  backend: BackendName,
  family: F,
  impl: FamilyKernels[F],
  opts: { priority?: number; init?: () => void } = {},
): void {
  if (!KERNEL_FAMILIES.includes(family))
    throw typeError('family', `one of ${quoted(KERNEL_FAMILIES)}`, family);
  const priority = opts.priority ?? registry.get(backend)?.priority ?? (backend === 'ts' ? 0 : 10);
  const base: { priority: number; init?: () => void } = { priority };
  if (opts.init !== undefined) base.init = opts.init;
  registerBackend(backend, { ...base, [family]: impl } as BackendImpl);
}

/** {@link registerBackend} with CCS solvers only. O(1). */
export function registerCcsBackend(
  name: BackendName,
  solvers: Partial<Readonly<Record<CcsAlgo, CcsSolver>>>,
  priority: number,
  init?: () => void,
): void {
  registerBackend(name, init ? { priority, ccs: solvers, init } : { priority, ccs: solvers });
}

/** {@link registerBackend} with MCKP kernels only. O(1). */
export function registerMckpBackend(
  name: BackendName,
  kernels: MckpKernels,
  priority: number,
  init?: () => void,
): void {
  registerBackend(name, init ? { priority, mckp: kernels, init } : { priority, mckp: kernels });
}

/**
 * Remove a backend (tests, or a host that wants the TS reference only). The TS reference cannot be
 * removed. Returns whether something was removed. O(1).
 */
export function unregisterBackend(name: BackendName): boolean {
  if (name === 'ts') return false;
  return registry.delete(name);
}

/**
 * The registered backends, highest priority first, with what they implement and their
 * initialisation state. Never triggers initialisation. O(backends).
 * @example listBackends() // → [{ name: 'wasm', priority: 10, ccs: ['nsr', 'hop', 'gcs', 'equal'], mckp: true, state: 'ready' }, { name: 'ts', … }]
 */
export function listBackends(): BackendInfo[] {
  return sorted().map((e) => ({
    name: e.name,
    priority: e.priority,
    families: KERNEL_FAMILIES.filter((f) => implementsFamily(e, f)),
    ccs: ALGO_ORDER.filter((a) => e.ccs[a] !== undefined),
    mckp: e.mckp !== undefined,
    state: e.state,
    ...(e.error !== undefined ? { error: e.error } : {}),
  }));
}

/**
 * Validate a `backend` option: `undefined`, or the name of a registered backend.
 * @throws MechlabError `ERR_INVALID_TYPE` naming `backend` and listing the registered backends, e.g.
 *   `backend must be "ts" (the registered backends; "wasm" is added by registerWasmBackend() from @mechlab/kernels), got "wasm"`.
 */
export function checkBackendName(backend: unknown): BackendName | undefined {
  if (backend === undefined) return undefined;
  if (typeof backend === 'string' && registry.has(backend as BackendName)) return backend as BackendName;
  const names = sorted()
    .map((e) => e.name)
    .sort();
  const hint = registry.has('wasm') ? '' : '; "wasm" is added by registerWasmBackend() from @mechlab/kernels';
  throw typeError('backend', `${quoted(names)} (the registered backends${hint})`, backend);
}

/**
 * The CCS solver that will run `algo` for the requested backend (see the module comment).
 *
 * Complexity O(backends) plus a one-off initialisation.
 * @throws MechlabError `ERR_INVALID_TYPE` for an unknown/unregistered backend; `ERR_INVALID_INPUT`
 *   (field `backend`) when the requested backend does not implement `algo` or failed to initialise.
 */
export function resolveCcsSolver(algo: CcsAlgo, backend?: BackendName): CcsSolver {
  const e = pick(backend, (x) => x.ccs[algo] !== undefined, `the ${algo} solver`);
  return e.ccs[algo]!;
}

/**
 * The MCKP kernels for the requested backend, and its name.
 * @throws MechlabError as {@link resolveCcsSolver}.
 */
export function resolveMckpKernels(backend?: BackendName): { name: BackendName; kernels: MckpKernels } {
  const e = pick(backend, (x) => x.mckp !== undefined, 'the MCKP kernels');
  return { name: e.name, kernels: e.mckp! };
}

/**
 * The kernels of `family` for the requested backend, and the backend's name (see the module comment
 * for the resolution rule). For `ccs` the result is the backend's map of CCS solvers; use
 * {@link resolveCcsSolver} to resolve one algorithm.
 *
 * Complexity O(backends) plus a one-off initialisation.
 * @throws MechlabError `ERR_INVALID_TYPE` naming `backend` (unknown or unregistered name, listing the
 *   registered ones) or `family`; `ERR_INVALID_INPUT` naming `backend` when it does not implement the
 *   family (listing the backends that do) or failed to initialise.
 * @example resolveKernels('nash').name // → 'wasm' after registerWasmBackend(), else 'ts'
 */
export function resolveKernels<F extends KernelFamily>(
  family: F,
  backend?: BackendName,
): { name: BackendName; kernels: FamilyKernels[F] } {
  if (!KERNEL_FAMILIES.includes(family))
    throw typeError('family', `one of ${quoted(KERNEL_FAMILIES)}`, family);
  const e = pick(backend, (x) => implementsFamily(x, family), FAMILY_WHAT[family]);
  return { name: e.name, kernels: kernelsOf(e, family) };
}

/**
 * The backend an omitted `backend` resolves to for `family` (default: any family — the
 * highest-priority registered backend that initialises), honouring {@link withBackendScope}. Hosts
 * use it to report which backend a run will use before it starts (the sweep manifest, `--json`).
 *
 * Complexity O(backends) plus a one-off initialisation.
 * @throws MechlabError as {@link resolveKernels} when no backend implements `family`.
 * @example defaultBackend() // → 'wasm' after registerWasmBackend() when the kernels load, else 'ts'
 */
export function defaultBackend(family?: KernelFamily): BackendName {
  if (family === undefined) {
    return pick(undefined, (x) => KERNEL_FAMILIES.some((f) => implementsFamily(x, f)), 'any kernels').name;
  }
  return resolveKernels(family).name;
}

/**
 * Run `fn` with `name` as the default backend of every kernel call inside it that omits `backend`
 * (a solver's inner knapsack, a sweep task's solvers, …). Restores the previous scope afterwards,
 * also on throw. Synchronous `fn` only: the scope is module state, not carried across `await`.
 *
 * Complexity O(1) plus a check of the name.
 * @throws MechlabError `ERR_INVALID_TYPE` naming `backend` when `name` is not registered.
 * @example withBackendScope('ts', () => solveMckp(problem)).backend // → 'ts'
 */
export function withBackendScope<T>(name: BackendName, fn: () => T): T {
  checkBackendName(name);
  const saved = scope;
  scope = name;
  try {
    return fn();
  } finally {
    scope = saved;
  }
}

/** The backend set by the innermost running {@link withBackendScope}, or `undefined` outside one. O(1). */
export function currentBackendScope(): BackendName | undefined {
  return scope;
}

const FAMILY_WHAT: Readonly<Record<KernelFamily, string>> = {
  ccs: 'the CCS solvers',
  mckp: 'the MCKP kernels',
  equilibrium: 'the equilibrium kernels',
  nash: 'the Nash kernels',
  hop: 'the HOP kernel',
  ccsPipeline: 'the ccs.random-graph pipeline',
};

function implementsFamily(e: Entry, family: KernelFamily): boolean {
  if (family === 'ccs') return ALGO_ORDER.some((a) => e.ccs[a] !== undefined);
  return e[family] !== undefined;
}

function kernelsOf<F extends KernelFamily>(e: Entry, family: F): FamilyKernels[F] {
  return (family === 'ccs' ? e.ccs : e[family]) as FamilyKernels[F];
}

function pick(requested: BackendName | undefined, has: (e: Entry) => boolean, what: string): Entry {
  const name = checkBackendName(requested);
  if (name !== undefined) {
    const e = registry.get(name)!;
    if (!has(e)) {
      const others = sorted()
        .filter(has)
        .map((x) => x.name);
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `backend "${name}" does not implement ${what}; backends that do: ${others.join(', ') || 'none'}`,
        'backend',
      );
    }
    if (!ready(e)) {
      throw new MechlabError('ERR_INVALID_INPUT', `backend "${name}" is unavailable: ${e.error}`, 'backend');
    }
    return e;
  }
  if (scope !== undefined) {
    const e = registry.get(scope);
    if (e !== undefined && has(e) && ready(e)) return e;
  }
  for (const e of sorted()) if (has(e) && ready(e)) return e;
  throw new MechlabError('ERR_INVALID_INPUT', `no registered backend implements ${what}`, 'backend');
}

function ready(e: Entry): boolean {
  if (e.state === 'pending') {
    try {
      e.init?.();
      e.state = 'ready';
    } catch (err) {
      e.state = 'failed';
      e.error = err instanceof Error ? err.message : String(err);
    }
  }
  return e.state === 'ready';
}

function sorted(): Entry[] {
  return [...registry.values()].sort((a, b) => b.priority - a.priority || a.order - b.order);
}

function quoted(names: readonly string[]): string {
  const q = names.map((s) => `"${s}"`);
  return q.length <= 1 ? (q[0] ?? 'nothing') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}
