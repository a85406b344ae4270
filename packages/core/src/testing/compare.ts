/** Comparisons shared by the backend conformance suites: a backend's results against the `'ts'` reference's. */
import { type BackendName } from '../backend';
import { isMechlabError } from '../errors';

/** Throw unless `a` and `b` are identical bit for bit (`Object.is` per entry); `label` names the array. */
export function sameFloats(a: Float64Array, b: Float64Array, label: string): void {
  if (a.length !== b.length) throw new Error(`${label}: length ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) throw new Error(`${label}[${i}] = ${a[i]} vs ts ${b[i]}`);
  }
}

/** Whether two index arrays are equal. */
export function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throw unless a result reports the backend that was asked for. */
export function expectBackend(got: BackendName, want: BackendName, label: string): void {
  if (got !== want) throw new Error(`${label}: result reports backend "${got}", expected "${want}"`);
}

/** A result as JSON, typed arrays as plain arrays (for mismatch messages). */
export function show(r: object): string {
  return JSON.stringify(r, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v));
}

/** `code: message` of the MechlabError `fn` throws, or `'no error'` (to compare two backends' failures). */
export function captureError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isMechlabError(e)) return `${e.code}: ${e.message}`;
    return `non-MechlabError ${String(e)}`;
  }
  return 'no error';
}
