/** `mechlab forum` — the GenAI–forum collaboration game (MODELS.md §2; seed 000 Table 1, Figure 1). */
import { join } from 'node:path';
import { MechlabError } from '@mechlab/core';
import { formatEurrTable, runForum } from '@mechlab/forum';
import type { ForumOptions, ForumResult } from '@mechlab/forum';
import { scatterChart } from '@mechlab/plot';
import { svgToPng } from '@mechlab/plot/png';
import { assertInside, checkInputFile } from '@mechlab/io';
import { numberFlag, oneOf, optionalString, parseFlags } from '../args';
import { BUDGET_FLAGS, BUDGET_USAGE, admit, readBudget } from '../budget';
import type { Command } from '../command';
import { forumEstimate } from '../estimates';
import { toJson } from '../format';
import { perplexityProvider } from '../perplexity-provider';

const usage = `usage: mechlab forum [--data synthetic|PATH[,PATH…]] [--model DIR] [--utility-g forum-lm|tiny-lm|unigram]
                    [--scale default|paper] [--rounds R] [--M 100] [--K 50] [--theta 0.6]
                    [--nash certified|heuristics] [--seed 0] [--out out/forum] [--backend ts|wasm] [--json]

Simulates the repeated game between a GenAI provider (G) and a forum (F): each week G proposes ≤ M
questions, F publishes the top K its classifier accepts. Prints the EURR table (Table 1's form) for
G-Greedy, G-Utility and Random against the certified Nash-product benchmark, and writes the
perplexity-vs-views scatter with Spearman's ρ (Figure 1's form) to --out as SVG and PNG.

--data   synthetic (default, generated from --seed) or Stack Exchange Posts.xml files, one per community
--model  a local ONNX causal LM directory (model.onnx + tokenizer.json) for U_G = perplexity over the
         first 64 tokens (the paper's pipeline on a real dump: --data PATH --model DIR)
--utility-g  U_G without --model: forum-lm (default on synthetic data: the project's LM, built under
         --out and scored by @mechlab/perplexity, cached in --out/.ppl-cache), tiny-lm (default on
         real data), or unigram (the fast proxy; the output says it is not an LLM)
--scale  synthetic volume: default (400 questions a week, 26 rounds) or paper (7,602 a week, 52 rounds)
--backend  kernels of the Nash benchmark: ts (TypeScript reference) or wasm (WebAssembly); default the
         fastest registered. Identical tables; the output (and --json "benchmark.backend") names it.
--out    a new or empty directory, or one forum wrote before; --force writes into any other one
${BUDGET_USAGE}
`;

export function forumFigure(r: ForumResult): string {
  return scatterChart({
    title: `Perplexity vs normalised views (${r.utilityG.kind === 'proxy' ? 'proxy U_G' : r.utilityG.name})`,
    xLabel: r.scatter.xLabel,
    yLabel: r.scatter.yLabel,
    xScale: 'log',
    yScale: 'log',
    series: [
      {
        name: 'questions',
        x: r.scatter.points.map((p) => p.views),
        y: r.scatter.points.map((p) => p.perplexity),
      },
    ],
    annotation: `Spearman ρ = ${r.scatter.spearman.toFixed(3)} (n = ${r.scatter.n})`,
    annotationCorner: 'top-right',
  });
}

