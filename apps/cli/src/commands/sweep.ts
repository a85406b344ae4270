/** `mechlab sweep` — reproducible, resumable Monte Carlo sweeps (MODELS.md §6); see @mechlab/sweep. */
import { sweepCli, sweepUsage } from '@mechlab/sweep';
import { catalogue } from '../catalogue';
import type { Command } from '../command';
import { plotRenderer } from '../figure-renderer';

export const sweepCommand: Command = {
  name: 'sweep',
  summary: `Monte Carlo sweep (presets ${catalogue.presets.map((p) => p.name).join(', ')}, a SPEC.json, or your own experiment module), resumable`,
  usage: sweepUsage(catalogue),
  run: (argv, io) => sweepCli(argv, io, catalogue, { render: plotRenderer }),
};
