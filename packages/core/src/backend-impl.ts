/**
 * Backend registry keyed by kernel family: one interface per family, many implementations (STYLE.md
 * §3, after onnxruntime's `js/common/lib/backend-impl.ts` `registerBackend`/`resolveBackend`,
 * generalised to several families). The set of families is open (backend.ts): core defines `nash`,
 * `@mechlab/ccs` defines `ccs` (the CCS design solvers, per algorithm), `mckp`, `equilibrium`, `hop` and
 * `ccsPipeline` ({@link defineKernelFamily}); each family's TypeScript reference lives once, in the
 * package that defines it, and a backend registers the families it implements ({@link registerKernels},
 * {@link registerBackend}).
 *
 * The defining packages register the TypeScript reference (`'ts'`, priority 0); another package
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
import { z } from 'zod';
import { MechlabError, typeError } from './errors';
import { addMechlabIssue, parseWithSchema } from './validate';
import {
  BACKEND_NAMES,
  type BackendImpl,
  type BackendInfo,
  type BackendName,
  type KernelFamilies,
  type KernelFamily,
  type KernelFamilyInfo,
} from './backend';

interface Entry {
  readonly name: BackendName;
  priority: number;
  order: number;
  init: (() => void) | undefined;
  /** The kernels of each family it implements (for a family with members: a partial map of them). */
  readonly kernels: Map<KernelFamily, unknown>;
  state: 'pending' | 'ready' | 'failed';
  error: string | undefined;
}

const registry = new Map<BackendName, Entry>();
const families = new Map<KernelFamily, KernelFamilyInfo>();
let registrations = 0;
let scope: BackendName | undefined;

/**
 * Declare a kernel family at run time (its type comes from declaration merging on `KernelFamilies`,
 * backend.ts). The package that owns the family calls it once at load, before registering its TS
 * reference; a repeated call with the same name replaces the description. Families are listed in
 * definition order.
 *
 * Complexity O(1).
 * @throws MechlabError `ERR_INVALID_TYPE` naming `family` for a name that is not a non-empty string
 *   (or is `priority`/`init`), or `info.what` / `info.members` of the wrong type.
 * @example defineKernelFamily('mckp', { what: 'the MCKP kernels' })
 */
export function defineKernelFamily(family: KernelFamily, info: KernelFamilyInfo): void {
  parseWithSchema(familySchema, { family, info }, '');
  families.set(family, info);
  implParser = undefined; // the set of families changed: rebuild registerBackend's schema
}

/** {@link defineKernelFamily}'s arguments: a family name that cannot clash with `BackendImpl`'s own keys. */
const familySchema = z.object({
  family: z.string().refine((f) => f !== '' && f !== 'priority' && f !== 'init', {
    params: { expected: 'a kernel family name (not "priority" or "init")', mechlab: 'ERR_INVALID_TYPE' },
  }),
  info: z.object({ what: z.string(), members: z.array(z.string()).optional() }),
});

/** {@link registerBackend}'s `name`. */
const backendNameSchema = z.enum(BACKEND_NAMES);

/** {@link implSchema} for the current families, built at the first registration after a change. */
let implParser: ReturnType<typeof implSchema> | undefined;

/**
 * {@link registerBackend}'s `impl`: a finite priority, an optional init function, and kernels only of
 * defined families (built per call: the set of families is open, {@link defineKernelFamily}).
 */
function implSchema(defined: ReadonlyMap<KernelFamily, KernelFamilyInfo>) {
  return z
    .object({
      priority: z.number(),
      init: z
        .custom<() => void>((v) => typeof v === 'function', {
          params: { expected: 'a function', mechlab: 'ERR_INVALID_TYPE' },
        })
        .optional(),
    })
    .catchall(z.unknown())
    .superRefine((impl, ctx) => {
      for (const [key, kernels] of Object.entries(impl)) {
        if (key === 'priority' || key === 'init' || kernels === undefined) continue;
        if (!defined.has(key as KernelFamily)) {
          const names = quoted([...defined.keys()]);
          addMechlabIssue(ctx, [key], 'ERR_INVALID_TYPE', `is not a kernel family: must be one of ${names}`);
          return;
        }
      }
    });
}

