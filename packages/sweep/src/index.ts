// Public API of @mechlab/sweep (Node): what the CLI, the benchmarks and the README use. Named exports
// only (STYLE.md §2). The engine knows no experiment: callers pass `experiments` (e.g. apps/cli's
// catalogue); a SPEC.json may name a user's module; workers import the module a task names.
// The browser-safe part (spec, plan, file formats, figure data) is the subpath `@mechlab/sweep/spec`.
export { runSweep } from './run';
export { sweepCli, sweepUsage, checkSweepSize } from './cli';
export { loadSweepSpec } from './presets';
export { parseSweepSpec } from './spec';
export { progressReporter } from './progress';
export { readAggregates } from './output';
export { FILES } from './manifest';
export { figureChart } from './figure';
export { scanJournal } from './journal';

export type { SweepCatalogue } from './presets';
export type { SweepSpec } from './spec';
export type { AggregateRow } from './aggregates';
export type { FigureData, FigureRenderer, RenderedFigure } from './figure';

// Distributed sweeps (bullmq + Redis): coordinator, workers, `mechlab worker`.
export { runDistributedSweep, parseQueueUrl } from './distributed';
export { workerCli, WORKER_USAGE } from './distributed/worker-cli';
