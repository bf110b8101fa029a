import { type Batch, type BatchOptions, batchCount, batches } from '../data/batches.js';
import type { ImageSet } from '../data/cifar10-format.js';
import type { ChannelStats } from '../data/stats.js';
import type { FeatureSet } from '../data/whitening.js';
import type { TrainRecipe } from '../recipe/recipe-file.js';

/** Validation and test passes use large batches: inference needs no small-batch noise. */
const EVAL_BATCH = 1000;

/**
 * Where the training loop gets its batches: a pass over `count` samples, different per epoch when
 * shuffled or augmented. Tests build sources from synthetic arrays; CIFAR-10 runs use
 * {@link imageSetSource}. A yielded batch only needs to stay valid until the next one is pulled.
 */
export interface BatchSource {
  count: number;
  /** Number of batches one pass yields (for progress and schedules). */
  batchesPerEpoch: number;
  batches(epoch: number): Iterable<Batch>;
}

/** A source over an in-memory CIFAR-style image set, through the data pipeline's `batches`. */
export function imageSetSource(set: ImageSet | FeatureSet, options: BatchOptions): BatchSource {
  return {
    count: set.count,
    batchesPerEpoch: batchCount(set.count, options.batchSize, options.dropLast),
    batches: (epoch) => batches(set, { ...options, epoch }),
  };
}

/** A source over plain feature rows (`features.length === count * width`), for tests and recipes. */
export function arraySource(
  features: Float32Array,
  labels: Int32Array,
  batchSize: number,
  order: (epoch: number) => ArrayLike<number> = () => Array.from(labels, (_, i) => i),
): BatchSource {
  const count = labels.length;
  const width = features.length / count;
  return {
    count,
    batchesPerEpoch: Math.ceil(count / batchSize),
    *batches(epoch) {
      const indices = order(epoch);
      for (let start = 0; start < count; start += batchSize) {
        const size = Math.min(batchSize, count - start);
        const x = new Float32Array(size * width);
        const y = new Int32Array(size);
        for (let i = 0; i < size; i++) {
          const index = indices[start + i] as number;
          x.set(features.subarray(index * width, (index + 1) * width), i * width);
          y[i] = labels[index] as number;
        }
        yield { x, y, size };
      }
    },
  };
}

/** A source for validation or test passes: fixed order, no augmentation. */
export function evalSource(set: ImageSet | FeatureSet, stats: ChannelStats): BatchSource {
  return imageSetSource(set, { batchSize: EVAL_BATCH, shuffle: false, seed: 0, stats });
}

/** The training source of a recipe: shuffled and augmented per epoch as the recipe says. */
export function trainingSource(
  set: ImageSet | FeatureSet,
  recipe: Pick<TrainRecipe, 'batchSize' | 'seed' | 'augment'>,
  stats: ChannelStats,
): BatchSource {
  return imageSetSource(set, {
    batchSize: recipe.batchSize,
    shuffle: true,
    seed: recipe.seed,
    augment: recipe.augment,
    stats,
  });
}
