/** The one date field of the forum's options (`windowStart`, `start`, `from`, `to`), as a zod schema. */
import { z } from 'zod';

/**
 * A date given as ms since the epoch or as a string read by `parse` (default `Date.parse`), output as
 * ms; an unreadable string is `<field> must be a date (ms since epoch or ISO string), got "…"`.
 */
export function dateSchema(parse: (s: string) => number = Date.parse) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const t = typeof v === 'number' ? v : parse(v);
    if (!Number.isFinite(t)) {
      ctx.addIssue({
        code: 'custom',
        message: 'not a date',
        params: { expected: 'a date (ms since epoch or ISO string)' },
      });
      return z.NEVER;
    }
    return t;
  });
}
