/**
 * Build the project's tiny causal LM (a low-rank bigram model over the real GPT-2 vocabulary, fitted on
 * the synthetic question corpus) as a standard model directory: model.onnx + tokenizer.json +
 * tokenizer_config.json + manifest.json. Deterministic: the same options give byte-identical files.
 *
 *   npx tsx tools/make-tiny-lm.ts [outDir] [--rank 16] [--documents 4000] [--seed 1] [--position-ids]
 *
 * Default outDir: packages/perplexity/build/tiny-lm (ignored by git, prettier and eslint; `ensureTinyModel()` builds the same
 * thing on first use, so running this script is optional).
 */
import { defaultTinyModelDir, writeTinyModel } from '@mechlab/perplexity';

function main(argv: readonly string[]): void {
  let out: string | undefined;
  let rank: number | undefined;
  let documents: number | undefined;
  let seed: string | undefined;
  let positionIds = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--rank') rank = Number(next());
    else if (a === '--documents') documents = Number(next());
    else if (a === '--seed') seed = next();
    else if (a === '--position-ids') positionIds = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else out = a;
  }
  const dir = out ?? defaultTinyModelDir();
  const t0 = Date.now();
  const manifest = writeTinyModel(dir, {
    ...(rank !== undefined ? { rank } : {}),
    ...(documents !== undefined ? { documents } : {}),
    ...(seed !== undefined ? { seed: /^\d+$/.test(seed) ? Number(seed) : seed } : {}),
    positionIds,
  });
  process.stdout.write(`${JSON.stringify({ dir, ms: Date.now() - t0, ...manifest })}\n`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(2);
}
