import {
  type Augmentation,
  augmentationOf,
  CROP_PADDING,
  writeAugmented,
  writeFeaturesAugmented,
  writeNormalised,
} from './augment.js';
import { IMAGE_SIZE, type ImageSet } from './cifar10-format.js';
import { createRng, deriveSeed, randomInt, shuffleInPlace } from './rng.js';
import { type ChannelStats, normalisationTable } from './stats.js';
import type { FeatureSet } from './whitening.js';

export interface BatchOptions {
  batchSize: number;
  /** Visit the images in a seeded random order, different for every epoch. */
  shuffle: boolean;
  seed: number;
  /** Augmentation seeded per (seed, epoch); `true` means `crop-flip`, the default is none. */
  augment?: boolean | Augmentation;
  /** Normalisation statistics, normally `channelStats` of the training split. */
  stats: ChannelStats;
  /** Skip the last batch when it is smaller than `batchSize`. */
  dropLast?: boolean;
  /**
   * When true (the default) every batch is written into the same two buffers, so each yielded
   * `Batch` is valid only until the iterator is advanced. Set false to get fresh arrays per batch.
   */
  reuseBuffers?: boolean;
}

/** `x`: `size * 3072` normalised values ((v/255 - mean) / std), CHW per image; `y`: labels. */
export interface Batch {
  x: Float32Array;
  y: Int32Array;
  size: number;
}

/** Stream ids that keep the shuffle and augmentation random streams independent. */
const SHUFFLE_STREAM = 1;
const AUGMENT_STREAM = 2;

/** The order in which an epoch visits the images: identity, or a permutation seeded by (seed, epoch). */
export function epochOrder(
  count: number,
  shuffle: boolean,
  seed: number,
  epoch: number,
): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (shuffle) shuffleInPlace(order, createRng(deriveSeed(seed, epoch, SHUFFLE_STREAM)));
  return order;
}

/**
 * Yields the batches of one epoch: images gathered in epoch order, normalised through a 256-entry
 * lookup table per channel and, with `augment`, randomly flipped (and cropped). The same
 * (set, options, epoch) always yields the same batches.
 *
 * Ownership: with `reuseBuffers` (the default) the yielded `x` and `y` are views of buffers that the
 * next batch overwrites; consume them (e.g. `tf.tensor` copies) before advancing, or copy them.
 */
export function* batches(
  set: ImageSet | FeatureSet,
  options: BatchOptions & { epoch: number },
): Generator<Batch> {
  const { batchSize, epoch } = options;
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new RangeError(`batchSize must be a positive whole number, got ${batchSize}`);
  }
  const table = normalisationTable(options.stats);
  const order = epochOrder(set.count, options.shuffle, options.seed, epoch);
  const augmentRng = createRng(deriveSeed(options.seed, epoch, AUGMENT_STREAM));
  const augmentation = augmentationOf(options.augment);
  const reuse = options.reuseBuffers ?? true;
  const span = 2 * CROP_PADDING + 1;
  let x = new Float32Array(batchSize * IMAGE_SIZE);
  let y = new Int32Array(batchSize);

  for (let start = 0; start < set.count; start += batchSize) {
    const size = Math.min(batchSize, set.count - start);
    if (size < batchSize && options.dropLast) return;
    if (!reuse && start > 0) {
      x = new Float32Array(batchSize * IMAGE_SIZE);
      y = new Int32Array(batchSize);
    }
    for (let i = 0; i < size; i++) {
      const index = order[start + i] as number;
      y[i] = set.labels[index] as number;
      const [dx, dy, flip] = drawAugmentation(augmentation, augmentRng, span);
      if ('features' in set) {
        writeFeaturesAugmented(set.features, index * IMAGE_SIZE, x, i * IMAGE_SIZE, dx, dy, flip);
      } else if (augmentation === 'none') {
        writeNormalised(set.images, index * IMAGE_SIZE, x, i * IMAGE_SIZE, table);
      } else {
        writeAugmented(set.images, index * IMAGE_SIZE, x, i * IMAGE_SIZE, table, dx, dy, flip);
      }
    }
    yield size === batchSize
      ? { x, y, size }
      : { x: x.subarray(0, size * IMAGE_SIZE), y: y.subarray(0, size), size };
  }
}

/**
 * The shift and flip of one image, drawn in the same order as the byte path draws them, so that a
 * whitened run sees the same augmentation as an unwhitened one with the same seed.
 */
function drawAugmentation(
  augmentation: Augmentation,
  rng: () => number,
  span: number,
): [number, number, boolean] {
  if (augmentation === 'flip') return [0, 0, rng() < 0.5];
  if (augmentation === 'crop-flip') {
    const dx = randomInt(rng, span) - CROP_PADDING;
    const dy = randomInt(rng, span) - CROP_PADDING;
    return [dx, dy, rng() < 0.5];
  }
  return [0, 0, false];
}

/** Number of batches `batches` yields for `count` images. */
export function batchCount(count: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}
