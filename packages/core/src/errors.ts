/**
 * One error class for the whole project, with a stable machine-readable `code` and the offending
 * `field` (a JSON-path-like string such as `instance.cost[3]`). Apps map codes to exit statuses;
 * tests assert class, code and message (STYLE.md §8).
 */
export type MechlabErrorCode =
  /** A value has the wrong type or shape (maps to `TypeError` semantics). */
  | 'ERR_INVALID_TYPE'
  /** A value is outside its allowed range (maps to `RangeError` semantics). */
  | 'ERR_OUT_OF_RANGE'
  /** Structurally invalid input that is neither of the above (e.g. a repeated edge). */
  | 'ERR_INVALID_INPUT'
  /** The problem has no feasible solution — an answer, not bad input. */
  | 'ERR_INFEASIBLE'
  /** The tree solver was given a graph that is not a forest. */
  | 'ERR_NOT_A_FOREST'
  /** The instance is too large for an exhaustive method. */
  | 'ERR_TOO_LARGE'
  /** An iterative method hit its iteration limit. */
  | 'ERR_NOT_CONVERGED';

export class MechlabError extends Error {
  override readonly name = 'MechlabError';
  readonly code: MechlabErrorCode;
  readonly field: string | undefined;

  constructor(code: MechlabErrorCode, message: string, field?: string) {
    super(field !== undefined && !message.startsWith(field) ? `${field}: ${message}` : message);
    this.code = code;
    this.field = field;
  }
}

/** Type guard usable across package boundaries (instanceof can fail across duplicated installs). */
export function isMechlabError(e: unknown): e is MechlabError {
  return e instanceof Error && (e as { name?: unknown }).name === 'MechlabError' && 'code' in e;
}

/** `field must be <expected>, got <value>` with a `ERR_OUT_OF_RANGE` code. */
export function rangeError(field: string, expected: string, got: unknown): MechlabError {
  return new MechlabError('ERR_OUT_OF_RANGE', `${field} must be ${expected}, got ${formatValue(got)}`, field);
}

/** `field must be <expected>, got <value>` with a `ERR_INVALID_TYPE` code. */
export function typeError(field: string, expected: string, got: unknown): MechlabError {
  return new MechlabError('ERR_INVALID_TYPE', `${field} must be ${expected}, got ${formatValue(got)}`, field);
}

function formatValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v;
}
