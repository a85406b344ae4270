/**
 * The text form of the sweep output files' fields (browser-safe, `@mechlab/sweep/spec`): numbers in their
 * shortest round-trip form with NaN as an empty field, RFC 4180 quoting, and the inverse of each.
 */
import type { ParamValue } from '@mechlab/core';

/** Canonical CSV text of a number: shortest round-trip form; NaN → empty field. */
export function formatNumber(x: number): string {
  return Number.isNaN(x) ? '' : String(x);
}

/** Inverse of `formatNumber`. */
export function parseNumber(s: string): number {
  return s === '' ? NaN : Number(s);
}

/** Quote a CSV field when needed (RFC 4180). */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of a parameter value. */
export function formatParam(v: ParamValue): string {
  return typeof v === 'number' ? formatNumber(v) : typeof v === 'boolean' ? String(v) : csvField(v);
}

/** Split one CSV line (RFC 4180 quoting, no embedded newlines). O(length). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
