/**
 * The backend interface (STYLE.md §3, after onnxruntime's `js/common/lib/backend.ts`): backend names,
 * kernel families and what a backend provides; the registry that resolves them is backend-impl.ts.
 *
 * The set of kernel families is open, like tfjs's kernel registry: core declares the family it owns
 * (`nash`, forum's Nash-product kernels) in {@link KernelFamilies}, and a domain package adds its own
 * by declaration merging plus one {@link defineKernelFamily} call at load, e.g. `@mechlab/ccs`:
 *
 *     declare module '@mechlab/core' {
 *       interface KernelFamilies { mckp: MckpKernels; hop: HopKernels }
 *     }
 *     defineKernelFamily('mckp', { what: 'the MCKP kernels' });
 *
 * so core holds no domain types and every family's kernels stay typed end to end.
 */
import type { NashKernels } from './nash/reference';

/** Names of the implementations of the solver interfaces. Core ships `ts`; `@mechlab/kernels` adds `wasm`. */
export type BackendName = 'ts' | 'wasm';

/** Every backend name the interfaces know about (registered or not). */
export const BACKEND_NAMES: readonly BackendName[] = ['ts', 'wasm'];

/**
 * What a backend registers per kernel family, by family name. Open: packages add families by
 * declaration merging (see the module comment); core's own family is `nash`.
 */
export interface KernelFamilies {
  /** The Nash-product kernels (MODELS.md §2; nash/reference.ts). */
  readonly nash: NashKernels;
}

/** The name of a kernel family. */
export type KernelFamily = keyof KernelFamilies & string;

/** How the registry treats a family (given once, by the package that owns it, to {@link defineKernelFamily}). */
export interface KernelFamilyInfo {
  /** What the family provides, for error messages: `backend "wasm" does not implement <what>`. */
  readonly what: string;
  /**
   * For a family whose kernels are a partial map of named members (the CCS solvers by algorithm): the
   * member names in listing order. Registrations then merge member by member, a backend implements the
   * family when it has at least one member, and {@link BackendInfo.members} lists them.
   */
  readonly members?: readonly string[];
}

/** What a backend provides; every part is optional. */
export interface BackendImpl extends Partial<KernelFamilies> {
  /** Higher wins when no backend is requested. The TS reference has 0. */
  readonly priority: number;
  /** Runs once, at the first resolution that needs the backend; throwing marks it unavailable. */
  readonly init?: () => void;
}

/** One row of `listBackends()`. */
export interface BackendInfo {
  readonly name: BackendName;
  readonly priority: number;
  /** The kernel families it implements, in definition order ({@link kernelFamilies}). */
  readonly families: readonly KernelFamily[];
  /** For families with members: the members it implements, in the family's order (e.g. `ccs: ['nsr', 'gcs']`). */
  readonly members: Readonly<Partial<Record<KernelFamily, readonly string[]>>>;
  /** `pending` until first use; `failed` keeps the initialisation error in `error`. */
  readonly state: 'pending' | 'ready' | 'failed';
  readonly error?: string;
}
