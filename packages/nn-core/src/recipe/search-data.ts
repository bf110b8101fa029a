/**
 * The data a search trains and ranks on. A fixed, class-stratified validation set is held out of
 * the CIFAR-10 training files; the rest is the training pool, visited in a class-balanced seeded
 * order so that every rung's subset (the first N images of that order) is balanced and contains
 * the smaller rungs' subsets. Normalisation and whitening come from the pool only.
 */
import type { ImageSet } from '../data/cifar10-format.js';
import { createRng, deriveSeed, shuffleInPlace } from '../data/rng.js';
import { splitValidation, subset } from '../data/split.js';
import { type ChannelStats, channelStats } from '../data/stats.js';
import {
  type FeatureSet,
  type ImageCovariance,
  imageCovariance,
  type Whitening,
  whitenSet,
  zcaWhitening,
} from '../data/whitening.js';

export interface SearchData {
  /** Training pool, in class-balanced order: rung subsets are its prefixes. */
  pool: ImageSet;
  val: ImageSet;
  stats: ChannelStats;
  seed: number;
}

/** Indices of `labels` in a seeded order that cycles through the classes (balanced prefixes). */
export function balancedOrder(labels: ArrayLike<number>, seed: number): Uint32Array {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    const list = byClass.get(label) ?? [];
    list.push(i);
    byClass.set(label, list);
  }
  const rng = createRng(deriveSeed(seed, 0xba1));
  const lists = [...byClass.keys()]
    .sort((a, b) => a - b)
    .map((k) => shuffleInPlace(byClass.get(k) as number[], rng));
  const order = new Uint32Array(labels.length);
  let at = 0;
  for (let round = 0; at < order.length; round++) {
    for (const list of lists) if (round < list.length) order[at++] = list[round] as number;
  }
  return order;
}

/**
 * Holds out `valImages` (stratified) from `images` and orders the rest for nested rung subsets.
 */
export function searchData(images: ImageSet, valImages: number, seed: number): SearchData {
  if (!(valImages >= 10 && valImages < images.count)) {
    throw new RangeError(
      `the search needs 10 to ${images.count - 1} validation images, got ${valImages}`,
    );
  }
  const { train, val } = splitValidation(images, valImages / images.count, seed);
  const pool = subset(train, balancedOrder(train.labels, seed));
  return { pool, val, stats: channelStats(pool), seed };
}

/** The first `count` images of the pool: a rung's training set. */
export function rungImages(data: SearchData, count: number): ImageSet {
  const n = Math.min(count, data.pool.count);
  return {
    images: data.pool.images.subarray(0, n * 3072),
    labels: data.pool.labels.subarray(0, n),
    count: n,
  };
}

/**
 * Whitened copies of the validation set and rung subsets, per epsilon, computed on first use.
 * The covariance (the costly part) is estimated once, on the pool.
 */
export class WhitenedViews {
  private covariance: ImageCovariance | undefined;
  private readonly whitenings = new Map<number, Whitening>();
  private readonly sets = new Map<string, FeatureSet>();

  constructor(private readonly data: SearchData) {}

  whitening(epsilon: number): Whitening {
    let w = this.whitenings.get(epsilon);
    if (!w) {
      this.covariance ??= imageCovariance(this.data.pool, this.data.stats, {
        seed: this.data.seed,
      });
      w = zcaWhitening(this.covariance, epsilon);
      this.whitenings.set(epsilon, w);
    }
    return w;
  }

  /** `which` is 'val' or a rung's image count. */
  set(epsilon: number, which: 'val' | number): FeatureSet {
    const key = `${epsilon}:${which}`;
    let set = this.sets.get(key);
    if (!set) {
      const images = which === 'val' ? this.data.val : rungImages(this.data, which);
      set = whitenSet(images, this.data.stats, this.whitening(epsilon));
      this.sets.set(key, set);
    }
    return set;
  }
}
