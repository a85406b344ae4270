// Public API of @mechlab/sweep. Named exports only (STYLE.md §2).
import './experiments';

export { runSweep } from './run';
export { sweepCli, SWEEP_USAGE } from './cli';
export { mergeShards } from './shards';
export { presets, loadSweepSpec, DEFAULT_REPLICATES, PRESET_SEED } from './presets';
export { registerExperiment, getExperiment, listExperiments, metricColumn } from './registry';
export {
  parseSweepSpec,
  planSweep,
  parseShard,
  inShard,
  specHash,
  canonicalJson,
  sweepSpecSchema,
} from './spec';
export { figureData, setFigureRenderer, getFigureRenderer } from './figure';
export { plotRenderer, figureToLineChart } from './render';
export { progressReporter, formatBar, rateAndEta } from './progress';
export { readAggregates, readManifest, FILES } from './output';
export { scanJournal } from './journal';
export { runTask } from './task';
export { defaultWorkers, resolveWorkerFile } from './pool';
export { ccsRandomGraph, ccsRandomGraphParams, BUILTIN_EXPERIMENTS } from './experiments';

export type { RunSweepOptions, SweepSummary } from './run';
export type { SweepCliIo } from './cli';
export type { MergeOptions } from './shards';
export type { SpecOverrides } from './presets';
export type { Experiment, ExperimentParams, MetricDef, ParamValue } from './registry';
export type { SweepSpec, SweepPlan, SweepPoint, TaskRef, ShardSpec } from './spec';
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
export type { SweepManifest } from './output';
export type { JournalScan, JournalEntry } from './journal';
export type { TaskInput, TaskOutput } from './task';
export type { CcsRandomGraphParams } from './experiments/ccs-random-graph';

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
