import { describe, expect, it } from 'vitest';
import { type Batch, type BatchOptions, batchCount, batches } from './batches.js';
import { IMAGE_SIZE, type ImageSet, parseCifarBatch } from './cifar10.js';
import { type ChannelStats, channelStats } from './stats.js';
import { makeCifarBatch } from './testing.js';

const set = parseCifarBatch(makeCifarBatch(50, { seed: 11 }), 'gen');
const stats: ChannelStats = { mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] };
const base: BatchOptions = { batchSize: 16, shuffle: false, seed: 1, stats, reuseBuffers: false };

/** Naive reference: normalise one raw value of channel c. */
const norm = (v: number, c: number) =>
  (v / 255 - (stats.mean[c] as number)) / (stats.std[c] as number);

/** Reference augmentation, written independently: zero-pad to 40x40, crop at (4+dy, 4+dx), then mirror. */
function referenceAugment(
  set: ImageSet,
  index: number,
  dx: number,
  dy: number,
  flip: boolean,
): Float32Array {
  const out = new Float32Array(IMAGE_SIZE);
  for (let c = 0; c < 3; c++) {
    const padded = new Uint8Array(40 * 40);
    for (let r = 0; r < 32; r++) {
      for (let col = 0; col < 32; col++) {
        padded[(r + 4) * 40 + col + 4] = set.images[
          index * IMAGE_SIZE + c * 1024 + r * 32 + col
        ] as number;
      }
    }
    const crop = new Uint8Array(32 * 32);
    for (let r = 0; r < 32; r++) {
      for (let col = 0; col < 32; col++)
        crop[r * 32 + col] = padded[(r + 4 + dy) * 40 + col + 4 + dx] as number;
    }
    for (let r = 0; r < 32; r++) {
      for (let col = 0; col < 32; col++) {
        out[c * 1024 + r * 32 + col] = norm(crop[r * 32 + (flip ? 31 - col : col)] as number, c);
      }
    }
  }
  return out;
}

const collect = (options: BatchOptions & { epoch: number }): Batch[] => [...batches(set, options)];
const closeTo = (a: Float32Array, b: Float32Array) =>
  a.every((v, i) => Math.abs(v - (b[i] as number)) < 1e-5);

