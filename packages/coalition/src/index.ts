// Public API of @mechlab/coalition (STYLE.md §2): named value exports, then types.
export { characteristicOracle, maxPoolingOracle } from './games';
export { createMarket } from './market';
export { marketGame } from './market-games';
export { demandShareGame } from './demand-share';
export { shapleyExact, shapleyMaxPooling, shapleySample } from './shapley';
export { coreCheck } from './stability';
export { bellNumber } from './partition';
export { mpwExact, mpwSample } from './mpw';
export { runCoalitionGuide } from './guide';
export { parseCoalitionGame } from './schema';
export { runMpwCommand, runShapleyCommand } from './commands';
export { coalitionMarket, coalitionPresets } from './experiment';

export type { CharacteristicGame, MaxPoolingGame } from './games';
