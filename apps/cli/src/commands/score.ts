/** `mechlab score` — batch LLM perplexity (MODELS.md §3), JSONL in, JSONL out, streamed. */
import { join } from 'node:path';
import { checkInputFile, readInputText } from '@mechlab/io';
import { runScoreCommand } from '@mechlab/perplexity';
import { numberFlag, oneOf, optionalString, parseFlags, requireString } from '../args';
import { BUDGET_FLAGS, BUDGET_USAGE, checkBudget, readBudget } from '../budget';
import type { Command } from '../command';
import { scoreEstimate } from '../estimates';
import { toJson } from '../format';

const usage = `usage: mechlab score --input F.jsonl [--model DIR] [--tokens 64] [--batch 32]
                    [--backend js|gpujs] [--provider auto|cpu|cuda] [--cache DIR | --no-cache] [--json]

Scores each {"id", "text"} line of F.jsonl with a local ONNX causal LM (model.onnx + tokenizer.json)
over its first --tokens tokens, in padded batches, and streams {"id", "perplexity", "tokens"} lines
to stdout as each batch finishes. Without --model the embedded tiny GPT-2-vocabulary LM is used
(built on first use). A summary (provider and reduction backend that actually ran, tokens/s) goes
to stderr. Scores are cached by (model hash, text hash, tokens): re-runs are free.
Memory of one batch (batch × tokens × vocabulary logits) is checked before the model loads:
${BUDGET_USAGE}
`;

/** Vocabulary size for the memory estimate: the model's config.json `vocab_size`, else GPT-2's. */
function vocabSize(model: string | undefined): number {
  if (model === undefined) return 50257;
  try {
    const cfg = JSON.parse(
      readInputText(join(model, 'config.json'), { flag: '--model', maxBytes: 2 ** 20 }),
    ) as {
      vocab_size?: unknown;
    };
    return typeof cfg.vocab_size === 'number' && cfg.vocab_size > 0 ? cfg.vocab_size : 50257;
  } catch {
    return 50257;
  }
}

export const scoreCommand: Command = {
  name: 'score',
  summary: 'LLM perplexity of each text in a JSONL file (onnxruntime-node; cached; streamed)',
  usage,
  async run(argv, io) {
    const args = parseFlags(
      argv,
      {
        input: { type: 'string' },
        model: { type: 'string' },
        tokens: { type: 'string' },
        batch: { type: 'string' },
        backend: { type: 'string' },
        provider: { type: 'string' },
        cache: { type: 'string' },
        'no-cache': { type: 'boolean' },
        ...BUDGET_FLAGS,
      },
      'score',
    );
    const input = requireString(args, 'input');
    const model = optionalString(args, 'model');
    // Before ONNX Runtime allocates anything (issue 18: --tokens 4096 --batch 32 asked it for 26 GB).
    checkInputFile(input, { flag: '--input', maxBytes: Infinity });
    const tokens = numberFlag(args, 'tokens', 64, { min: 2, max: 4096, integer: true });
    const batch = numberFlag(args, 'batch', 32, { min: 1, max: 4096, integer: true });
    checkBudget(readBudget(args), scoreEstimate(tokens, batch, vocabSize(model)));
    const cacheDir = optionalString(args, 'cache');
    let lastProgress = 0;
    const summary = await runScoreCommand({
      input,
      ...(model === undefined ? {} : { model }),
      tokens,
      batch,
      backend: oneOf(optionalString(args, 'backend') ?? 'js', 'backend', ['js', 'gpujs'] as const),
      provider: oneOf(optionalString(args, 'provider') ?? 'auto', 'provider', [
        'auto',
        'cpu',
        'cuda',
      ] as const),
      cache: args.values['no-cache'] ? false : (cacheDir ?? undefined),
      onRow: (row) => io.stdout(JSON.stringify(row) + '\n'),
      onProgress: (p) => {
        const now = Date.now();
        if (!io.isTty || now - lastProgress < 200) return;
        lastProgress = now;
        io.stderr(`\rscored ${p.done}/${p.total}`);
      },
    });
    const line = {
      type: 'summary',
      rows: summary.rows,
      scored: summary.scored,
      cached: summary.cached,
      tokensPerSecond: summary.tokensPerSecond,
      provider: summary.provider,
      providerNote: summary.providerNote,
      backend: summary.backend,
      backendMode: summary.backendMode,
    };
    io.stderr((io.isTty ? '\n' : '') + (args.values['json'] ? toJson(line) : humanSummary(line)) + '\n');
    return 0;
  },
};

function humanSummary(s: {
  rows: number;
  scored: number;
  cached: number;
  tokensPerSecond: number;
  provider: string;
  backend: string;
  backendMode: string;
}): string {
  return `${s.rows} texts (${s.scored} scored, ${s.cached} from cache), ${Math.round(s.tokensPerSecond)} tokens/s; provider ${s.provider}, reduction ${s.backend} (${s.backendMode})`;
}
