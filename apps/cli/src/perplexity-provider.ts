/**
 * Adapter: an ONNX causal LM scored by @mechlab/perplexity, seen by the forum game as a
 * `UtilityGProvider` (U_G = perplexity over the first 64 tokens, MODELS.md §2–3).
 */
import type { UtilityGProvider } from '@mechlab/forum';
import { loadScorer } from '@mechlab/perplexity';

export interface OpenProvider {
  readonly provider: UtilityGProvider;
  close(): Promise<void>;
}

export async function perplexityProvider(modelDir: string, tokens = 64, batch = 32): Promise<OpenProvider> {
  const scorer = await loadScorer(modelDir);
  const provider: UtilityGProvider = {
    name: `perplexity(${modelDir}, ${scorer.info.provider})`,
    kind: 'perplexity',
    async score(texts) {
      const rows = await scorer.score(texts, { tokens, batch });
      return Float64Array.from(rows, (r) => r.perplexity);
    },
  };
  return { provider, close: () => scorer.close() };
}
