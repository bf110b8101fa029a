// The recipe's judgement of a run's curves: validation loss turned
// up while training loss kept falling.
import { diagnose } from '@labkit/nn-core/recipe';

const losses = [
  [2.0, 1.9],
  [1.6, 1.6],
  [1.3, 1.5],
  [1.0, 1.55],
  [0.8, 1.65],
];
const points = losses.map(([trainLoss = 0, valLoss = 0], i) => ({
  epoch: i + 1,
  trainLoss,
  valLoss,
  trainAccuracy: 0.5 + 0.08 * i,
  valAccuracy: 0.45,
}));
const diagnosis = diagnose(points, { dropout: 0, augment: false });
console.log(diagnosis.verdict, diagnosis.bestEpoch);

// prints: overfit 3
