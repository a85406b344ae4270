/** `mechlab sweep` — reproducible, resumable Monte Carlo sweeps (MODELS.md §6); see @mechlab/sweep. */
import { SWEEP_USAGE, sweepCli } from '@mechlab/sweep';
import type { Command } from '../command';

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'Monte Carlo sweep (presets ccs-vary-n, ccs-vary-p, ccs-vary-cost or a SPEC.json), resumable',
  usage: SWEEP_USAGE,
  run: (argv, io) => sweepCli(argv, io),
};