describe('batches', () => {
  it('yields every image once, in file order without shuffle, normalised per channel', () => {
    const all = collect({ ...base, epoch: 0 });
    expect(all.map((b) => b.size)).toEqual([16, 16, 16, 2]);
    expect(all[3]?.x.length).toBe(2 * IMAGE_SIZE);
    const labels = all.flatMap((b) => [...b.y]);
    expect(labels).toEqual([...set.labels]);
    const second = all[1] as Batch;
    // Image 17 is the second image of the second batch; check a pixel of every channel.
    for (const [c, p] of [
      [0, 0],
      [1, 517],
      [2, 1023],
    ] as const) {
      const raw = set.images[17 * IMAGE_SIZE + c * 1024 + p] as number;
      expect(second.x[IMAGE_SIZE + c * 1024 + p]).toBeCloseTo(norm(raw, c), 5);
    }
  });

  it('drops the short last batch on request', () => {
    expect(collect({ ...base, epoch: 0, dropLast: true }).map((b) => b.size)).toEqual([16, 16, 16]);
    expect(batchCount(50, 16, true)).toBe(3);
    expect(batchCount(50, 16)).toBe(4);
  });

  it('shuffles reproducibly per (seed, epoch) and covers every image', () => {
    const order = (seed: number, epoch: number) =>
      collect({ ...base, shuffle: true, seed, epoch }).flatMap((b) => [...b.y]);
    const images = (seed: number, epoch: number) =>
      collect({ ...base, shuffle: true, seed, epoch });
    expect(order(1, 0)).toEqual(order(1, 0));
    expect(order(1, 0)).not.toEqual(order(1, 1));
    expect(order(1, 0)).not.toEqual(order(2, 0));
    expect([...order(1, 3)].sort()).toEqual([...set.labels].sort());
    // Each shuffled image is one of the set's images, all distinct.
    const firstPixels = images(1, 0).flatMap((b) =>
      Array.from({ length: b.size }, (_, i) => b.x[i * IMAGE_SIZE + 5]),
    );
    const expected = Array.from({ length: 50 }, (_, i) =>
      norm(set.images[i * IMAGE_SIZE + 5] as number, 0),
    );
    expect(firstPixels.map((v) => (v as number).toFixed(4)).sort()).toEqual(
      expected.map((v) => v.toFixed(4)).sort(),
    );
  });

  it('augments each image as a crop of its zero-padded copy, possibly mirrored', () => {
    const all = collect({ ...base, augment: true, epoch: 0 });
    const seen = { flips: 0, shifts: new Set<string>() };
    let index = 0;
    for (const batch of all) {
      for (let i = 0; i < batch.size; i++, index++) {
        const got = batch.x.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
        let match: string | undefined;
        for (let dy = -4; dy <= 4 && !match; dy++) {
          for (let dx = -4; dx <= 4 && !match; dx++) {
            for (const flip of [false, true]) {
              if (closeTo(got, referenceAugment(set, index, dx, dy, flip))) {
                match = `${dx},${dy}`;
                if (flip) seen.flips++;
                break;
              }
            }
          }
        }
        expect(match, `image ${index} is no crop/flip of its source`).toBeDefined();
        seen.shifts.add(match as string);
      }
    }
    expect(seen.flips).toBeGreaterThan(10);
    expect(seen.flips).toBeLessThan(40);
    expect(seen.shifts.size).toBeGreaterThan(20);
  });

  it('with augment "flip" only mirrors: every image is its source or its mirror image, unshifted', () => {
    const all = collect({ ...base, augment: 'flip', epoch: 0 });
    let index = 0;
    let flips = 0;
    for (const batch of all) {
      for (let i = 0; i < batch.size; i++, index++) {
        const got = batch.x.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
        const mirrored = closeTo(got, referenceAugment(set, index, 0, 0, true));
        const plain = closeTo(got, referenceAugment(set, index, 0, 0, false));
        expect(mirrored || plain, `image ${index} is neither its source nor its mirror`).toBe(true);
        if (mirrored) flips++;
      }
    }
    expect(flips).toBeGreaterThan(10);
    expect(flips).toBeLessThan(40);
  });

  it('treats augment true as crop-flip and "none" as no augmentation', () => {
    const first = (augment: BatchOptions['augment']) =>
      (collect({ ...base, augment, epoch: 1 })[0] as Batch).x;
    expect(first(true)).toEqual(first('crop-flip'));
    expect(first('none')).toEqual(first(undefined));
    expect(closeTo(first('none'), first('crop-flip'))).toBe(false);
  });

  it('augments reproducibly and differently per epoch', () => {
    const x = (epoch: number) => (collect({ ...base, augment: true, epoch })[0] as Batch).x;
    expect(x(2)).toEqual(x(2));
    expect(closeTo(x(2), x(3))).toBe(false);
  });

  it('reuses its buffers by default, and fresh ones on request', () => {
    const reused = [...batches(set, { ...base, reuseBuffers: undefined, epoch: 0 })];
    expect(reused[0]?.x.buffer).toBe(reused[1]?.x.buffer);
    const fresh = collect({ ...base, epoch: 0 });
    expect(fresh[0]?.x.buffer).not.toBe(fresh[1]?.x.buffer);
  });

  it('normalised training data has mean 0 and std 1 per channel with its own stats', () => {
    const own = channelStats(set);
    const [batch] = collect({ ...base, stats: own, batchSize: 50, epoch: 0 });
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < 50; i++) {
        for (let p = 0; p < 1024; p++) {
          const v = batch?.x[i * IMAGE_SIZE + c * 1024 + p] as number;
          sum += v;
          squares += v * v;
        }
      }
      const n = 50 * 1024;
      expect(sum / n).toBeCloseTo(0, 4);
      expect(Math.sqrt(squares / n - (sum / n) ** 2)).toBeCloseTo(1, 4);
    }
  });

  it('refuses a batch size that is not a positive whole number', () => {
    expect(() => collect({ ...base, batchSize: 0, epoch: 0 })).toThrow(/batchSize/);
  });
});
