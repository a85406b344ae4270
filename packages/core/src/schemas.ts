/**
 * zod schema for the `nash-instance` JSON input of FORMATS.md (the Nash-product selection of core's
 * `nash` kernels) and its parser, which returns a validated, typed object naming the offending field.
 * The CCS inputs' schemas are `@mechlab/ccs`'s.
 */
import { z } from 'zod';
import { parseWithSchema } from './validate';

const nonNegative = z.number().nonnegative();

export const nashInstanceSchema = z
  .object({
    version: z.literal(1).optional(),
    uG: z.array(nonNegative).min(1),
    uF: z.array(nonNegative).min(1),
    k: z.number().int().positive(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.uF.length !== v.uG.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['uF'],
        message: `must have the same length as uG (${v.uG.length})`,
      });
    }
    if (v.k > v.uG.length)
      ctx.addIssue({ code: 'custom', path: ['k'], message: `must be ≤ the pool size ${v.uG.length}` });
  });

export type NashInstance = z.output<typeof nashInstanceSchema>;

/** Validate a `nash-instance` document. @throws MechlabError naming the field. */
export function parseNashInstance(json: unknown, root = 'instance'): NashInstance {
  return parseWithSchema(nashInstanceSchema, json, root);
}
