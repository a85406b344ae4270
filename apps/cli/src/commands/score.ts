/** `mechlab score` — batch LLM perplexity (MODELS.md §3), JSONL in, JSONL out, streamed. */
import { DEFAULT_BATCH, DEFAULT_MAX_LOGITS_BYTES, runScoreCommand } from '@mechlab/perplexity';
import { checkInputFile } from '@mechlab/io';
import { numberFlag, oneOf, optionalString, parseFlags, requireString } from '../args';
import type { Command } from '../command';
import { toJson } from '../format';

const usage = `usage: mechlab score --input F.jsonl [--model DIR] [--tokens 64] [--batch ${DEFAULT_BATCH}]
                    [--backend graph|js|gpujs] [--provider auto|cpu|cuda|webgpu]
                    [--max-logits-memory MIB] [--cache DIR | --no-cache] [--json]

Scores each {"id", "text"} line of F.jsonl with a local ONNX causal LM (model.onnx + tokenizer.json)
over its first --tokens tokens, in padded length-bucketed batches, and streams {"id", "perplexity",
"tokens"} lines to stdout, in input order, as each window of 4 batches finishes (the next windows are
tokenised on a worker thread meanwhile). Without --model the embedded tiny GPT-2-vocabulary LM is used
(built on first use). A summary (provider and reduction backend that actually ran, tokens/s) goes
to stderr. Scores are cached by (model hash, text hash, tokens): re-runs are free.

--backend graph (default) appends the log-softmax + gather to the model (cached under the cache
directory; the model file is never modified) so the execution provider reduces the logits; js and
gpujs reduce the full logits in JavaScript. --max-logits-memory (MiB, default ${DEFAULT_MAX_LOGITS_BYTES / 2 ** 20})
bounds batch × tokens × vocabulary × 4 bytes; larger requests are refused before any work.
`;

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
        'max-logits-memory': { type: 'string' },
        provider: { type: 'string' },
        cache: { type: 'string' },
        'no-cache': { type: 'boolean' },
      },
      'score',
    );
    const input = requireString(args, 'input');
    // Issue 18: a device or FIFO as --input must be refused before the model loads, naming the flag.
    checkInputFile(input, { flag: '--input', maxBytes: Infinity });
    const model = optionalString(args, 'model');
    const cacheDir = optionalString(args, 'cache');
    let lastProgress = 0;
    const summary = await runScoreCommand({
      input,
      ...(model === undefined ? {} : { model }),
      tokens: numberFlag(args, 'tokens', 64, { min: 2, max: 4096, integer: true }),
      batch: numberFlag(args, 'batch', DEFAULT_BATCH, { min: 1, max: 4096, integer: true }),
      backend: oneOf(optionalString(args, 'backend') ?? 'graph', 'backend', [
        'graph',
        'js',
        'gpujs',
      ] as const),
      maxLogitsBytes:
        numberFlag(args, 'max-logits-memory', DEFAULT_MAX_LOGITS_BYTES / 2 ** 20, {
          min: 1,
          max: 2 ** 30,
          integer: true,
        }) *
        2 ** 20,
      provider: oneOf(optionalString(args, 'provider') ?? 'auto', 'provider', [
        'auto',
        'cpu',
        'cuda',
        'webgpu',
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
      backendFallback: summary.backendFallback,
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
