/**
 * zod schemas for everything that crosses the package boundary (options and JSONL input rows).
 */
import { z } from 'zod';

/** Default `L`: the first 64 tokens (MODELS.md §3). */
export const DEFAULT_TOKENS = 64;
/** Default batch size. */
export const DEFAULT_BATCH = 32;
/** Default of `pipeline` (tokenise on a worker thread): chosen by measurement, see the README. */
export const DEFAULT_PIPELINE = true;
/** Default bound on one batch's logits tensor (2 GiB). */
export const DEFAULT_MAX_LOGITS_BYTES = 2 ** 31;

const tokens = z.number().int().min(1).max(65536);
const batch = z.number().int().min(1).max(4096);

/** Options of `loadScorer`. */
export const scorerOptionsSchema = z
  .object({
    tokens: tokens.optional(),
    batch: batch.optional(),
    backend: z.enum(['graph', 'js', 'gpujs']).optional(),
    maxLogitsBytes: z.number().int().min(1).optional(),
    gpujsMode: z
      .enum(['auto', 'async', 'gpu', 'cpu', 'webasm', 'webgpu', 'webgl', 'webgl2', 'headlessgl'])
      .optional(),
    provider: z.enum(['auto', 'cpu', 'cuda', 'webgpu']).optional(),
    bos: z.enum(['auto', 'none']).optional(),
    cache: z.union([z.string().min(1), z.literal(false)]).optional(),
    intraOpNumThreads: z.number().int().min(1).max(1024).optional(),
    pipeline: z.boolean().optional(),
    reuseTensors: z.boolean().optional(),
  })
  .strict();

/** Per-call options of `Scorer.score`. */
export const scoreCallOptionsSchema = z
  .object({ tokens: tokens.optional(), batch: batch.optional() })
  .strict();

/** Options of `runScoreCommand` (callbacks are checked separately). */
export const scoreCommandOptionsSchema = scorerOptionsSchema.extend({
  model: z.string().min(1).optional(),
  input: z.string().min(1),
});

/** One input row of `mechlab score`: `{"id"?: string | number, "text": string, …}` (extra keys ignored). */
export const scoreInputRowSchema = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    text: z.string().min(1),
  })
  .loose();
