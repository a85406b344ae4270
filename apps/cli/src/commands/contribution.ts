/** `mechlab contribution` — threshold data contributions under withdrawal rights (MODELS.md §5). */
import { join } from 'node:path';
import { MechlabError } from '@mechlab/core';
import { runContributionCommand } from '@mechlab/contribution';
import { svgToPng } from '@mechlab/plot/png';
import { numberFlag, optionalString, parseFlags } from '../args';
import type { Command } from '../command';
import { toJson } from '../format';

const usage = `usage: mechlab contribution [--vary KEY=V1,V2,…] [--set KEY=VALUE]… [--replicates 500] [--seed 1]
                           [--out out/contribution] [--json]

Monte Carlo comparison of the posted subsidy, cost reporting + withdrawal (simultaneous) and
cost reporting + withdrawal (small-first sequential): probability of crossing τ, total cost, leakage,
participation, per grid point. Default: vary tau = 5,10,15,20,25,30 with 500 replicates per point.
Writes contribution.svg, contribution.png and rows.json to --out.

Model parameters (--set / --vary): n, tau, costLo, costHi, capLo, capHi, valueHi, shockProb, shockMean,
irreversibility, premium, subsidyTarget, sequentialOrder (small-first | large-first).
See packages/contribution/README.md for the model.
`;

function parseValue(raw: string): number | string {
  const v = Number(raw);
  return raw.trim() !== '' && Number.isFinite(v) ? v : raw;
}

function keyValue(raw: string, flag: string): [string, string] {
  const eq = raw.indexOf('=');
  if (eq <= 0) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `--${flag} must look like KEY=VALUE, got ${JSON.stringify(raw)}`,
      `--${flag}`,
    );
  }
  return [raw.slice(0, eq).trim(), raw.slice(eq + 1)];
}

export const contributionCommand: Command = {
  name: 'contribution',
  summary: 'threshold data contributions: posted subsidy vs withdrawal protocols (Monte Carlo + figure)',
  usage,
  run(argv, io) {
    const args = parseFlags(
      argv,
      {
        vary: { type: 'string' },
        set: { type: 'string', multiple: true },
        replicates: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
      },
      'contribution',
    );
    const input: Record<string, unknown> = {
      replicates: numberFlag(args, 'replicates', 500, { min: 1, integer: true }),
      seed: numberFlag(args, 'seed', 1, { min: 0, integer: true }),
    };
    const sets = args.values['set'];
    for (const s of Array.isArray(sets) ? sets : []) {
      const [k, v] = keyValue(String(s), 'set');
      input[k] = parseValue(v);
    }
    const vary = optionalString(args, 'vary');
    if (vary !== undefined) {
      const [k, v] = keyValue(vary, 'vary');
      input['grid'] = { [k]: v.split(',').map(parseValue) };
      input['x'] = k;
    }
    const result = runContributionCommand(input);
    const out = optionalString(args, 'out') ?? join('out', 'contribution');
    const svgPath = join(out, 'contribution.svg');
    const pngPath = join(out, 'contribution.png');
    io.writeFile(svgPath, result.svg);
    io.writeFile(pngPath, svgToPng(result.svg));
    io.writeFile(join(out, 'rows.json'), JSON.stringify(result.rows, null, 2) + '\n');
    if (args.values['json']) {
      io.stdout(toJson({ rows: result.rows, figure: { svg: svgPath, png: pngPath } }) + '\n');
      return 0;
    }
    io.stdout(result.table);
    io.stdout(`\nfigure: ${svgPath} (and .png)\n`);
    return 0;
  },
};
