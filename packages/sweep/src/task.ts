/**
 * One task = replicates `[r0, r1)` of one parameter point. `runTask` is the whole computation; the
 * piscina worker (`worker.ts`), the queue worker and the in-process runner all call it, which is why
 * inline, pooled and queued runs are bit-identical.
 */
import {
  MechlabError,
  Rng,
  isMechlabError,
  withBackendScope,
  type BackendName,
  type Experiment,
  type ExperimentSource,
} from '@mechlab/core';
import { ensureBackend } from './backend';

/** The plain-object message a task receives (STYLE.md §7: everything, including the seed, in one object). */
export interface TaskInput {
  readonly experiment: string;
  /** Where a worker imports the experiment from (absent: only the inline executor can run it). */
  readonly source?: ExperimentSource | undefined;
  /** Master seed. */
  readonly seed: number | string;
  /** Canonical JSON of the resolved point parameters (the point's seed-path component). */
  readonly pointKey: string;
  readonly point: number;
  /** Resolved, validated parameters of the point. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly r0: number;
  readonly r1: number;
  readonly metricCount: number;
  /**
   * The kernel backend the sweep chose (manifest `"backend"`): every instance runs inside
   * `withBackendScope(backend, …)`. Absent: the thread's default (older coordinators).
   */
  readonly backend?: BackendName | undefined;
}

/** A task's result: metric values, row-major `(r1 − r0) × metricCount`. */
export interface TaskOutput {
  readonly point: number;
  readonly r0: number;
  readonly r1: number;
  readonly values: Float64Array;
}

/**
 * An exception thrown by an experiment's own code (not bad input): `mechlab sweep` exits 1 with its
 * message, which names the experiment, the point and the replicate.
 */
export class ExperimentRunError extends Error {
  override readonly name = 'ExperimentRunError';
}

/**
 * Run every instance of a task. Instance `r` draws from `Rng.fromPath([seed, experiment, pointKey, r])`,
 * so its numbers depend on nothing else — not the block it is in, the worker, or the order of tasks.
 *
 * With `input.backend`, each `exp.run` call runs inside `withBackendScope(backend, …)`: every kernel it
 * calls without an explicit `backend` resolves the sweep's backend. The scope is synchronous (core's
 * registry keeps it as module state), so an async `run` must resolve its backend before its first
 * `await` (as `runForum` does: `resolveKernels('nash', opts.backend)` on entry) and pass it on.
 *
 * O((r1 − r0) · cost of one instance).
 * @throws MechlabError (the experiment's own input checks, e.g. a user `run` returning the wrong
 *   length; `backend` not registered or unavailable in this thread) or ExperimentRunError (anything
 *   else it threw), naming the point and replicate.
 */
export async function runTask(input: TaskInput, exp: Experiment): Promise<TaskOutput> {
  const m = input.metricCount;
  const values = new Float64Array((input.r1 - input.r0) * m);
  // Fails before any instance when this thread cannot run the sweep's backend (never a silent fallback).
  const backend = input.backend === undefined ? undefined : ensureBackend(input.backend);
  // One closure per task, not per instance: it reads the instance's rng and offset from these.
  let rng: Rng | undefined;
  let off = 0;
  const runOne = (): void | Promise<void> => exp.run(rng!, input.params, values, off);
  for (let r = input.r0; r < input.r1; r++) {
    rng = Rng.fromPath([input.seed, input.experiment, input.pointKey, r]);
    off = (r - input.r0) * m;
    try {
      const p = backend === undefined ? runOne() : withBackendScope(backend, runOne);
      if (p !== undefined) await p;
    } catch (e) {
      const where = `point ${input.point} ${input.pointKey}, replicate ${r}`;
      if (isMechlabError(e)) throw new MechlabError(e.code, `${e.message} (${where})`, e.field);
      const msg = e instanceof Error ? e.message : String(e);
      throw new ExperimentRunError(`experiment ${input.experiment} threw at ${where}: ${msg}`);
    }
  }
  return { point: input.point, r0: input.r0, r1: input.r1, values };
}

/** A failed task as it crosses a thread or process boundary (error classes do not survive cloning). */
export interface TaskFailure {
  readonly failure: {
    readonly kind: 'input' | 'run' | 'internal';
    readonly message: string;
    readonly code?: string | undefined;
    readonly field?: string | undefined;
  };
}

/** Encode an error for transport. */
export function encodeFailure(e: unknown): TaskFailure {
  if (isMechlabError(e))
    return { failure: { kind: 'input', message: e.message, code: e.code, field: e.field } };
  const message = e instanceof Error ? e.message : String(e);
  return { failure: { kind: e instanceof ExperimentRunError ? 'run' : 'internal', message } };
}

/** Rebuild the error a worker encoded. */
export function decodeFailure(f: TaskFailure): Error {
  const { kind, message, code, field } = f.failure;
  if (kind === 'input')
    return new MechlabError((code ?? 'ERR_INVALID_INPUT') as 'ERR_INVALID_INPUT', message, field);
  if (kind === 'run') return new ExperimentRunError(message);
  return new Error(message);
}

/** Is a worker's answer a failure? */
export function isTaskFailure(v: unknown): v is TaskFailure {
  return typeof v === 'object' && v !== null && 'failure' in v && !ArrayBuffer.isView(v);
}
