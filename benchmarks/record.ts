/**
 * The benny suites' one `complete(record)` callback: it collects each case's mean and fastest time per
 * call by case name, in the suite's unit (`scale` 1: seconds, benny's own; 1000: milliseconds).
 */

/** What benny's `complete` reports per case (`ops` is rounded to an integer; `details` are exact, in s). */
export interface CaseResult {
  readonly name: string;
  readonly details: { readonly mean: number; readonly min: number };
}

/** The callback and the two maps it fills. */
export interface CaseRecorder {
  /** Pass to benny's `complete(…)`; a case run again overwrites its entries. */
  readonly record: (summary: { readonly results: readonly CaseResult[] }) => void;
  /** Mean time per call × `scale`, by case name. */
  readonly mean: Map<string, number>;
  /** Fastest sample × `scale`, by case name (less sensitive to a shared machine than the mean). */
  readonly min: Map<string, number>;
}

/**
 * A fresh recorder. Complexity O(cases) per suite.
 * @example const { record, mean: msPerOp } = caseRecorder(1000); // suite(…, complete(record))
 */
export function caseRecorder(scale = 1): CaseRecorder {
  const mean = new Map<string, number>();
  const min = new Map<string, number>();
  const record = (summary: { readonly results: readonly CaseResult[] }): void => {
    for (const r of summary.results) {
      mean.set(r.name, scale * r.details.mean);
      min.set(r.name, scale * r.details.min);
    }
  };
  return { record, mean, min };
}
