/**
 * The one validation path of @mechlab/ccs (issue 19, Deliver 5): zod schemas at the public boundary,
 * turned into a field-naming `MechlabError` by core's converter `parseWithSchema`. Hand-written checks
 * remain only in hot paths (per-element loops over arrays that may hold 10⁶ entries: zod's element-wise
 * parse is ~50× slower there — 85 ms against ~2 ms for 10⁶ numbers, measured with zod 4 on Node 20),
 * each with a comment saying so.
 */
import { addRangeIssue, parseWithSchema } from '@mechlab/core';
import type { z } from 'zod';

/**
 * Parse an options object: its fields are named bare (`delta`, `gridPoints`), as the functions'
 * docs and the CLI name them; a value that is not an object at all is named `options`.
 * @throws MechlabError naming the field and what it must be.
 */
export function parseOptions<S extends z.ZodType>(schema: S, opts: unknown): z.output<S> {
  return parseWithSchema(schema, opts, opts !== null && typeof opts === 'object' ? '' : 'options');
}

/**
 * A refinement's issue in the converter's form: `<field> must be <expected>, got <value>`
 * (`ERR_OUT_OF_RANGE`), for rules zod's checks cannot say (a grid step 1/D, max ≥ min).
 */
export function expected(text: string): { params: { expected: string } } {
  return { params: { expected: text } };
}

/**
 * A refinement of an object schema: `o[key] ≥ o[floor]`, else an issue at `key` in the converter's form
 * `<key> must be a finite number ≥ <floor> (<its value>), got <value>` (a uniform's `max ≥ min`, the
 * scaling law's `d0 ≥ dc`).
 */
export function notBelow<K extends string, F extends string>(
  key: K,
  floor: F,
): (o: Readonly<Record<K | F, number>>, ctx: z.RefinementCtx) => void {
  return (o, ctx) => {
    if (!(o[key] >= o[floor])) {
      addRangeIssue(ctx, [key], `a finite number ≥ ${floor} (${o[floor]})`);
    }
  };
}
