/**
 * A training run on images already in memory, with `labkit train`'s model, sources, schedule and
 * loop but no run directory: what the docs site runs in a browser. The run directory's extras
 * (checkpoint, metrics files, saved model, test evaluation) stay with `trainRun`.
 */
import type { ImageSet } from '../data/cifar10-format.js';
import { type ChannelStats, channelStats } from '../data/stats.js';
import { buildModel } from '../model/build.js';
import type { TrainRecipe } from '../recipe/recipe-file.js';
import type * as tf from '../tfjs.js';
import { type FitOptions, type FitResult, fit, type TrainCallbacks } from './fit.js';
import { scheduleByName } from './schedule.js';
import { evalSource, trainingSource } from './source.js';

export interface InMemoryRunOptions {
  /** The recipe's model and training settings (whitening and data limits do not apply here). */
  recipe: Pick<
    TrainRecipe,
    'spec' | 'optimizer' | 'schedule' | 'epochs' | 'batchSize' | 'augment' | 'seed'
  >;
  train: ImageSet;
  val: ImageSet;
  callbacks?: TrainCallbacks[];
}

export interface InMemoryRunResult {
  model: tf.LayersModel;
  fit: FitResult;
  /** Normalisation statistics of the training images (what a saved model would carry). */
  stats: ChannelStats;
}

/** The loop settings a recipe fixes: classes, weight decay, optimizer, and its schedule over its epochs. */
export function recipeFitSettings(
  recipe: Pick<TrainRecipe, 'spec' | 'optimizer' | 'schedule' | 'epochs'>,
): Pick<FitOptions, 'classes' | 'l2' | 'optimizer' | 'schedule' | 'epochs'> {
  return {
    classes: recipe.spec.classes,
    l2: recipe.spec.l2,
    optimizer: recipe.optimizer,
    schedule: scheduleByName(recipe.schedule, recipe.epochs),
    epochs: recipe.epochs,
  };
}

/** Trains the recipe's model on `train`, validating on `val` after every epoch. */
export async function trainInMemory(options: InMemoryRunOptions): Promise<InMemoryRunResult> {
  const { recipe } = options;
  const stats = channelStats(options.train);
  const model = buildModel(recipe.spec, recipe.seed);
  try {
    const result = await fit(model, {
      ...recipeFitSettings(recipe),
      seed: recipe.seed,
      train: trainingSource(options.train, recipe, stats),
      val: evalSource(options.val, stats),
      ...(options.callbacks ? { callbacks: options.callbacks } : {}),
    });
    return { model, fit: result, stats };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
