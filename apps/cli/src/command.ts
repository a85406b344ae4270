import type { Io } from './io';

/** One `mechlab` sub-command. `run` returns the exit status; errors are thrown as MechlabError. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: string[], io: Io): Promise<number> | number;
}
