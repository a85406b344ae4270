/**
 * Boundary validation: zod schemas in, typed `MechlabError`s out. The first problem is reported as one
 * line naming the field in JSON-path form (`instance.edges[3][2]`) and what was expected, with the
 * offending value — the contract of FORMATS.md ("one line on stderr … names the offending field").
 */
import { z } from 'zod';
import { MechlabError, type MechlabErrorCode } from './errors';

/** A zod issue, reduced to what we format (structural, so any zod 4 issue fits). */
interface IssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: unknown;
  readonly received?: unknown;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean;
  readonly origin?: string;
  readonly keys?: readonly string[];
  readonly values?: readonly unknown[];
  readonly params?: Readonly<Record<string, unknown>>;
  /** `invalid_union`: each alternative's issues; a discriminated union's allowed tags. */
  readonly errors?: readonly (readonly IssueLike[])[];
  readonly options?: readonly unknown[];
}

const article = (what: string): string =>
  what === 'int' ? 'an integer' : /^[aeiou]/.test(what) ? `an ${what}` : `a ${what}`;

/**
 * A union's failure, told by its closest alternative: the one whose first issue lies deepest (the
 * value had that alternative's shape), preferring a range problem over a type mismatch at the same
 * depth. When every alternative rejects the value's type, one `invalid_type` listing them all.
 */
function unwrapUnion(issue: IssueLike): IssueLike {
  let cur = issue;
  while (cur.code === 'invalid_union' && (cur.errors?.length ?? 0) > 0) {
    const firsts = cur.errors!.map((e) => e[0]).filter((e): e is IssueLike => e !== undefined);
    const score = (e: IssueLike): number =>
      2 * e.path.length +
      (e.code !== 'invalid_type' || e.received === 'Infinity' || e.received === '-Infinity' ? 1 : 0);
    let best = firsts[0];
    for (const e of firsts) if (best === undefined || score(e) > score(best)) best = e;
    if (best === undefined) break;
    if (score(best) === 0) {
      const expected = [...new Set(firsts.map((e) => article(String(e.expected))))].join(' or ');
      return { code: 'invalid_type', path: cur.path, message: '', params: { expectedText: expected } };
    }
    cur = { ...best, path: [...cur.path, ...best.path] };
  }
  return cur;
}

/** `root` + path → `instance.theta[2]`. */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  let s = root;
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? String(k) : `.${String(k)}`;
  return s;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<unknown>).length}`;
  }
  if (v === null || typeof v !== 'object') return String(v);
  return 'an object';
}

function describeIssue(issue: IssueLike, got: unknown): { code: MechlabErrorCode; text: string } {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = String(issue.expected);
      const listed = issue.params?.['expectedText'];
      if (typeof listed === 'string') {
        return { code: 'ERR_INVALID_TYPE', text: `must be ${listed}, got ${show(got)}` };
      }
      // zod 4 rejects ±Infinity as a wrong type; for us it is a number out of range (STYLE.md §8).
      if (expected === 'number' && (issue.received === 'Infinity' || issue.received === '-Infinity')) {
        return { code: 'ERR_OUT_OF_RANGE', text: `must be a finite number, got ${show(got)}` };
      }
      return { code: 'ERR_INVALID_TYPE', text: `must be ${article(expected)}, got ${show(got)}` };
    }
    case 'too_small':
    case 'too_big': {
      const op = issue.code === 'too_small' ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      if (issue.origin === 'array' || issue.origin === 'string') {
        const unit = issue.origin === 'array' ? 'items' : 'characters';
        return {
          code: 'ERR_OUT_OF_RANGE',
          text: `must have ${op} ${String(bound)} ${unit}, got ${show(got)}`,
        };
      }
      return { code: 'ERR_OUT_OF_RANGE', text: `must be ${op} ${String(bound)}, got ${show(got)}` };
    }
    case 'invalid_union':
      // A discriminated union's tag matched no alternative (other unions are unwrapped before).
      if (issue.options !== undefined) {
        return {
          code: 'ERR_INVALID_INPUT',
          text: `must be one of ${issue.options.map((v) => JSON.stringify(v)).join(', ')}, got ${show(got)}`,
        };
      }
      return { code: 'ERR_INVALID_INPUT', text: `matches none of its allowed forms, got ${show(got)}` };
    case 'unrecognized_keys':
      return {
        code: 'ERR_INVALID_INPUT',
        text: `has unknown key${(issue.keys?.length ?? 0) > 1 ? 's' : ''} ${(issue.keys ?? []).map((k) => JSON.stringify(k)).join(', ')}`,
      };
    case 'invalid_value':
      // A literal (one allowed value, e.g. `"version": 1`) is a range of one; an enum is a choice.
      if ((issue.values ?? []).length === 1) {
        return {
          code: 'ERR_OUT_OF_RANGE',
          text: `must be ${JSON.stringify(issue.values![0])}, got ${show(got)}`,
        };
      }
      return {
        code: 'ERR_INVALID_INPUT',
        text: `must be one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}, got ${show(got)}`,
      };
    case 'custom': {
      // Refinements may say what they expect (`params.expected`, a range unless `params.mechlab` names
      // another code) or carry a full message and a code of their own (`params.mechlab`); see
      // {@link addMechlabIssue}, {@link addRangeIssue}, {@link typedArray}.
      const params = issue.params ?? {};
      if (typeof params['expected'] === 'string') {
        const code = typeof params['mechlab'] === 'string' ? params['mechlab'] : 'ERR_OUT_OF_RANGE';
        return {
          code: code as MechlabErrorCode,
          text: `must be ${params['expected']}, got ${show(got)}`,
        };
      }
      if (typeof params['mechlab'] === 'string') {
        return { code: params['mechlab'] as MechlabErrorCode, text: issue.message };
      }
      return { code: 'ERR_INVALID_INPUT', text: `${issue.message}, got ${show(got)}` };
    }
    default:
      return {
        code: 'ERR_INVALID_INPUT',
        text: `${issue.message.replace(/^Invalid input: /, '')}, got ${show(got)}`,
      };
  }
}

/**
 * Parse `value` with `schema`; on failure throw a `MechlabError` for the first issue, naming the field
 * under `root` (e.g. `instance`). With `root = ''` top-level fields are named bare (`uG[2]`, for
 * positional arguments) and a value that fails as a whole is named `input`.
 * @throws MechlabError ERR_INVALID_TYPE | ERR_OUT_OF_RANGE | ERR_INVALID_INPUT
 */
export function parseWithSchema<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = unwrapUnion(r.error.issues[0] as unknown as IssueLike);
  const field = fieldPath(root, issue.path) || 'input';
  const { code, text } = describeIssue(issue, valueAt(value, issue.path));
  throw new MechlabError(code, `${field} ${text}`, field);
}

/**
 * In a `superRefine`: report `<root><path> <message>` as a `MechlabError` with `code` (for cross-field
 * rules such as equal lengths). `message` should read after the field name, e.g. `must have 3 entries`.
 */
export function addMechlabIssue(
  ctx: z.RefinementCtx,
  path: readonly PropertyKey[],
  code: MechlabErrorCode,
  message: string,
): void {
  ctx.addIssue({ code: 'custom', path: [...path], message, params: { mechlab: code } });
}

/** In a `superRefine`: report `<root><path> must be <expected>, got <value at path>` (`ERR_OUT_OF_RANGE`). */
export function addRangeIssue(ctx: z.RefinementCtx, path: readonly PropertyKey[], expected: string): void {
  ctx.addIssue({ code: 'custom', path: [...path], message: 'out of range', params: { expected } });
}

/** The typed-array classes {@link typedArray} accepts. */
type TypedArrayClass =
  Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

/**
 * A schema for a typed array of class `ctor` (a wrong class: `ERR_INVALID_TYPE`, `must be a
 * Float64Array`), each entry passing `entry.ok` (else `<field>[i] must be
 * <entry.expected>`, `ERR_OUT_OF_RANGE`). Entries are checked in one plain loop, so a kernel's
 * n²-entry matrix costs no per-entry zod overhead.
 * @example typedArray(Float64Array, { ok: (x) => x >= 0 && x < Infinity, expected: 'a finite number ≥ 0' })
 */
export function typedArray<C extends TypedArrayClass>(
  ctor: C,
  entry?: { readonly ok: (x: number) => boolean; readonly expected: string },
): z.ZodType<InstanceType<C>> {
  const name = ctor.name;
  return z
    .custom<InstanceType<C>>((v) => v instanceof ctor, {
      params: { expected: /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`, mechlab: 'ERR_INVALID_TYPE' },
    })
    .superRefine((a, ctx) => {
      if (entry === undefined) return;
      for (let i = 0; i < a.length; i++) {
        if (!entry.ok(a[i]!)) return addRangeIssue(ctx, [i], entry.expected);
      }
    });
}

