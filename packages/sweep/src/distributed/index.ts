// Distributed sweeps: a bullmq queue on Redis (coordinator + any number of workers).
export { runDistributedSweep, readDistributedStatus } from './coordinator';
export { startQueueWorker, PUBLISH_SCRIPT } from './worker';
export { parseQueueUrl, openRedis, RedisUnreachableError, QUEUE_NAME, sweepKey, jobId } from './connection';
export { RedisCommands } from './redis';
export type { DistributedSweepOptions, DistributedStatus } from './coordinator';
export type { QueueWorkerOptions, QueueWorkerSummary, QueueWorkerHandle, SweepJobData } from './worker';
export type { QueueTarget } from './connection';
export type { RedisTarget } from './redis';