/** The defined kernel families, in definition order (core's `nash` first). O(families). */
export function kernelFamilies(): KernelFamily[] {
  return [...families.keys()];
}

/**
 * Register (or extend) a backend. Idempotent: registering the same name again merges the members of
 * a family with members (the CCS solvers), replaces the kernels of every other family given and the
 * init when given, and takes the new priority; a changed `init` resets the cached initialisation.
 *
 * Complexity O(families + members).
 * @throws MechlabError naming the field: `backend` outside {@link BACKEND_NAMES} (`ERR_INVALID_INPUT`),
 *   `impl.priority` not a finite number, `impl.init` not a function, or `impl.<key>` for kernels of a
 *   family no package has defined (`ERR_INVALID_TYPE`).
 * @example registerBackend('wasm', { priority: 10, init: loadWasm, nash: wasmNashKernels })
 */
export function registerBackend(name: BackendName, impl: BackendImpl): void {
  parseWithSchema(backendNameSchema, name, 'backend');
  implParser ??= implSchema(families);
  parseWithSchema(implParser, impl, 'impl');
  const given: [KernelFamily, unknown][] = [];
  for (const [key, kernels] of Object.entries(impl)) {
    if (key === 'priority' || key === 'init' || kernels === undefined) continue;
    given.push([key as KernelFamily, kernels]);
  }
  let e = registry.get(name);
  if (e === undefined) {
    e = {
      name,
      priority: impl.priority,
      order: registrations++,
      init: undefined,
      kernels: new Map(),
      state: 'pending',
      error: undefined,
    };
    registry.set(name, e);
  }
  e.priority = impl.priority;
  bySorted = undefined;
  if (impl.init !== undefined && impl.init !== e.init) {
    e.init = impl.init;
    e.state = 'pending';
    e.error = undefined;
  }
  for (const [family, kernels] of given) {
    const members = families.get(family)!.members;
    if (members === undefined) {
      e.kernels.set(family, kernels);
      continue;
    }
    const merged = { ...(e.kernels.get(family) as Record<string, unknown> | undefined) };
    const add = kernels as Readonly<Record<string, unknown>>;
    for (const m of members) if (add[m] !== undefined) merged[m] = add[m];
    e.kernels.set(family, merged);
  }
}

/**
 * Register one family's kernels under a backend (creating the backend at `priority`, default 0 for
 * `'ts'` and 10 otherwise, when it is new; an existing backend keeps its priority unless given).
 * Idempotent.
 *
 * Complexity O(members).
 * @throws MechlabError as {@link registerBackend}; `ERR_INVALID_TYPE` naming `family` for an unknown family.
 * @example registerKernels('ts', 'nash', tsNashKernels)
 */
export function registerKernels<F extends KernelFamily>(
  backend: BackendName,
  family: F,
  impl: KernelFamilies[F],
  opts: { priority?: number; init?: () => void } = {},
): void {
  checkFamily(family);
  const priority = opts.priority ?? registry.get(backend)?.priority ?? (backend === 'ts' ? 0 : 10);
  const base: { priority: number; init?: () => void } = { priority };
  if (opts.init !== undefined) base.init = opts.init;
  registerBackend(backend, { ...base, [family]: impl } as BackendImpl);
}

/**
 * Remove a backend (tests, or a host that wants the TS reference only). The TS reference cannot be
 * removed. Returns whether something was removed. O(1).
 */
export function unregisterBackend(name: BackendName): boolean {
  if (name === 'ts') return false;
  bySorted = undefined;
  return registry.delete(name);
}

/**
 * The registered backends, highest priority first, with what they implement and their
 * initialisation state. Never triggers initialisation. O(backends · families).
 * @example listBackends() // → [{ name: 'wasm', priority: 10, families: ['nash', 'ccs', …], members: { ccs: ['nsr', 'hop', 'gcs', 'equal'] }, state: 'ready' }, { name: 'ts', … }]
 */
