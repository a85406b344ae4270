/**
 * The shared conformance suite of the kernel interface (STYLE.md §5, after tfjs `setup_test.ts`):
 * every backend runs the same cases, parameterised by backend name. Framework-free — each case is a
 * `run()` that throws an `Error` describing the first mismatch (with the seed path to reproduce it) —
 * so core needs no test-runner types; a test file maps cases to `it(...)`:
 *
 *     for (const c of backendConformanceCases('wasm')) it(c.name, c.run);
 *
 * These are the cases of core's own kernel family (`nash`: the backend's kernels equal the TS
 * reference's bit for bit, the same errors for the same bad input, and oracles the reference passes
 * too); a package that defines more families ships their cases beside this (`@mechlab/ccs/testing`'s
 * `ccsConformanceCases`), built from the same pieces ({@link refusalForUnimplemented}, compare.ts).
 */
import { checkBackendName, listBackends, resolveKernels } from '../backend-impl';
import { isMechlabError } from '../errors';
import { type BackendName, type KernelFamily } from '../backend';
import { nashCases } from './family-cases';

const { max, round } = Math;

/** One conformance case. `run` throws on the first mismatch. */
export interface ConformanceCase {
  readonly name: string;
  readonly run: () => void;
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
 * cases run); for a family the backend does not implement, one case checks that asking for it is refused.
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
  return refusalForUnimplemented(backend, nashCases(backend, seed, count), ['nash']);
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
 * Replace the cases of every family in `families` that `backend` is registered without by one case that
 * checks the contract for a missing family instead of skipping it: asking `backend` for the family's
 * kernels is refused with a `MechlabError` naming `backend` and saying it does not implement them (the
 * caller then picks another backend; an omitted backend resolves to one that implements it).
 * O(cases · backends).
 */
export function refusalForUnimplemented(
  backend: BackendName,
  cases: readonly ConformanceCase[],
  families: readonly KernelFamily[],
): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const refused = new Set<KernelFamily>();
  for (const c of cases) {
    const fam = families.find((f) => c.name.startsWith(`${f} `) || c.name.startsWith(`${f}:`));
    if (fam === undefined || implementsFamily(backend, fam)) out.push(c);
    else if (!refused.has(fam)) {
      refused.add(fam);
      out.push({
        name: `${fam}: backend "${backend}" does not implement it, and asking it for the ${fam} kernels is refused naming backend`,
        run: () => expectRefusal(() => resolveKernels(fam, backend), backend),
      });
    }
  }
  return out;
}

/**
 * Throws unless `call` throws a `MechlabError` on field `backend` whose message says that `backend`
 * does not implement what was asked. O(1) plus the call.
 */
export function expectRefusal(call: () => unknown, backend: BackendName): void {
  let thrown: unknown;
  try {
    call();
  } catch (e) {
    thrown = e;
  }
  const said = `backend "${backend}" does not implement`;
  if (!(isMechlabError(thrown) && thrown.field === 'backend' && thrown.message.includes(said))) {
    throw new Error(`expected a MechlabError on backend saying '${said} …', got ${String(thrown)}`);
  }
}

function implementsFamily(backend: BackendName, family: KernelFamily): boolean {
  try {
    checkBackendName(backend);
  } catch {
    return true; // unknown backend: let the case run and fail naming it
  }
  return listBackends().some((b) => b.name === backend && b.families.includes(family));
}
