/**
 * Stage 4 of `runForum`: the T weekly rounds (seed 000 §2; MODELS.md §2). Per round: open the week
 * (`openRound`), Player G's strategies propose, F publishes (`playRound`), the strategies observe their
 * feedback, and the round's Nash benchmark is measured (`measureRound`). The round functions are pure
 * (round.ts); this driver is where the effects live: the strategies' own learning state, the progress
 * callback and the benchmark's stopwatch.
 */
import type { Rng } from '@mechlab/core';
import {
  measureRound,
  openRound,
  playRound,
  type GameSetup,
  type RoundBenchmark,
  type RoundPlay,
} from './round';
import type { GStrategy, RoundView } from './strategies';

/** One round that had questions: F's response to every strategy and the round's benchmark. */
export interface RoundRecord {
  readonly play: RoundPlay;
  readonly benchmark: RoundBenchmark;
  /** Pool questions with C(q) ≥ θ. */
  readonly passed: number;
}

/** The rounds stage's output: non-empty rounds in order, and the time spent in the benchmark. */
export interface RoundsRun {
  readonly rounds: readonly RoundRecord[];
  readonly nashMs: number;
}

/**
 * Play every round of `setup` with `players`. Each strategy sees a private copy of U_G and its own
 * stream `root.split('play', name, p, t)`; `onProgress(t, T)` is called before each round (not after the
 * last: `runForum` reports completion after the stage). O(T · per-round cost, see round.ts).
 */
export function playRounds(
  setup: GameSetup,
  players: readonly GStrategy[],
  root: Rng,
  opts: { trace: boolean; onProgress?: ((done: number, total: number) => void) | undefined },
): RoundsRun {
  const T = setup.pools.length;
  const rounds: RoundRecord[] = [];
  let nashMs = 0;
  for (let t = 0; t < T; t++) {
    opts.onProgress?.(t, T);
    const board = openRound(setup, t);
    if (board === null) continue;
    const views = players.map((player, p): RoundView => ({
      t,
      size: board.pool.length,
      uG: Float64Array.from(board.uG),
      features: board.features,
      rng: root.split('play', player.name, p, t),
    }));
    const proposals = players.map((player, p) => ({
      strategy: player.name,
      proposed: player.propose(views[p]!, setup.M),
    }));
    const play = playRound(setup, { board, proposals, trace: opts.trace });
    players.forEach((player, p) => {
      const o = play.outcomes[p]!;
      player.observe?.(views[p]!, { proposed: o.proposed, accepted: o.accepted });
    });
    const tn = performance.now();
    const benchmark = measureRound(setup, board);
    nashMs += performance.now() - tn;
    rounds.push({ play, benchmark, passed: board.passed });
  }
  return { rounds, nashMs };
}