export function listBackends(): BackendInfo[] {
  return sorted().map((e) => {
    const members: Partial<Record<KernelFamily, readonly string[]>> = {};
    for (const [family, info] of families) {
      if (info.members === undefined) continue;
      const k = e.kernels.get(family) as Readonly<Record<string, unknown>> | undefined;
      members[family] = info.members.filter((m) => k?.[m] !== undefined);
    }
    return {
      name: e.name,
      priority: e.priority,
      families: kernelFamilies().filter((f) => implementsFamily(e, f)),
      members,
      state: e.state,
      ...(e.error !== undefined ? { error: e.error } : {}),
    };
  });
}

/**
 * Validate a `backend` option: `undefined`, or the name of a registered backend.
 * @throws MechlabError `ERR_INVALID_TYPE` naming `backend` and listing the registered backends, e.g.
 *   `backend must be "ts" (the registered backends; "wasm" is added by registerWasmBackend() from @mechlab/kernels), got "wasm"`.
 */
export function checkBackendName(backend: unknown): BackendName | undefined {
  // Hand-written (hot path): every kernel call resolves its backend here, against the registered set
  // (which changes at run time); a Map lookup, with the converter's `<field> must be …, got …` wording.
  if (backend === undefined) return undefined;
  if (typeof backend === 'string' && registry.has(backend as BackendName)) return backend as BackendName;
  const names = sorted()
    .map((e) => e.name)
    .sort();
  const hint = registry.has('wasm') ? '' : '; "wasm" is added by registerWasmBackend() from @mechlab/kernels';
  throw typeError('backend', `${quoted(names)} (the registered backends${hint})`, backend);
}

/**
 * The kernels of `family` for the requested backend, and the backend's name (see the module comment
 * for the resolution rule). For a family with members (`ccs`) the result is the backend's map of
 * them; {@link resolveMember} resolves one.
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
): { name: BackendName; kernels: KernelFamilies[F] } {
  const info = checkFamily(family);
  const e = pick(backend, (x) => implementsFamily(x, family), info.what);
  return { name: e.name, kernels: e.kernels.get(family) as KernelFamilies[F] };
}

/**
 * One member of a family with members (e.g. the `gcs` solver of `ccs`) for the requested backend,
 * and the backend's name: the backend must implement that member, not only the family. `what` names
 * it in errors (`backend "wasm" does not implement <what>`).
 *
 * Complexity O(backends) plus a one-off initialisation.
 * @throws MechlabError as {@link resolveKernels}.
 * @example resolveMember('ccs', 'gcs', 'the gcs solver').name // → 'wasm' after registerWasmBackend()
 */
export function resolveMember<F extends KernelFamily, M extends keyof KernelFamilies[F] & string>(
  family: F,
  member: M,
  what: string,
  backend?: BackendName,
): { name: BackendName; kernel: NonNullable<KernelFamilies[F][M]> } {
  checkFamily(family);
  const get = (x: Entry) =>
    (x.kernels.get(family) as Readonly<Record<string, unknown>> | undefined)?.[member];
  const e = pick(backend, (x) => get(x) !== undefined, what);
  return { name: e.name, kernel: get(e) as NonNullable<KernelFamilies[F][M]> };
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
    return pick(undefined, (x) => kernelFamilies().some((f) => implementsFamily(x, f)), 'any kernels').name;
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

function checkFamily(family: unknown): KernelFamilyInfo {
  // Hand-written (hot path): every kernel call looks its family up here, as checkBackendName.
  const info = typeof family === 'string' ? families.get(family as KernelFamily) : undefined;
  if (info === undefined) throw typeError('family', `one of ${quoted(kernelFamilies())}`, family);
  return info;
}

function implementsFamily(e: Entry, family: KernelFamily): boolean {
  const k = e.kernels.get(family);
  if (k === undefined) return false;
  const members = families.get(family)?.members;
  if (members === undefined) return true;
  return members.some((m) => (k as Readonly<Record<string, unknown>>)[m] !== undefined);
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

/** The registry by priority, sorted once per change (every kernel call that omits `backend` walks it). */
let bySorted: Entry[] | undefined;

function sorted(): Entry[] {
  bySorted ??= [...registry.values()].sort((a, b) => b.priority - a.priority || a.order - b.order);
  return bySorted;
}

function quoted(names: readonly string[]): string {
  const q = names.map((s) => `"${s}"`);
  return q.length <= 1 ? (q[0] ?? 'nothing') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}
