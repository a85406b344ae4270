/** Flag parsing on node:util's parseArgs, with mechlab's error contract (exit 2, field-naming message). */
import { parseArgs } from 'node:util';
import { MechlabError } from '@mechlab/core';

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
  if (!(allowed as readonly string[]).includes(value)) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `--${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
      `--${flag}`,
    );
  }
  return value as T;
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
  const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  const kind = check.integer ? 'an integer' : 'a number';
  if (!Number.isFinite(v) || (check.integer && !Number.isInteger(v))) {
    throw new MechlabError(
      'ERR_INVALID_TYPE',
      `--${flag} must be ${kind}, got ${JSON.stringify(raw)}`,
      `--${flag}`,
    );
  }
  if (check.min !== undefined && (check.exclusiveMin ? v <= check.min : v < check.min)) {
    const op = check.exclusiveMin ? '>' : '≥';
    throw new MechlabError('ERR_OUT_OF_RANGE', `--${flag} must be ${op} ${check.min}, got ${v}`, `--${flag}`);
  }
  if (check.max !== undefined && v > check.max) {
    throw new MechlabError('ERR_OUT_OF_RANGE', `--${flag} must be ≤ ${check.max}, got ${v}`, `--${flag}`);
  }
  return v;
}

/** Comma-separated list of numbers (`--p 0.2,0.3,0.5`). */
export function numberList(raw: string, flag: string): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  return parts.map((s, i) => {
    const v = s === '' ? NaN : Number(s);
    if (!Number.isFinite(v)) {
      throw new MechlabError(
        'ERR_INVALID_TYPE',
        `--${flag}[${i}] must be a number, got ${JSON.stringify(s)}`,
        `--${flag}[${i}]`,
      );
    }
    return v;
  });
}
