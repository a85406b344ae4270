/** Messages between the page and the compute worker (plain objects; typed arrays travel as arrays). */
import type { Edge } from '@mechlab/ccs';
import type { SweepTaskInput } from './sweep/task';

export type Algo = 'exact' | 'gcs' | 'nsr' | 'hop' | 'equal';
export type Backend = 'ts' | 'wasm';

export interface CcsRequest {
  readonly kind: 'ccs';
  /** The instance as given: raw `ccs-instance` JSON (validated in the worker, as the CLI does). */
  readonly instance: unknown;
  readonly algo: Algo;
  readonly backend: Backend;
  readonly delta: number;
}

export interface RandomCcsRequest {
  readonly kind: 'random-ccs';
  readonly n: number;
  readonly rho: number;
  readonly seed: number;
}

export interface CoalitionRequest {
  readonly kind: 'coalition';
  readonly game: unknown;
  readonly value: 'shapley' | 'mpw';
  readonly method: 'exact' | 'sample';
  readonly samples: number;
  readonly seed: number;
}

/** Replicates `[r0, r1)` of one sweep point (the browser twin of the sweep package's task). */
export interface SweepTaskRequest extends SweepTaskInput {
  readonly kind: 'sweep-task';
}

export type Request = CcsRequest | RandomCcsRequest | CoalitionRequest | SweepTaskRequest;

/** Exactly the fields of `mechlab solve ccs --json`. */
export interface CcsCliJson {
  algo: string;
  p: number[];
  efforts: number[];
  active: number[];
  welfare: number;
  backend: string;
}

export interface CcsResult {
  readonly json: CcsCliJson;
  readonly n: number;
  readonly edges: Edge[];
  readonly sumP: number;
  /** Milliseconds spent in `solveCcs` (inside the worker). */
  readonly ms: number;
}

export interface RandomCcsResult {
  /** The instance as `ccs-instance` JSON (so it can be saved and given to the CLI). */
  readonly instance: { theta: number[]; cost: number[]; edges: Edge[]; costFamily: string };
}

export interface CoalitionResult {
  readonly values: number[];
  readonly stderr?: number[];
  readonly ms: number;
}

export interface ResultOf {
  ccs: CcsResult;
  'random-ccs': RandomCcsResult;
  coalition: CoalitionResult;
  'sweep-task': Float64Array;
}

export interface WorkerError {
  readonly message: string;
  readonly code?: string;
  readonly field?: string;
}

export type Response =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WorkerError };
