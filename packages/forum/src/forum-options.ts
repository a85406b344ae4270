/**
 * `runForum`'s options at the boundary: one zod schema, read through core's `parseWithSchema`, so a bad
 * option is a `MechlabError` naming it (`M must be an integer ≥ 1, got 0`). Defaults that do not depend
 * on the data (MODELS.md §2: M = 100, K = 50, θ = 0.6, …) are filled here; the data-dependent ones
 * (rounds, training weeks, U_G source) by the stages that know the data.
 */
import { parseWithSchema, type BackendName, type SeedKey } from '@mechlab/core';
import { z } from 'zod';
import { dateSchema } from './date-schema';
import type { ForumOptions } from './forum-types';
import type { NashMethod } from './nash-types';
import type { StrategyFactory, StrategyName } from './strategies';
import type { ViewNormalisation } from './utility';

/** A value `ok` accepts, reported as `<field> must be <expected>, got …` otherwise. */
const check = <T>(ok: (v: unknown) => boolean, expected: string) => z.custom<T>(ok, { params: { expected } });

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const intIn =
  (lo: number, hi = Infinity) =>
  (v: unknown): boolean =>
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const positiveInt = check<number>(intIn(1), 'an integer ≥ 1');
const options = <T>() => check<T>(isObject, 'an object');

const STRATEGY_NAMES: readonly StrategyName[] = ['G-Greedy', 'G-Utility', 'Random'];
const isStrategy = (v: unknown): boolean =>
  STRATEGY_NAMES.includes(v as StrategyName) ||
  (isObject(v) &&
    typeof (v as StrategyFactory).name === 'string' &&
    typeof (v as StrategyFactory).create === 'function');

const isData = (v: unknown): boolean =>
  v === 'synthetic' ||
  (Array.isArray(v) && v.every((p) => typeof p === 'string')) ||
  (isObject(v) && Array.isArray((v as { questions?: unknown }).questions));

/** The schema of `ForumOptions` (functions and nested option objects are checked by their consumers). */
export const forumOptionsSchema = z.object({
  data: check<NonNullable<ForumOptions['data']>>(
    isData,
    '"synthetic", a list of Posts.xml paths or { questions }',
  ).optional(),
  synthetic: options<NonNullable<ForumOptions['synthetic']>>().optional(),
  rounds: positiveInt.optional(),
  trainWeeks: positiveInt.optional(),
  windowStart: dateSchema().optional(),
  M: positiveInt.default(100),
  K: positiveInt.default(50),
  theta: z
    .number()
    .refine((t) => t >= 0 && t <= 1, { params: { expected: 'in [0, 1]' } })
    .default(0.6),
  seed: check<SeedKey>(
    (v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)),
    'a number or a string',
  ).default(0),
  provider: check<NonNullable<ForumOptions['provider']>>(
    (v) => isObject(v) && typeof (v as { score?: unknown }).score === 'function',
    'a provider with a score(texts) method',
  ).optional(),
  utilityG: z.enum(['forum-lm', 'tiny-lm', 'unigram']).optional(),
  lmDir: z.string().optional(),
  scoreCache: z.union([z.string(), z.literal(false)]).optional(),
  scale: z.enum(['default', 'paper']).default('default'),
  strategies: z
    .array(
      check<StrategyName | StrategyFactory>(
        isStrategy,
        '"G-Greedy", "G-Utility", "Random" or a StrategyFactory',
      ),
    )
    .min(1)
    .readonly()
    .default(['G-Greedy', 'G-Utility', 'Random']),
  nashMethod: z.enum(['certified', 'heuristics'] satisfies NashMethod[]).default('certified'),
  epsilon: z
    .number()
    .refine((e) => e > 0 && e < 1, { params: { expected: 'in (0, 1)' } })
    .default(0.01),
  // The name is checked against the registry by `resolveKernels`, which lists the registered backends.
  backend: check<BackendName>((v) => typeof v === 'string', 'a backend name').optional(),
  viewNormalisation: z.enum(['max', 'mean'] satisfies ViewNormalisation[]).default('max'),
  scatterPoints: check<number>(intIn(0), 'an integer ≥ 0').default(2000),
  featureBits: check<number>(intIn(8, 24), 'an integer in [8, 24]').default(18),
  classifier: options<NonNullable<ForumOptions['classifier']>>().optional(),
  gUtility: options<NonNullable<ForumOptions['gUtility']>>().optional(),
  loader: options<NonNullable<ForumOptions['loader']>>().optional(),
  trace: z.boolean().default(false),
  scoreBatch: positiveInt.default(4096),
  onProgress: check<NonNullable<ForumOptions['onProgress']>>(
    (v) => typeof v === 'function',
    'a function',
  ).optional(),
});

/** `ForumOptions` checked, with the data-independent defaults filled in. */
export type ResolvedForumOptions = z.output<typeof forumOptionsSchema>;

/**
 * Check `runForum`'s options. Functions and the in-memory corpus are kept by reference.
 * @throws MechlabError naming the first bad option.
 */
export function parseForumOptions(opts: ForumOptions): ResolvedForumOptions {
  return parseWithSchema(forumOptionsSchema, opts, '');
}
