import { IMAGE_SIZE, type ImageSet } from './cifar10-format.js';

const PLANE = IMAGE_SIZE / 3;

/** Per-channel (R, G, B) mean and population standard deviation on the 0..1 pixel scale. */
export interface ChannelStats {
  mean: [number, number, number];
  std: [number, number, number];
}

/**
 * Exact per-channel statistics: counts a 256-bin histogram per channel, then sums in float64, so
 * the result has no accumulated rounding error however many images there are.
 */
export function channelStats(set: ImageSet): ChannelStats {
  if (set.count === 0) throw new RangeError('channelStats: the image set is empty');
  const histogram = new Float64Array(3 * 256);
  const { images } = set;
  for (let image = 0; image < set.count; image++) {
    const base = image * IMAGE_SIZE;
    for (let c = 0; c < 3; c++) {
      const start = base + c * PLANE;
      const bin = c * 256;
      for (let p = start; p < start + PLANE; p++) {
        const slot = bin + (images[p] as number);
        histogram[slot] = (histogram[slot] as number) + 1;
      }
    }
  }
  const n = set.count * PLANE;
  const mean: [number, number, number] = [0, 0, 0];
  const std: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    for (let v = 0; v < 256; v++) sum += (histogram[c * 256 + v] as number) * v;
    const m = sum / n;
    let squares = 0;
    for (let v = 0; v < 256; v++) squares += (histogram[c * 256 + v] as number) * (v - m) ** 2;
    mean[c] = m / 255;
    std[c] = Math.sqrt(squares / n) / 255;
  }
  return { mean, std };
}

/**
 * Lookup table of normalised values: `table[c * 256 + v] = (v / 255 - mean[c]) / std[c]`.
 * A zero std (a constant channel) is treated as 1 so the table stays finite.
 */
export function normalisationTable(stats: ChannelStats): Float32Array {
  const table = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    const mean = stats.mean[c] as number;
    const sd = (stats.std[c] as number) > 0 ? (stats.std[c] as number) : 1;
    for (let v = 0; v < 256; v++) table[c * 256 + v] = (v / 255 - mean) / sd;
  }
  return table;
}
