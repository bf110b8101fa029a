import { IMAGE_SIZE, type ImageSet } from './cifar10-format.js';
import { createRng, shuffleInPlace } from './rng.js';

/** The images at `indices`, in that order, copied into a new set. */
export function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const count = indices.length;
  const images = new Uint8Array(count * IMAGE_SIZE);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const index = indices[i] as number;
    if (!Number.isInteger(index) || index < 0 || index >= set.count) {
      throw new RangeError(
        `subset: index ${index} at position ${i} is outside 0..${set.count - 1}`,
      );
    }
    images.set(set.images.subarray(index * IMAGE_SIZE, (index + 1) * IMAGE_SIZE), i * IMAGE_SIZE);
    labels[i] = set.labels[index] as number;
  }
  return { images, labels, count };
}

/**
 * Carves a validation set out of `set`, stratified by class: for each label, a seeded shuffle of
 * that label's images picks `round(fraction * classCount)` of them for validation. Both parts keep
 * the original order of the images, so the split depends only on (set, fraction, seed).
 */
export function splitValidation(
  set: ImageSet,
  fraction: number,
  seed: number,
): { train: ImageSet; val: ImageSet } {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new RangeError(`validation fraction must be in [0, 1), got ${fraction}`);
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < set.count; i++) {
    const label = set.labels[i] as number;
    const list = byClass.get(label);
    if (list) list.push(i);
    else byClass.set(label, [i]);
  }
  const rng = createRng(seed);
  const isVal = new Uint8Array(set.count);
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = shuffleInPlace(byClass.get(label) as number[], rng);
    const take = Math.round(fraction * members.length);
    for (let k = 0; k < take; k++) isVal[members[k] as number] = 1;
  }
  const trainIdx: number[] = [];
  const valIdx: number[] = [];
  for (let i = 0; i < set.count; i++) (isVal[i] ? valIdx : trainIdx).push(i);
  return { train: subset(set, trainIdx), val: subset(set, valIdx) };
}
