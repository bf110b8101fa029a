import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, forwardLogits } from '../model/build.js';
import { foldWhitening } from '../model/fold-whitening.js';
import * as tf from '../tfjs.js';
import { writeNormalised } from './augment.js';
import { batches } from './batches.js';
import { IMAGE_SIZE, type ImageSet } from './cifar10.js';
import { createRng } from './rng.js';
import { channelStats, normalisationTable } from './stats.js';
import {
  fitZca,
  flipPermutation,
  type Whitening,
  whiteningBytes,
  whiteningFromBytes,
  whiteningHeader,
  whitenSet,
} from './whitening.js';

/**
 * Images with structure that is not mirror-symmetric: a left-to-right ramp of random slope per
 * channel, a bright blob more often on the left, and noise. Labels cycle 0..9.
 */
function structuredImages(count: number, seed: number): ImageSet {
  const rng = createRng(seed);
  const images = new Uint8Array(count * IMAGE_SIZE);
  for (let i = 0; i < count; i++) {
    const slope = rng() * 4 - 1;
    const bx = rng() < 0.8 ? 8 : 24;
    const by = Math.floor(rng() * 32);
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const blob = 120 * Math.exp(-((x - bx) ** 2 + (y - by) ** 2) / 30);
          const v = 60 + slope * x * (c + 1) + blob + 30 * rng();
          images[i * IMAGE_SIZE + c * 1024 + y * 32 + x] = Math.max(
            0,
            Math.min(255, Math.round(v)),
          );
        }
      }
    }
  }
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

const train = structuredImages(300, 1);
const other = structuredImages(100, 2);
const stats = channelStats(train);
let zca: Whitening;

beforeAll(async () => {
  await tf.setBackend('cpu');
  zca = fitZca(train, stats, { epsilon: 0.5, seed: 0 });
}, 600_000);

/** The normalised image `i` of `set`. */
function normalised(set: ImageSet, i: number): Float32Array {
  const out = new Float32Array(IMAGE_SIZE);
  writeNormalised(set.images, i * IMAGE_SIZE, out, 0, normalisationTable(stats));
  return out;
}

describe('ZCA whitening of images', () => {
  it('is fitted on the images it is given only: its mean is theirs, with their mirror images', () => {
    const flip = flipPermutation();
    const meanOf = (sets: ImageSet[]) => {
      const sum = new Float64Array(IMAGE_SIZE);
      let n = 0;
      for (const set of sets) {
        for (let i = 0; i < set.count; i++, n++) {
          const x = normalised(set, i);
          for (let p = 0; p < IMAGE_SIZE; p++)
            sum[p] = (sum[p] as number) + ((x[p] as number) + (x[flip[p] as number] as number)) / 2;
        }
      }
      return Array.from(sum, (v) => v / n);
    };
    const own = meanOf([train]);
    const mixed = meanOf([train, other]);
    let ownError = 0;
    let mixedError = 0;
    zca.mean.forEach((v, p) => {
      ownError = Math.max(ownError, Math.abs(v - (own[p] as number)));
      mixedError = Math.max(mixedError, Math.abs(v - (mixed[p] as number)));
    });
    expect(ownError).toBeLessThan(1e-5);
    expect(mixedError).toBeGreaterThan(1e-3);
    expect(zca.images).toBe(300);
  });

  it('decorrelates: the whitened training images (with mirrors) have covariance close to C (C + eps)^-1', () => {
    const white = whitenSet(train, stats, zca);
    // Total variance of whitened data: sum over eigenvalues of lambda / (lambda + eps).
    const expected = zca.eigenvalues.reduce(
      (s, l) => s + Math.max(l, 0) / (Math.max(l, 0) + 0.5),
      0,
    );
    const flip = flipPermutation();
    let total = 0;
    for (let i = 0; i < train.count; i++) {
      for (let p = 0; p < IMAGE_SIZE; p++) {
        const v = white.features[i * IMAGE_SIZE + p] as number;
        const m = white.features[i * IMAGE_SIZE + (flip[p] as number)] as number;
        total += (v * v + m * m) / 2;
      }
    }
    expect(total / train.count).toBeCloseTo(expected, 0);
  });
  it('commutes with the horizontal flip: flipping a whitened image equals whitening the flipped image', () => {
    const flip = flipPermutation();
    const image = other.images.subarray(0, IMAGE_SIZE);
    const mirrored = new Uint8Array(IMAGE_SIZE);
    for (let p = 0; p < IMAGE_SIZE; p++) mirrored[p] = image[flip[p] as number] as number;
    const pair: ImageSet = {
      images: Uint8Array.from([...image, ...mirrored]),
      labels: Uint8Array.of(0, 0),
      count: 2,
    };
    const white = whitenSet(pair, stats, zca).features;
    let worst = 0;
    for (let p = 0; p < IMAGE_SIZE; p++) {
      worst = Math.max(
        worst,
        Math.abs((white[IMAGE_SIZE + p] as number) - (white[flip[p] as number] as number)),
      );
    }
    expect(worst).toBeLessThan(1e-3);
    // And the batch pipeline's flip of whitened features is that same mirror image.
    const batch = [
      ...batches(whitenSet({ ...pair, count: 1 }, stats, zca), {
        batchSize: 1,
        shuffle: false,
        seed: 0,
        stats,
        augment: 'flip',
        epoch: 0,
        reuseBuffers: false,
      }),
    ][0];
    const flipped = Array.from(batch?.x ?? []);
    const same = flipped.every((v, p) => v === white[p]);
    const mirror = flipped.every((v, p) => Math.abs(v - (white[IMAGE_SIZE + p] as number)) < 1e-3);
    expect(same || mirror).toBe(true);
  });
  it('round-trips through the run directory’s bytes', () => {
    const back = whiteningFromBytes(whiteningBytes(zca), whiteningHeader(zca), 'whitening.bin');
    expect(Buffer.from(back.matrix.buffer).equals(Buffer.from(zca.matrix.buffer))).toBe(true);
    expect(Array.from(back.mean)).toEqual(Array.from(zca.mean));
    expect(() =>
      whiteningFromBytes(new Uint8Array(8), whiteningHeader(zca), 'whitening.bin'),
    ).toThrow(/whitening\.bin: expected/);
  });
});

describe('foldWhitening', () => {
  it('makes the model take normalised images and answer as the unfolded model on whitened ones', () => {
    const white = whitenSet(other, stats, zca);
    const x = tf.tensor2d(white.features.subarray(0, 8 * IMAGE_SIZE), [8, IMAGE_SIZE]);
    const raw = tf.tensor2d(
      Float32Array.from(
        { length: 8 * IMAGE_SIZE },
        (_, k) => normalised(other, Math.floor(k / IMAGE_SIZE))[k % IMAGE_SIZE] as number,
      ),
      [8, IMAGE_SIZE],
    );
    for (const bottleneck of [undefined, [16, 0]]) {
      const spec = {
        inputSize: IMAGE_SIZE,
        classes: 10,
        hidden: [24, 12],
        activation: 'relu' as const,
        batchNorm: 'before' as const,
        dropout: 0.3,
        l2: 0,
        initializer: 'heNormal' as const,
        ...(bottleneck ? { bottleneck } : {}),
      };
      const model = buildModel(spec, 4);
      const expected = forwardLogits(model, x).arraySync();
      foldWhitening(model, zca);
      const got = forwardLogits(model, raw).arraySync();
      for (const [i, row] of got.entries()) {
        for (const [j, v] of row.entries()) expect(v).toBeCloseTo(expected[i]?.[j] as number, 3);
      }
      model.dispose();
    }
  });
});
