// Public API of @mechlab/sweep. Named exports only (STYLE.md §2).
// The engine knows no experiment: callers pass `experiments` (e.g. apps/cli's catalogue); a SPEC.json
// may name a user's module; workers import the module a task names.
export { runSweep, AUTO_INLINE_COST } from './run';
export { SweepLifecycle } from './lifecycle';
export { sweepCli, sweepUsage, checkSweepSize, defaultOut } from './cli';
export { mergeShards } from './shards';
export { loadSweepSpec, findPreset } from './presets';
export {
  findExperiment,
  importModule,
  experimentFromSource,
  loadExperimentModule,
  resolveModulePath,
} from './source';
export { parseSweepSpec, planSweep, sweepSpecSchema, withSpecModule } from './spec';
export { parseShard, inShard } from './shard';
export { specHash, canonicalJson } from './spec-hash';
export { figureData } from './figure';
export { progressReporter, formatBar, rateAndEta } from './progress';
export { readAggregates } from './output';
export { readManifest, FILES } from './manifest';
export { scanJournal } from './journal';
export { runTask, ExperimentRunError } from './task';
export { registerSweepBackends, ensureBackend } from './backend';
export { defaultWorkers, resolveWorkerFile } from './pool';

export type { RunSweepOptions } from './run';
export type { SweepSummary, LifecycleOptions } from './lifecycle';
export type { SweepCliIo, SweepCliOptions } from './cli';
export type { MergeOptions } from './shards';
export type { SpecOverrides, SweepCatalogue } from './presets';
export type { ExperimentList } from './source';
export type { SweepSpec, SweepPlan, SweepPoint, TaskRef } from './spec';
export type { ShardSpec } from './shard';
export type {
  AggregateRow,
  FigureData,
  FigurePanel,
  FigureSeries,
  FigureLine,
  FigureOptions,
  FigureRenderer,
  RenderedFigure,
} from './figure';
export type { SweepProgress, ProgressReporter, ProgressReporterOptions } from './progress';
export type { SweepManifest } from './manifest';
export type { JournalScan, JournalEntry } from './journal';
export type { TaskInput, TaskOutput } from './task';
// The experiment interface itself lives in @mechlab/core (below every domain package).
export type { Experiment, ExperimentParams, ExperimentSource, MetricDef, ParamValue } from '@mechlab/core';

// Distributed sweeps (bullmq + Redis): coordinator, workers, `mechlab worker`.
export {
  runDistributedSweep,
  readDistributedStatus,
  startQueueWorker,
  parseQueueUrl,
  RedisUnreachableError,
  RedisCommands,
  QUEUE_NAME,
} from './distributed';
export { workerCli, WORKER_USAGE } from './distributed/worker-cli';
export type {
  DistributedSweepOptions,
  DistributedStatus,
  QueueWorkerOptions,
  QueueWorkerSummary,
  QueueWorkerHandle,
  QueueTarget,
} from './distributed';
export type { WorkerCliIo } from './distributed/worker-cli';
