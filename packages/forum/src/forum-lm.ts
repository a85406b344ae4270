/** The built-in U_G sources of `runForum`. */
import { ensureForumLm, lmProvider, perplexityModule, type ClosableProvider } from './lm';
import type { ForumOptions } from './forum-types';
import type { SyntheticOptions } from './synthetic';

/** Open the built-in LM behind `utilityG` (building the forum LM on first use). */
export async function openBuiltinLm(
  which: 'forum-lm' | 'tiny-lm',
  opts: ForumOptions,
  world: SyntheticOptions['world'],
): Promise<ClosableProvider> {
  const cache = opts.scoreCache === undefined ? {} : { cache: opts.scoreCache };
  if (which === 'forum-lm') {
    const dir = await ensureForumLm(opts.lmDir, world === undefined ? {} : { world });
    return lmProvider(dir, { ...cache, name: 'forum-lm' });
  }
  const { ensureTinyModel } = perplexityModule();
  return lmProvider(await ensureTinyModel(), { ...cache, name: 'tiny-lm', batch: 32 });
}
