import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CIFAR10_CLASSES, loadCifar10 } from './cifar10.js';
import { missingCifarFiles } from './locate.js';
import { channelStats } from './stats.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const dir = process.env.LABKIT_CIFAR10_DIR ?? join(repoRoot, '..', 'shared', 'data', 'cifar10');
const present = existsSync(dir) && missingCifarFiles(dir).length === 0;
if (!present)
  console.warn(`skipping real CIFAR-10 tests: no data set in ${dir} (set LABKIT_CIFAR10_DIR)`);

describe.skipIf(!present)('real CIFAR-10 data', () => {
  const perClass = (labels: Uint8Array) => {
    const counts = new Array(CIFAR10_CLASSES.length).fill(0);
    for (const l of labels) counts[l]++;
    return counts;
  };

  it('has 50,000 training images, 5,000 per class, with the published channel statistics', async () => {
    const train = await loadCifar10(dir, 'train');
    expect(train.count).toBe(50_000);
    expect(perClass(train.labels)).toEqual(new Array(10).fill(5000));
    // The first batch's class counts as published for the official data_batch_1.
    expect(perClass(train.labels.subarray(0, 10_000))).toEqual([
      1005, 974, 1032, 1016, 999, 937, 1030, 1001, 1025, 981,
    ]);
    const stats = channelStats(train);
    // Figures from the data set's README (4 decimals), so allow half a unit in the last place.
    const mean = [0.4913, 0.4821, 0.4465];
    const std = [0.2452, 0.2428, 0.2606];
    for (let c = 0; c < 3; c++) {
      expect(Math.abs((stats.mean[c] as number) - (mean[c] as number))).toBeLessThanOrEqual(
        0.00005 + 1e-9,
      );
      expect(Math.abs((stats.std[c] as number) - (std[c] as number))).toBeLessThanOrEqual(
        0.00005 + 1e-9,
      );
    }
  });

  it('has 10,000 test images, 1,000 per class', async () => {
    const test = await loadCifar10(dir, 'test');
    expect(test.count).toBe(10_000);
    expect(perClass(test.labels)).toEqual(new Array(10).fill(1000));
    const stats = channelStats(test);
    expect(stats.mean[0]).toBeCloseTo(0.4941, 3);
    expect(stats.std[2]).toBeCloseTo(0.2606, 3);
  });
});