/**
 * `array` (a `z.array(…)` schema) that also takes a typed array (an `ArrayLike<number>` argument): a
 * typed array is read as a plain array first, so `array` checks its length and every entry, naming
 * entries `<field>[i]`.
 * @example parseWithSchema(arrayLike(z.array(z.number().min(0))), Float64Array.of(1, -1), 'uG') // throws `uG[1] must be ≥ 0, got -1`
 */
export function arrayLike<A extends z.ZodType<unknown[]>>(array: A) {
  return z.preprocess(
    (v) =>
      ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<unknown>) : v,
    array,
  );
}

/**
 * A list of numbers — a plain array or a typed array — checked in one plain loop and returned as a
 * `Float64Array`: the schema for kernel inputs of 10⁴–10⁶ entries, where a per-entry `z.number()`
 * (≈ 150 ns each) would cost as much as the kernel. Entry `i` is named `<field>[i]`: not a number
 * (or NaN) → `ERR_INVALID_TYPE`; ±Infinity → `must be a finite number`; failing `entry.ok` → `must be
 * <entry.expected>` (both `ERR_OUT_OF_RANGE`). Fewer than `minLength` entries → `must be a non-empty
 * array` (for 1) or `must have ≥ minLength entries`.
 * @example parseWithSchema(numberArray({ ok: (x) => x >= 0, expected: '≥ 0' }, 1), [1, -1], 'uG') // throws `uG[1] must be ≥ 0, got -1`
 */
export function numberArray(
  entry?: { readonly ok: (x: number) => boolean; readonly expected: string },
  minLength = 0,
): z.ZodType<Float64Array, unknown> {
  return z
    .custom<ArrayLike<unknown>>(
      (v) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)),
      {
        params: { expected: 'an array of numbers', mechlab: 'ERR_INVALID_TYPE' },
      },
    )
    .transform((a, ctx) => {
      if (a.length < minLength) {
        addRangeIssue(ctx, [], minLength === 1 ? 'a non-empty array' : `an array of ≥ ${minLength} entries`);
        return z.NEVER;
      }
      const out = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (typeof v !== 'number' || v !== v) {
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: '',
            params: { expected: 'a number', mechlab: 'ERR_INVALID_TYPE' },
          });
          return z.NEVER;
        }
        if (v === Infinity || v === -Infinity) {
          addRangeIssue(ctx, [i], 'a finite number');
          return z.NEVER;
        }
        if (entry !== undefined && !entry.ok(v)) {
          addRangeIssue(ctx, [i], entry.expected);
          return z.NEVER;
        }
        out[i] = v;
      }
      return out;
    });
}
