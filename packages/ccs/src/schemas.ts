/**
 * zod schemas for the CCS JSON inputs of FORMATS.md (`ccs-instance`, `mckp-instance`; `nash-instance`
 * is core's),
 * and parsers that return validated, typed objects. Shape is checked here; cross-field rules (equal
 * lengths, edge endpoints, repeated pairs) are checked by the constructors, which name fields the same way.
 */
import { z } from 'zod';
import { createCcsInstance, type CcsInstance } from './instance';
import { MechlabError, parseWithSchema } from '@mechlab/core';

const nonNegative = z.number().nonnegative();
const version = z.literal(1).optional();

export const ccsInstanceSchema = z
  .object({
    version,
    description: z.string().optional(),
    theta: z.array(nonNegative).min(1),
    cost: z.array(nonNegative).min(1),
    edges: z
      .array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), nonNegative]))
      .default([]),
    costFamily: z.enum(['linear', 'quadratic']).default('linear'),
    quality: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('graph') }).strict(),
        z
          .object({
            kind: z.literal('scaling-law'),
            a: z.array(z.number().positive().max(1)),
            alpha: z.number().positive().lt(1).optional(),
            dc: z.number().positive().optional(),
            d0: z.number().positive().optional(),
          })
          .strict(),
      ])
      .optional(),
  })
  .strict();

export type CcsInstanceJson = z.input<typeof ccsInstanceSchema>;

/**
 * Validate a `ccs-instance` document and build the typed instance.
 * @throws MechlabError naming the field, e.g. `instance.cost[1] must be ≥ 0, got -1`.
 */
export function parseCcsInstance(json: unknown, root = 'instance'): CcsInstance {
  const doc = parseWithSchema(ccsInstanceSchema, json, root);
  try {
    return createCcsInstance(doc);
  } catch (e) {
    throw prefixed(e, root);
  }
}

export const mckpInstanceSchema = z
  .object({
    version,
    capacity: z.number().int().nonnegative(),
    classes: z
      .array(
        z.array(z.object({ weight: z.number().int().nonnegative(), profit: z.number() }).strict()).min(1),
      )
      .min(1),
  })
  .strict();

export type MckpInstance = z.output<typeof mckpInstanceSchema>;

/** Validate a `mckp-instance` document. @throws MechlabError naming the field. */
export function parseMckpInstance(json: unknown, root = 'instance'): MckpInstance {
  return parseWithSchema(mckpInstanceSchema, json, root);
}

/** Re-issue a constructor error with the document root in front of its field. */
function prefixed(e: unknown, root: string): unknown {
  if (!(e instanceof MechlabError) || e.field === undefined) return e;
  const field = `${root}.${e.field}`;
  const msg = e.message.startsWith(e.field)
    ? field + e.message.slice(e.field.length)
    : `${field}: ${e.message}`;
  return new MechlabError(e.code, msg, field);
}
