/** Plain-text output helpers: aligned tables and compact number formatting. */
import { MechlabError } from '@mechlab/core';
import { lastInput } from './io';

let strict = false;

/**
 * The error for a result that overflowed doubles (issue 18, finding 7: `"welfare": null` for
 * θ = 1e308). It names the input field with the largest magnitude — the likely culprit — or the flag.
 */
export function nonFiniteResult(where: string, v: number): MechlabError {
  const input = lastInput();
  const big = input === undefined ? undefined : largestNumber(input.json, input.flag.replace(/^--/, ''));
  const field = big?.path ?? input?.flag ?? 'input';
  const largest = big === undefined ? '' : `; largest input value ${big.path} = ${big.value}`;
  return new MechlabError(
    'ERR_OUT_OF_RANGE',
    `${field}: input too large to compute in doubles (${where} came out ${v}${largest})`,
    field,
  );
}

/** The number of largest magnitude in a JSON document, with its path (`instance.theta[3]`). */
export function largestNumber(json: unknown, root: string): { path: string; value: number } | undefined {
  let best: { path: string; value: number } | undefined;
  const stack: [unknown, string][] = [[json, root]];
  let budget = 1e7; // a parsed document is bounded by the input cap; this only guards pathological depth
  while (stack.length > 0 && budget-- > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'number') {
      if (best === undefined || Math.abs(v) > Math.abs(best.value)) best = { path, value: v };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) stack.push([x, `${path}.${k}`]);
    }
  }
  return best;
}

/** Throw {@link nonFiniteResult} if any number in `value` (arrays, typed arrays, objects) is not finite. */
export function assertFinite(value: unknown, path = 'the result'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw nonFiniteResult(path, value);
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const a = value as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      if (typeof x === 'number' && !Number.isFinite(x)) throw nonFiniteResult(`${path}[${i}]`, x);
    }
  } else if (Array.isArray(value)) {
    value.forEach((x, i) => assertFinite(x, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, x] of Object.entries(value)) assertFinite(x, path === 'the result' ? k : `${path}.${k}`);
  }
}

/**
 * Format a number for humans: fixed decimals, no `-0`. Under {@link setStrictNumbers} a non-finite
 * result is refused (exit 2); otherwise it prints as `NaN` / `Infinity`.
 */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) {
    if (strict) throw nonFiniteResult('a result', x);
    return String(x);
  }
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** An aligned text table; numeric-looking columns are right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map(
    (_, c) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,e+%×]+$|^—$/.test(r[c] ?? '')),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n') + '\n';
}

/**
 * Make {@link toJson} refuse non-finite numbers (set by `runMain` for the commands whose every number
 * is computed from the input: solve, shapley, mpw, coalition, equilibrium, demo). Statistics commands
 * (contribution, forum, score) keep `null` for "no data", e.g. a mean over zero crossings.
 */
export function setStrictNumbers(on: boolean): void {
  strict = on;
}

/**
 * JSON for `--json`: typed arrays become plain arrays. Under {@link setStrictNumbers} a non-finite
 * number (which JSON would print as `null`) is refused: "input too large to compute in doubles" (exit 2).
 */
export function toJson(value: unknown): string {
  if (strict) assertFinite(value);
  return JSON.stringify(value, (_k, v: unknown) =>
    ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v,
  );
}
