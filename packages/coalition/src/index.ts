// Public API of @mechlab/coalition (STYLE.md §2): named value exports, then types.
export { characteristicOracle, maxPoolingOracle, maxPoolingTable, withoutExternalities } from './games';
export { apiCost, domainRevenue, gpuCost } from './revenue';
export { createMarket } from './market';
export { coalitionValue, marketGame, marketMaxPoolingGame, marketOracle } from './market-games';
export { demandShareGame } from './demand-share';
export { shapleyExact, shapleyMaxPooling, shapleySample } from './shapley';
export { coreCheck } from './stability';
export { bellNumber, forEachPartition, partitionTableGame } from './partition';
export { averageGame, mpwExact, mpwSample } from './mpw';
export { simulateMultibidding } from './multibidding';
export { runCoalitionGuide } from './guide';
export { parseCoalitionGame } from './schema';
export { runMpwCommand, runShapleyCommand } from './commands';
export { coalitionMarket, coalitionPresets } from './experiment';

export type {
  CharacteristicGame,
  CoalitionGame,
  CoalitionOracle,
  MaxPoolingGame,
  PartitionFunction,
  PartitionGame,
} from './games';
export type { CostModel, Market, MarketSpec, MergeEffect, Paradigm } from './market';
export type { DemandShareOptions } from './demand-share';
export type { ShapleyEstimate, ShapleySampleOptions } from './shapley';
export type { CoreCheckOptions, CoreCheckResult } from './stability';
export type { PartitionEntry } from './partition';
export type { MpwEstimate, MpwSampleOptions } from './mpw';
export type { CoalitionMarketParams } from './experiment';
export type { MultibiddingOptions, MultibiddingResult, MultibiddingRun } from './multibidding';
export type { CoalitionGuideOptions, CoalitionGuideRow, GuideStructure } from './guide';
export type {
  MpwCommandOptions,
  MpwCommandOutput,
  ShapleyCommandOptions,
  ShapleyCommandOutput,
} from './commands';
