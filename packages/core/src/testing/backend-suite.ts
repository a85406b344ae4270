/**
 * The shared conformance suite of the kernel interface (STYLE.md §5, after tfjs `setup_test.ts`):
 * every backend runs the same cases, parameterised by backend name. Framework-free — each case is a
 * `run()` that throws an `Error` describing the first mismatch (with the seed path to reproduce it) —
 * so core needs no test-runner types; a test file maps cases to `it(...)`:
 *
 *     for (const c of backendConformanceCases('wasm')) (c.skip ? it.skip : it)(c.name, c.run);
 *
 * These are the cases of core's own kernel family (`nash`: the backend's kernels equal the TS
 * reference's bit for bit, the same errors for the same bad input, and oracles the reference passes
 * too); a package that defines more families ships their cases beside this (`@mechlab/ccs/testing`'s
 * `ccsConformanceCases`), built from the same pieces ({@link skipUnimplemented}, compare.ts).
 */
import { checkBackendName, listBackends } from '../backend-impl';
import { type BackendName, type KernelFamily } from '../backend';
import { nashCases } from './family-cases';

const { max, round } = Math;

/** One conformance case. `run` throws on the first mismatch; `skip` says why a case does not apply. */
export interface ConformanceCase {
  readonly name: string;
  readonly run: () => void;
  readonly skip?: string;
}

/** Options of {@link backendConformanceCases}. */
export interface ConformanceOptions {
  /** Multiplies the number of random instances per case (default 1; ≥ 0.01). */
  readonly scale?: number;
  /** Master seed of the instance streams (default `'backend-conformance'`). */
  readonly seed?: string;
}

/**
 * The conformance cases of core's kernel families for `backend` (which must be registered when the
 * cases run); a case of a family the backend does not implement carries `skip`.
 *
 * Complexity: O(scale · about a thousand small instances) per full run.
 * @throws MechlabError `ERR_INVALID_TYPE` for an unknown backend name (when a case runs).
 * @example
 * for (const c of backendConformanceCases('ts')) c.run(); // the reference conforms to itself and the oracles
 */
export function backendConformanceCases(
  backend: BackendName,
  opts: ConformanceOptions = {},
): ConformanceCase[] {
  const { seed, count } = conformanceSetup(opts);
  return skipUnimplemented(backend, nashCases(backend, seed, count), ['nash']);
}

/** The master seed and the instance-count scaler of {@link ConformanceOptions}. O(1). */
export function conformanceSetup(opts: ConformanceOptions): {
  seed: string;
  count: (base: number) => number;
} {
  const scale = opts.scale ?? 1;
  return { seed: opts.seed ?? 'backend-conformance', count: (base) => max(1, round(base * scale)) };
}

/**
 * Mark with `skip` every case whose name starts with one of `families` (`"nash top-k: …"`) when
 * `backend` is registered but does not implement that family. O(cases · backends).
 */
export function skipUnimplemented(
  backend: BackendName,
  cases: readonly ConformanceCase[],
  families: readonly KernelFamily[],
): ConformanceCase[] {
  return cases.map((c) => {
    const fam = families.find((f) => c.name.startsWith(`${f} `) || c.name.startsWith(`${f}:`));
    if (fam !== undefined && !implementsFamily(backend, fam)) {
      return { ...c, skip: `backend "${backend}" does not implement the ${fam} kernels` };
    }
    return c;
  });
}

function implementsFamily(backend: BackendName, family: KernelFamily): boolean {
  try {
    checkBackendName(backend);
  } catch {
    return true; // unknown backend: let the case run and fail naming it
  }
  return listBackends().some((b) => b.name === backend && b.families.includes(family));
}
