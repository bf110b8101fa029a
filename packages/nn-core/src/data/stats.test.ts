import { describe, expect, it } from 'vitest';
import { IMAGE_SIZE, parseCifarBatch } from './cifar10.js';
import { channelStats, normalisationTable } from './stats.js';
import { makeCifarBatch } from './testing.js';

describe('channelStats', () => {
  it('matches a hand calculation', () => {
    // Two images; red plane all 0 in one and all 255 in the other: mean 0.5, std 0.5.
    // Green constant 51 (0.2), blue half 0 and half 102 in each image: mean 0.2, std 0.2.
    const images = new Uint8Array(2 * IMAGE_SIZE);
    images.fill(255, IMAGE_SIZE, IMAGE_SIZE + 1024);
    for (const base of [0, IMAGE_SIZE]) {
      images.fill(51, base + 1024, base + 2048);
      images.fill(102, base + 2048, base + 2560);
    }
    const stats = channelStats({ images, labels: new Uint8Array(2), count: 2 });
    expect(stats.mean[0]).toBeCloseTo(0.5, 12);
    expect(stats.std[0]).toBeCloseTo(0.5, 12);
    expect(stats.mean[1]).toBeCloseTo(0.2, 12);
    expect(stats.std[1]).toBeCloseTo(0, 12);
    expect(stats.mean[2]).toBeCloseTo(0.2, 12);
    expect(stats.std[2]).toBeCloseTo(0.2, 12);
  });

  it('agrees with a direct two-pass computation on random data', () => {
    const set = parseCifarBatch(makeCifarBatch(30, { seed: 4 }), 'gen');
    const stats = channelStats(set);
    for (let c = 0; c < 3; c++) {
      const values: number[] = [];
      for (let i = 0; i < set.count; i++) {
        for (let p = 0; p < 1024; p++)
          values.push((set.images[i * IMAGE_SIZE + c * 1024 + p] as number) / 255);
      }
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      expect(stats.mean[c]).toBeCloseTo(mean, 10);
      expect(stats.std[c]).toBeCloseTo(std, 10);
    }
  });
});

describe('normalisationTable', () => {
  it('maps v to (v/255 - mean)/std per channel', () => {
    const table = normalisationTable({ mean: [0.5, 0.25, 0], std: [0.25, 0.5, 0] });
    expect(table[0]).toBeCloseTo(-2, 6);
    expect(table[255]).toBeCloseTo(2, 6);
    expect(table[256 + 51]).toBeCloseTo((0.2 - 0.25) / 0.5, 6);
    expect(table[512 + 255]).toBeCloseTo(1, 6); // zero std is treated as 1
  });
});
