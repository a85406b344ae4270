/**
 * Reading a sweep's output folder in the browser: `manifest.json` (for the spec) and `aggregates.csv`.
 * Bad files give one MechlabError naming the file, line and column — the way the CLI names fields.
 */
import { MechlabError } from '@mechlab/core';
import { AGGREGATE_NUMBER_COLUMNS, formatParam, type AggregateRow } from './results';
import type { ParamValue, SweepSpec } from './spec';

export interface SweepOutput {
  readonly spec: SweepSpec;
  readonly aggregates: AggregateRow[];
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** @throws MechlabError naming `manifest.json.<field>`. */
export function parseManifest(text: string): SweepSpec {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `manifest.json must be JSON: ${(e as Error).message}`,
      'manifest.json',
    );
  }
  if (!isRecord(m) || m['format'] !== 'mechlab-sweep') {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `manifest.json.format must be "mechlab-sweep", got ${JSON.stringify(isRecord(m) ? m['format'] : m)}`,
      'manifest.json.format',
    );
  }
  const spec = m['spec'];
  if (!isRecord(spec) || !isRecord(spec['grid'])) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      'manifest.json.spec.grid must be an object of axis → values',
      'manifest.json.spec.grid',
    );
  }
  for (const [axis, values] of Object.entries(spec['grid'])) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `manifest.json.spec.grid.${axis} must be a non-empty array`,
        `manifest.json.spec.grid.${axis}`,
      );
    }
  }
  return spec as unknown as SweepSpec;
}

/** Split one CSV line (RFC 4180 quoting, no embedded newlines). */
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

/** @throws MechlabError naming `aggregates.csv` and the line/column at fault. */
export function parseAggregates(text: string, spec: SweepSpec): AggregateRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const header = splitCsvLine(lines[0] ?? '');
  const axes = Object.keys(spec.grid);
  const required = ['point', ...axes, 'algo', 'metric', ...AGGREGATE_NUMBER_COLUMNS];
  for (const c of required) {
    if (!header.includes(c)) {
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `aggregates.csv header must have a column ${JSON.stringify(c)} (expected ${required.join(',')}), got ${lines[0] ?? '(empty file)'}`,
        'aggregates.csv',
      );
    }
  }
  const col = (name: string): number => header.indexOf(name);
  return lines.slice(1).map((line, i) => {
    const f = splitCsvLine(line);
    const where = `aggregates.csv line ${i + 2}`;
    const num = (name: string): number => {
      const raw = f[col(name)] ?? '';
      const v = raw === '' ? NaN : Number(raw);
      if (raw !== '' && Number.isNaN(v)) {
        throw new MechlabError(
          'ERR_INVALID_TYPE',
          `${where}, column ${name} must be a number, got ${JSON.stringify(raw)}`,
          'aggregates.csv',
        );
      }
      return v;
    };
    const coords: Record<string, ParamValue> = {};
    for (const a of axes) {
      const raw = f[col(a)] ?? '';
      coords[a] = spec.grid[a]!.find((v) => formatParam(v) === raw || String(v) === raw) ?? raw;
    }
    return {
      point: num('point'),
      coords,
      algo: f[col('algo')] ?? '',
      metric: f[col('metric')] ?? '',
      count: num('count'),
      mean: num('mean'),
      std: num('std'),
      lo3: num('lo3'),
      hi3: num('hi3'),
      min: num('min'),
      max: num('max'),
      prediction: num('prediction'),
    };
  });
}
