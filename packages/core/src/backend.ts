/**
 * The backend interface (STYLE.md §3, after onnxruntime's `js/common/lib/backend.ts`): backend names,
 * kernel families and what a backend provides; the registry that resolves them is backend-impl.ts.
 */
import type { CcsAlgo, CcsSolver } from './ccs/solvers/common';
import type { EquilibriumKernels } from './ccs/equilibrium-dense';
import type { HopKernels } from './ccs/solvers/hop';
import type { NashKernels } from './nash/reference';
import type { CcsPipelineKernels } from './ccs/pipeline';

/** Names of the implementations of the solver interfaces. Core ships `ts`; `@mechlab/kernels` adds `wasm`. */
export type BackendName = 'ts' | 'wasm';

/** Every backend name the interfaces know about (registered or not). */
export const BACKEND_NAMES: readonly BackendName[] = ['ts', 'wasm'];

/** A solution of the general MCKP kernel; `null` means infeasible. */
export interface MckpKernelResult {
  readonly value: number;
  readonly choice: Int32Array;
  readonly weight: number;
}

/**
 * The multiple-choice knapsack kernels on validated, flattened input (see `mckp.ts` for the contract
 * and the tie rule every backend must reproduce).
 */
export interface MckpKernels {
  /**
   * General MCKP: class `i` owns items `classStart[i] .. classStart[i+1]-1` with integer `weights`
   * (≥ 0; items heavier than `capacity` are never chosen) and finite `profits`; `maxItems` is the
   * largest class size. Returns `null` when no choice fits.
   */
  general(
    n: number,
    capacity: number,
    classStart: Int32Array,
    weights: Float64Array,
    profits: Float64Array,
    maxItems: number,
  ): MckpKernelResult | null;
  /** Dense NSR layout: `n` classes of the `D + 1` items `k = 0..D` (weight `k`), capacity `D`. */
  dense(n: number, D: number, profits: Float64Array): MckpKernelResult;
}

/** The kernel families of the registry; a backend implements any subset of them. */
export type KernelFamily = 'ccs' | 'mckp' | 'equilibrium' | 'nash' | 'hop' | 'ccsPipeline';

/** Every kernel family, in listing order. */
export const KERNEL_FAMILIES: readonly KernelFamily[] = [
  'ccs',
  'mckp',
  'equilibrium',
  'nash',
  'hop',
  'ccsPipeline',
];

/** What a backend registers per family (`ccs`: the CCS design solvers by algorithm, a subset allowed). */
export interface FamilyKernels {
  readonly ccs: Partial<Readonly<Record<CcsAlgo, CcsSolver>>>;
  readonly mckp: MckpKernels;
  readonly equilibrium: EquilibriumKernels;
  readonly nash: NashKernels;
  readonly hop: HopKernels;
  /** The per-instance pipeline of `ccs.random-graph` (ccs/pipeline.ts). */
  readonly ccsPipeline: CcsPipelineKernels;
}

/** What a backend provides; every part is optional. */
export interface BackendImpl extends Partial<FamilyKernels> {
  /** Higher wins when no backend is requested. The TS reference has 0. */
  readonly priority: number;
  /** Runs once, at the first resolution that needs the backend; throwing marks it unavailable. */
  readonly init?: () => void;
}

/** One row of {@link listBackends}. */
export interface BackendInfo {
  readonly name: BackendName;
  readonly priority: number;
  /** The kernel families it implements, in {@link KERNEL_FAMILIES} order. */
  readonly families: readonly KernelFamily[];
  /** CCS algorithms it implements, in `CCS_ALGOS` order. */
  readonly ccs: readonly CcsAlgo[];
  /** Whether it implements the MCKP kernels. */
  readonly mckp: boolean;
  /** `pending` until first use; `failed` keeps the initialisation error in `error`. */
  readonly state: 'pending' | 'ready' | 'failed';
  readonly error?: string;
}
