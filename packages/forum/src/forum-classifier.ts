/**
 * Stage 3 of `runForum`: Player F's classifier C, trained offline on the training weeks (MODELS.md §2).
 * Label: views above the community's training median. Randomness only from the stream passed in.
 */
import { median, type Rng } from '@mechlab/core';
import { hashFeatures } from './features';
import { trainLogistic, type LogisticModel, type LogisticOptions } from './logistic';
import type { Question } from './types';

/** F's classifier and its accuracy on its own training data. */
export interface ForumClassifier {
  readonly classifier: LogisticModel;
  readonly trainAccuracy: number;
}

/** Train C on `train` with `featureBits`-bit hashed features. O(epochs · nnz(train)). */
export function trainForumClassifier(
  train: readonly Question[],
  featureBits: number,
  rng: Rng,
  opts: LogisticOptions | undefined,
): ForumClassifier {
  const X = hashFeatures(train, { bits: featureBits });
  const byComm = new Map<string, number[]>();
  for (const q of train) {
    const a = byComm.get(q.community) ?? [];
    a.push(q.viewCount);
    byComm.set(q.community, a);
  }
  const med = new Map<string, number>();
  for (const [c, v] of byComm) med.set(c, median(v));
  const labels = Uint8Array.from(train, (q) => (q.viewCount > med.get(q.community)! ? 1 : 0));
  const classifier = trainLogistic(X, labels, rng, opts);
  let correct = 0;
  for (let r = 0; r < X.rows; r++) if (classifier.predict(X, r) >= 0.5 === (labels[r] === 1)) correct++;
  return { classifier, trainAccuracy: X.rows > 0 ? correct / X.rows : 0 };
}
