/**
 * What the report derives from the model's test-set predictions: the most confused class pairs
 * (from the confusion matrix) and the top losses (misclassified images ranked by their loss, as
 * fastai's `plot_top_losses`).
 */
import { argMax } from '../eval/predict.js';

export interface ConfusedPair {
  trueLabel: number;
  predictedLabel: number;
  count: number;
  /** `count` over the test images of the true class. */
  shareOfTrue: number;
}

/** The `limit` largest off-diagonal cells, largest first (ties: lower true, then predicted class). */
export function mostConfusedPairs(
  confusion: readonly (readonly number[])[],
  limit = 10,
): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  confusion.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, p) => {
      if (p !== t && count > 0)
        pairs.push({ trueLabel: t, predictedLabel: p, count, shareOfTrue: count / total });
    });
  });
  return pairs.sort((a, b) => b.count - a.count).slice(0, limit);
}

export interface TopLoss {
  /** Index of the image in the test split. */
  index: number;
  trueLabel: number;
  predictedLabel: number;
  /** Cross-entropy of the image: -ln(probability of the true class). */
  loss: number;
  trueProbability: number;
  predictedProbability: number;
}

/**
 * The misclassified images among `probabilities` (softmax rows) ranked by loss, highest first; the
 * `limit` highest. A probability of 0 (float underflow) gives an infinite loss, ranked first.
 */
export function topLosses(
  probabilities: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
  limit: number,
): TopLoss[] {
  const wrong: TopLoss[] = [];
  probabilities.forEach((p, index) => {
    const row = Array.from(p);
    const predicted = argMax(row);
    const truth = labels[index] as number;
    if (predicted === truth) return;
    const trueProbability = row[truth] as number;
    wrong.push({
      index,
      trueLabel: truth,
      predictedLabel: predicted,
      loss: -Math.log(trueProbability),
      trueProbability,
      predictedProbability: row[predicted] as number,
    });
  });
  return wrong.sort((a, b) => b.loss - a.loss || a.index - b.index).slice(0, limit);
}
