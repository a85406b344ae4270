/** Table 1's text form for a `runForum` result. */
import type { ForumResult } from './forum-types';

const { max } = Math;

function fmt3(x: number): string {
  return x.toFixed(3);
}

function pct(x: number): string {
  return x < 5e-5 ? '< 0.01%' : `${(x * 100).toFixed(2)}%`;
}

/**
 * Table 1's form: `LLM  Strategy  EURR_F  EURR_G`, then notes on the U_G source (proxy or LLM), the
 * benchmark and its certified gap, the run's size and skipped rows. O(rows).
 * @example
 * formatEurrTable(await runForum({ seed: 1 }))
 * // LLM            Strategy    EURR_F  EURR_G
 * // unigram-proxy  G-Greedy    0.…     0.…
 */
export function formatEurrTable(r: ForumResult): string {
  const head = ['LLM', 'Strategy', 'EURR_F', 'EURR_G'];
  const rows = r.table.map((x) => [x.llm, x.strategy, fmt3(x.eurrF), fmt3(x.eurrG)]);
  const width = head.map((h, j) => max(h.length, ...rows.map((row) => row[j]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, j) => (j >= 2 ? c.padStart(width[j]!) : c.padEnd(width[j]!)))
      .join('  ')
      .trimEnd();
  const b = r.benchmark;
  const c = r.corpus;
  const notes = [
    r.utilityG.kind === 'proxy'
      ? `U_G: built-in proxy "${r.utilityG.name}" (unigram-surprisal perplexity of the first 64 words), not an LLM`
      : `U_G: perplexity from "${r.utilityG.name}" over the first 64 tokens, scored by @mechlab/perplexity`,
    `U_F: views ÷ community ${r.params.viewNormalisation}; Spearman ρ(U_G, U_F) = ${r.scatter.spearman.toFixed(3)} over ${r.scatter.n} questions`,
    `Ũ: max over ${b.methods.length} Nash-product methods of Σ_t U(S_t) (Eq. 1); Ũ_G by ${b.argmaxG}, Ũ_F by ${b.argmaxF}`,
    `Nash benchmark (${b.method}${b.epsilon !== undefined ? `, ε = ${b.epsilon}` : ''}): within ${pct(b.nash.gap)} of the certified upper bound over all rounds, worst round ${pct(b.nash.maxGap)}`,
    `${c.rounds} weekly rounds from ${c.windowStart.slice(0, 10)}, ${c.communities.length} communities, pool ${c.poolSize.min}–${c.poolSize.max} questions, ` +
      `M = ${r.params.M}, K = ${r.params.K}, θ = ${r.params.theta}; ${c.source} data, ${r.skipped} malformed rows skipped`,
  ];
  return [line(head), ...rows.map(line), '', ...notes].join('\n') + '\n';
}
