/** `mechlab shapley | mpw | coalition` — revenue sharing among LLM providers (MODELS.md §4). */
import { parseCoalitionGame, runCoalitionGuide, runMpwCommand, runShapleyCommand } from '@mechlab/coalition';
import { numberFlag, numberList, oneOf, optionalString, parseFlags, requireString } from '../args';
import { BUDGET_FLAGS, BUDGET_USAGE, admit, maxInputBytes, readBudget } from '../budget';
import type { Command } from '../command';
import { coalitionEstimate, samplingEstimate } from '../estimates';
import { fmt, table, toJson } from '../format';
import { readJsonFile } from '../io';

const METHODS = ['exact', 'sample'] as const;

function valuesTable(values: readonly number[], stderr?: readonly number[]): string {
  return table(
    stderr ? ['player', 'value', 'stderr'] : ['player', 'value'],
    values.map((v, i) => [String(i), fmt(v, 6), ...(stderr ? [fmt(stderr[i]!, 6)] : [])]),
  );
}

interface ValueOptions {
  method: 'exact' | 'sample';
  samples: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

/** `shapley` and `mpw` share flags and output: a game file in, one value per player out. */
function valueCommand(
  name: string,
  summary: string,
  usage: string,
  solve: (game: unknown, opts: ValueOptions) => { values: number[]; stderr?: number[] },
): Command {
  return {
    name,
    summary,
    usage,
    run(argv, io) {
      const args = parseFlags(
        argv,
        {
          game: { type: 'string' },
          method: { type: 'string' },
          samples: { type: 'string' },
          seed: { type: 'string' },
          ...BUDGET_FLAGS,
        },
        name,
      );
      const budget = readBudget(args);
      const method = oneOf(optionalString(args, 'method') ?? 'exact', 'method', METHODS);
      const samples = numberFlag(args, 'samples', 1000, { min: 2, integer: true });
      const seed = numberFlag(args, 'seed', 0, { integer: true });
      const json = readJsonFile(io, requireString(args, 'game'), '--game', maxInputBytes(budget));
      // Parse once here (the solvers accept a parsed game) so the sampler's cost is known up front.
      const game = parseCoalitionGame(json);
      // Sampling reports each batch of permutations to the live progress line (TTY only, see admit).
      const done =
        method === 'sample'
          ? admit(
              io,
              budget,
              samplingEstimate(name === 'mpw' ? 'mpw' : 'shapley', samples, {
                n: game.n,
                kind: game.kind,
                ...(game.kind === 'maxPooling' ? { benchmarks: game.m } : {}),
              }),
            )
          : undefined;
      const out = solve(game, { method, samples, seed, ...(done ? { onProgress: done.tick } : {}) });
      done?.();
      io.stdout(args.values['json'] ? toJson(out) + '\n' : valuesTable(out.values, out.stderr));
      return 0;
    },
  };
}

export const shapleyCommand = valueCommand(
  'shapley',
  'Shapley value of a cooperative game (characteristic function or max-pooling market)',
  `usage: mechlab shapley --game FILE [--method exact|sample] [--samples 1000] [--seed 0]
                       [--max-memory SIZE] [--yes] [--json]

exact: subset enumeration (n ≤ 20) for characteristic functions, the O(m·n log n) closed form for
max-pooling markets. sample: permutation sampling with standard errors (seeded); its estimated time
(samples × players × cost of one marginal contribution) is checked before it starts.

${BUDGET_USAGE}
`,
  runShapleyCommand,
);

export const mpwCommand = valueCommand(
  'mpw',
  'MPW value (Macho-Stadler, Pérez-Castrillo & Wettstein) of a partition-function game',
  `usage: mechlab mpw --game FILE [--method exact|sample] [--samples 1000] [--seed 0]
                   [--max-memory SIZE] [--yes] [--json]

exact: partition enumeration (n ≤ 10). sample: permutation × Chinese-restaurant partition sampler.

${BUDGET_USAGE}
`,
  runMpwCommand,
);

export const coalitionCommand: Command = {
  name: 'coalition',
  summary: 'decision guide: which market structure maximises value, and does MPW beat standing alone?',
  usage: `usage: mechlab coalition [--agents 5] [--dispersions 0,0.2,0.4] [--gammas 0,1,4] [--prices 0.5,1,2]
                         [--max-memory SIZE] [--yes] [--json]

Sweeps performance dispersion × demand elasticity γ × compute price over a synthetic market and reports
the welfare of singletons, a merged model and a routed grand coalition, the best structure, and whether
every agent's MPW share beats standing alone.

${BUDGET_USAGE}
`,
  run(argv, io) {
    const args = parseFlags(
      argv,
      {
        agents: { type: 'string' },
        dispersions: { type: 'string' },
        gammas: { type: 'string' },
        prices: { type: 'string' },
        ...BUDGET_FLAGS,
      },
      'coalition',
    );
    const budget = readBudget(args);
    const list = (flag: string) => {
      const raw = optionalString(args, flag);
      return raw === undefined ? undefined : numberList(raw, flag);
    };
    const agents = numberFlag(args, 'agents', 5, { min: 1, max: 10, integer: true });
    const opts: Parameters<typeof runCoalitionGuide>[0] = { agents };
    const dispersions = list('dispersions');
    const gammas = list('gammas');
    const computePrices = list('prices');
    if (dispersions) opts.dispersions = dispersions;
    if (gammas) opts.gammas = gammas;
    if (computePrices) opts.computePrices = computePrices;
    const done = admit(
      io,
      budget,
      coalitionEstimate(agents, [
        ['--dispersions', dispersions?.length ?? 3],
        ['--gammas', gammas?.length ?? 3],
        ['--prices', computePrices?.length ?? 3],
      ]),
    );
    const rows = runCoalitionGuide(opts);
    done();
    if (args.values['json']) {
      io.stdout(toJson(rows) + '\n');
      return 0;
    }
    io.stdout(
      table(
        ['dispersion', 'γ', 'price', 'singletons', 'merged', 'routed', 'best', 'MPW > alone'],
        rows.map((r) => [
          fmt(r.dispersion, 2),
          fmt(r.gamma, 2),
          fmt(r.computePrice, 2),
          fmt(r.welfare.singletons, 4),
          fmt(r.welfare.merged, 4),
          fmt(r.welfare.routed, 4),
          r.best,
          `${r.beatsStandalone.filter(Boolean).length}/${r.beatsStandalone.length} (${r.mpwStructure})`,
        ]),
      ),
    );
    return 0;
  },
};
