/** Flag parsing on node:util's parseArgs, with mechlab's error contract (exit 2, field-naming message). */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MechlabError, parseWithSchema } from '@mechlab/core';

export type FlagSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }
>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export function parseFlags(argv: string[], flags: FlagSpec, command: string): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...flags, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new MechlabError('ERR_INVALID_INPUT', `${command}: ${msg}`, command);
  }
}

export function requireString(p: Parsed, flag: string): string {
  const v = p.values[flag];
  if (typeof v !== 'string' || v === '') {
    throw new MechlabError('ERR_INVALID_INPUT', `--${flag} is required`, `--${flag}`);
  }
  return v;
}

export function optionalString(p: Parsed, flag: string): string | undefined {
  const v = p.values[flag];
  return typeof v === 'string' ? v : undefined;
}

export function oneOf<T extends string>(value: string, flag: string, allowed: readonly T[]): T {
  return parseWithSchema(z.enum(allowed as readonly [T, ...T[]]), value, `--${flag}`) as T;
}

/** A flag's text as a number when it reads as one, else the text itself (so the error quotes it). */
function asNumber(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.trim() === '') return raw;
  const v = Number(raw);
  return Number.isNaN(v) ? raw : v;
}

/** A finite number flag, optionally bounded. */
export function numberFlag(
  p: Parsed,
  flag: string,
  fallback: number,
  check: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): number {
  const raw = p.values[flag];
  if (raw === undefined) return fallback;
  let n = check.integer ? z.number().int() : z.number();
  if (check.min !== undefined) n = check.exclusiveMin ? n.gt(check.min) : n.min(check.min);
  if (check.max !== undefined) n = n.max(check.max);
  return parseWithSchema(n, asNumber(raw), `--${flag}`);
}

/** Comma-separated list of numbers (`--p 0.2,0.3,0.5`). */
export function numberList(raw: string, flag: string): number[] {
  const parts = raw.split(',').map((s) => asNumber(s.trim()));
  return parseWithSchema(z.array(z.number()), parts, `--${flag}`);
}
