/**
 * Stage 2 of `runForum`: both players' utilities of every window question (MODELS.md §2). U_G is
 * perplexity from a provider (a built-in LM, opened here and closed as soon as the window is scored, or
 * the caller's) or the unigram proxy fitted on the training weeks; U_F is views normalised within each
 * community.
 */
import { MechlabError, rangeError } from '@mechlab/core';
import type { ForumCorpus } from './forum-data';
import { openBuiltinLm } from './forum-lm';
import type { ResolvedForumOptions } from './forum-options';
import type { ClosableProvider } from './lm';
import { questionText } from './tokens';
import { normalisedViews, unigramProxy, type UtilityGProvider } from './utility';

/** U_G and U_F of the window, in window order, and the provider that scored U_G. */
export interface ForumUtilities {
  readonly provider: Pick<UtilityGProvider, 'kind' | 'name'>;
  readonly uG: Float64Array;
  readonly uF: Float64Array;
}

/**
 * Score the window in batches of `scoreBatch` texts. O(window text) plus the provider's cost.
 * @throws MechlabError when the provider returns the wrong count or a score that is not finite and ≥ 0.
 */
export async function scoreUtilities(
  opts: ResolvedForumOptions,
  corpus: ForumCorpus,
): Promise<ForumUtilities> {
  const { window } = corpus;
  const data = opts.data ?? 'synthetic';
  const utilityG =
    opts.utilityG ?? (data === 'synthetic' ? 'forum-lm' : Array.isArray(data) ? 'tiny-lm' : 'unigram');
  const owned: ClosableProvider | undefined =
    opts.provider !== undefined || utilityG === 'unigram'
      ? undefined
      : await openBuiltinLm(utilityG, opts, opts.synthetic?.world);
  const provider = owned ?? opts.provider ?? unigramProxy(corpus.aligned.train.map(questionText));
  const uG = new Float64Array(window.length);
  const batch = opts.scoreBatch;
  try {
    for (let s = 0; s < window.length; s += batch) {
      const texts = window.slice(s, s + batch).map(questionText);
      const out = await provider.score(texts);
      if (out.length !== texts.length) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `provider.score returned ${out.length} scores for ${texts.length} texts`,
          'provider',
        );
      }
      for (let i = 0; i < out.length; i++) {
        const v = out[i]!;
        if (!(v >= 0 && Number.isFinite(v)))
          throw rangeError(`provider.score(...)[${s + i}]`, 'finite and ≥ 0', v);
        uG[s + i] = v;
      }
    }
  } finally {
    await owned?.close();
  }
  return {
    provider: { kind: provider.kind, name: provider.name },
    uG,
    uF: normalisedViews(window, opts.viewNormalisation),
  };
}
