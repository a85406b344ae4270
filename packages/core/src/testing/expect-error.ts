/**
 * The one assertion every package's tests use for bad input (issue 19): `fn` must throw a
 * `MechlabError` with the expected `code`, `field` and `message`. Framework-free like the conformance
 * suite (a mismatch throws an `Error` naming what differed), so core needs no test-runner types.
 */
import { isMechlabError, type MechlabError, type MechlabErrorCode } from '../errors';

/** What the thrown error must carry; an absent key is not checked. */
export interface ExpectedMechlabError {
  readonly code?: MechlabErrorCode;
  readonly field?: string;
  /** A string must equal the message exactly; a RegExp must match it. */
  readonly message?: string | RegExp;
}

/**
 * Calls `fn`, asserts that it throws a `MechlabError` matching `expected`, and returns the error.
 * `expectMechlabError(fn, code, message)` is shorthand for `expectMechlabError(fn, { code, message })`.
 * @throws Error when `fn` returns, throws something else, or the code, field or message differ.
 */
export function expectMechlabError(
  fn: () => unknown,
  expected?: ExpectedMechlabError | MechlabErrorCode,
  message?: string | RegExp,
): MechlabError {
  const want: ExpectedMechlabError =
    typeof expected === 'string'
      ? message === undefined
        ? { code: expected }
        : { code: expected, message }
      : (expected ?? {});
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error('expected a MechlabError, but nothing was thrown');
  if (!isMechlabError(thrown)) {
    throw new Error(
      `expected a MechlabError, got ${thrown instanceof Error ? thrown.stack : String(thrown)}`,
    );
  }
  const diffs: string[] = [];
  if (want.code !== undefined && thrown.code !== want.code)
    diffs.push(`code ${want.code}, got ${thrown.code}`);
  if (want.field !== undefined && thrown.field !== want.field) {
    diffs.push(`field ${JSON.stringify(want.field)}, got ${JSON.stringify(thrown.field)}`);
  }
  const m = want.message;
  if (m !== undefined && (typeof m === 'string' ? thrown.message !== m : !m.test(thrown.message))) {
    diffs.push(
      `message ${typeof m === 'string' ? JSON.stringify(m) : String(m)}, got ${JSON.stringify(thrown.message)}`,
    );
  }
  if (diffs.length > 0) throw new Error(`expected a MechlabError with ${diffs.join('; ')}`);
  return thrown;
}
