/** The spec hash: a journal, shard or output directory belongs to exactly one spec. */
import { hashKeys } from '@mechlab/core';
import type { SweepSpec } from './spec';

/** Hex hash of the canonical JSON of a spec. O(|spec|). */
export function specHash(spec: SweepSpec): string {
  const h = hashKeys(['mechlab-sweep-spec', canonicalJson(spec)]);
  return Array.from(h, (w) => w.toString(16).padStart(8, '0')).join('');
}

/** JSON with object keys sorted recursively (arrays keep their order); `undefined` members dropped. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}';
}