export const forumCommand: Command = {
  name: 'forum',
  summary: 'GenAI–forum game: strategies vs the certified Nash benchmark (EURR table + scatter figure)',
  usage,
  async run(argv, io) {
    const args = parseFlags(
      argv,
      {
        data: { type: 'string' },
        model: { type: 'string' },
        rounds: { type: 'string' },
        M: { type: 'string' },
        K: { type: 'string' },
        theta: { type: 'string' },
        'utility-g': { type: 'string' },
        scale: { type: 'string' },
        nash: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        backend: { type: 'string' },
        force: { type: 'boolean' },
        ...BUDGET_FLAGS,
      },
      'forum',
    );
    const budget = readBudget(args);
    const backend = optionalString(args, 'backend');
    const data = optionalString(args, 'data') ?? 'synthetic';
    const opts: ForumOptions = {
      data: data === 'synthetic' ? 'synthetic' : data.split(',').filter((s) => s !== ''),
      M: numberFlag(args, 'M', 100, { min: 1, integer: true }),
      K: numberFlag(args, 'K', 50, { min: 1, integer: true }),
      theta: numberFlag(args, 'theta', 0.6, { min: 0, max: 1 }),
      seed: numberFlag(args, 'seed', 0, { integer: true }),
      nashMethod: oneOf(optionalString(args, 'nash') ?? 'certified', 'nash', [
        'certified',
        'heuristics',
      ] as const),
    };
    if (backend !== undefined) opts.backend = oneOf(backend, 'backend', ['ts', 'wasm'] as const);
    if (args.values['rounds'] !== undefined)
      opts.rounds = numberFlag(args, 'rounds', 0, { min: 1, integer: true });
    if (opts.K! > opts.M!) {
      throw new MechlabError('ERR_OUT_OF_RANGE', `--K must be ≤ --M (${opts.M}), got ${opts.K}`, '--K');
    }
    const utilityG = optionalString(args, 'utility-g');
    if (utilityG !== undefined)
      opts.utilityG = oneOf(utilityG, 'utility-g', ['forum-lm', 'tiny-lm', 'unigram'] as const);
    opts.scale = oneOf(optionalString(args, 'scale') ?? 'default', 'scale', ['default', 'paper'] as const);
    // Inputs and output are checked before any work: Posts.xml files (or community folders) must not be
    // devices or FIFOs (the loader streams them, so no size cap); --out must be usable and ours.
    if (Array.isArray(opts.data))
      for (const f of opts.data)
        checkInputFile(f, { flag: '--data', maxBytes: Infinity, allowDirectory: true });
    const out = optionalString(args, 'out') ?? join('out', 'forum');
    const dir = io.claimOut(out, {
      owner: 'mechlab forum',
      expected: ['scatter.svg', 'scatter.png', 'forum-lm', '.ppl-cache'],
      force: args.values['force'] === true,
    });
    // Nothing outside --out: the forum LM and the score cache live under it (reused by later runs).
    opts.lmDir = join(out, 'forum-lm');
    opts.scoreCache = join(out, '.ppl-cache');
    // The forum and perplexity packages fill these themselves: a planted symlink must not redirect them.
    for (const d of ['forum-lm', '.ppl-cache']) assertInside(out, d);
    const done =
      opts.data === 'synthetic'
        ? admit(
            io,
            budget,
            forumEstimate(opts.rounds ?? (opts.scale === 'paper' ? 52 : 26), opts.M!, opts.scale),
          )
        : undefined;
    // Each weekly round redraws the live progress line (TTY only, see admit).
    if (done) opts.onProgress = done.tick;
    const model = optionalString(args, 'model');
    const provider = model === undefined ? undefined : await perplexityProvider(model);
    try {
      if (provider) opts.provider = provider.provider;
      const r = await runForum(opts);
      done?.();
      const svg = forumFigure(r);
      dir.write('scatter.svg', svg);
      dir.write('scatter.png', svgToPng(svg));
      if (args.values['json']) {
        io.stdout(
          toJson({
            utilityG: r.utilityG,
            table: r.table,
            benchmark: r.benchmark,
            spearman: r.scatter.spearman,
            skipped: r.skipped,
            figure: { svg: join(out, 'scatter.svg'), png: join(out, 'scatter.png') },
          }) + '\n',
        );
        return 0;
      }
      io.stdout(formatEurrTable(r));
      io.stdout(`Nash benchmark kernels: backend ${r.benchmark.backend}\n`);
      io.stdout(
        `\nSpearman ρ(perplexity, views) = ${r.scatter.spearman.toFixed(3)} over ${r.scatter.n} questions\n`,
      );
      if (r.skipped > 0) io.stdout(`skipped ${r.skipped} malformed rows\n`);
      io.stdout(`figure: ${join(out, 'scatter.svg')} (and .png)\n`);
      return 0;
    } finally {
      await provider?.close();
    }
  },
};
