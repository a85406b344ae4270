/** `mechlab worker` — runs tasks of distributed sweeps from a Redis queue; see @mechlab/sweep. */
import { WORKER_USAGE, workerCli } from '@mechlab/sweep';
import type { Command } from '../command';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Serve distributed sweeps (mechlab sweep … --queue redis://HOST:PORT) from a Redis queue',
  usage: WORKER_USAGE,
  run: (argv, io) => workerCli(argv, io),
};
