/**
 * bullmq and ioredis, loaded on first use. Together they are ≈ 0.15 s of module loading, and every
 * `mechlab sweep` loads this package, but only a queue sweep or a queue worker needs them (issue 14:
 * process start-up is serial time that caps the speed-up from worker threads).
 */
import { createRequire } from 'node:module';
import type * as BullMq from 'bullmq';
import type * as IoRedis from 'ioredis';

const load = createRequire(__filename);

/** The `bullmq` module. O(1) after the first call. */
export function bullmq(): typeof BullMq {
  return load('bullmq') as typeof BullMq;
}

/** The `ioredis` client class. O(1) after the first call. */
export function ioredis(): typeof IoRedis.default {
  return (load('ioredis') as typeof IoRedis).default;
}
