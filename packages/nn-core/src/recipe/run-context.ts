/** The diagnosis's inputs from a run's recorded epochs and its recipe (no file access). */
import { augmentationOf } from '../data/augment.js';
import type { EpochMetrics } from '../train/epoch-metrics.js';
import type { EpochPoint, RunContext } from './diagnose.js';
import type { TrainRecipe } from './recipe-file.js';

/** The diagnosis's view of an epoch (null validation values become absent). */
export function toEpochPoint(m: EpochMetrics): EpochPoint {
  return {
    epoch: m.epoch,
    trainLoss: m.trainLoss,
    trainAccuracy: m.trainAccuracy,
    ...(m.valLoss === null ? {} : { valLoss: m.valLoss }),
    ...(m.valAccuracy === null ? {} : { valAccuracy: m.valAccuracy }),
  };
}

/** What a recipe already uses, so that the advice does not repeat it. */
export function recipeContext(c: TrainRecipe): RunContext {
  return {
    dropout: c.spec.dropout,
    augment: augmentationOf(c.augment) !== 'none',
    weightDecay: c.spec.l2,
    learningRate: c.optimizer.lr,
    epochs: c.epochs,
    whitened: c.whitening?.kind === 'zca',
    annealed: c.schedule === 'onecycle' || c.schedule === 'cosine',
    hidden: c.spec.hidden,
  };
}
