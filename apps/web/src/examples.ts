/** The repository's example inputs (`examples/`), bundled so deep links can name them. */
import ccsSmall from '../../../examples/ccs-small.json';
import ccsTullock from '../../../examples/ccs-tullock-unstable.json';
import ccsWta from '../../../examples/ccs-wta-unstable.json';
import gameCff from '../../../examples/game-cff.json';
import gameMaxpool from '../../../examples/game-maxpool.json';
import gamePff from '../../../examples/game-pff.json';

export const CCS_EXAMPLES: Readonly<Record<string, unknown>> = {
  'ccs-small': ccsSmall,
  'ccs-tullock-unstable': ccsTullock,
  'ccs-wta-unstable': ccsWta,
};

export const GAME_EXAMPLES: Readonly<Record<string, unknown>> = {
  'game-cff': gameCff,
  'game-maxpool': gameMaxpool,
  'game-pff': gamePff,
};

/** A small sweep that finishes in seconds: the default of the sweep page and of the e2e test. */
export const SMALL_SWEEP_SPEC = {
  experiment: 'ccs.random-graph',
  name: 'browser-small',
  grid: { n: [10, 20, 40] },
  params: { rho: 0.2 },
  replicates: 40,
  seed: 7,
};
