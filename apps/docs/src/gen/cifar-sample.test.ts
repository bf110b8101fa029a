import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCifarBatch, RECORD_SIZE } from '@labkit/nn-core/browser';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSample, sampleDataDir, sampleRecords } from './cifar-sample.js';

/** `count` records whose label is `i % 10` and whose pixels all hold `(first + i) % 256`. */
function batch(count: number, first: number): Uint8Array {
  const bytes = new Uint8Array(count * RECORD_SIZE);
  for (let i = 0; i < count; i++) {
    bytes[i * RECORD_SIZE] = i % 10;
    bytes.fill((first + i) % 256, i * RECORD_SIZE + 1, (i + 1) * RECORD_SIZE);
  }
  return bytes;
}

const dir = mkdtempSync(join(tmpdir(), 'labkit-docs-sample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the in-browser page CIFAR-10 sample', () => {
  it('keeps the first training records, then the first test records, whole', () => {
    const set = parseCifarBatch(sampleRecords(batch(6, 0), batch(4, 100), 3, 2), 'sample');
    expect(set.count).toBe(5);
    expect(Array.from(set.labels)).toEqual([0, 1, 2, 0, 1]);
    expect([0, 1, 2, 3, 4].map((i) => set.images[i * 3072 + 3071])).toEqual([0, 1, 2, 100, 101]);
  });

  it('refuses batch files with fewer records than the sample needs', () => {
    expect(() => sampleRecords(batch(2, 0), batch(4, 0), 3, 2)).toThrow(
      'data_batch_1.bin holds 2 records, fewer than the 3 the sample needs',
    );
  });

  it('says why there is no sample when the data set is absent', () => {
    const { bytes, manifest } = buildSample(join(dir, 'nowhere'));
    expect(bytes).toBeUndefined();
    expect(manifest).toEqual({
      available: false,
      reason: expect.stringContaining(`${join(dir, 'nowhere', 'data_batch_1.bin')} and`),
    });
  });

  it('reads the data directory from LABKIT_CIFAR10_DIR, else beside the repository', () => {
    expect(sampleDataDir('/repo', { LABKIT_CIFAR10_DIR: '/data/cifar' })).toBe('/data/cifar');
    expect(sampleDataDir('/work/repo', {})).toBe('/work/shared/data/cifar10');
  });

  it('builds the sample from a directory that has the two files', () => {
    writeFileSync(join(dir, 'data_batch_1.bin'), batch(2000, 0));
    writeFileSync(join(dir, 'test_batch.bin'), batch(1000, 7));
    const { bytes, manifest } = buildSample(dir);
    expect(manifest).toMatchObject({ available: true, train: 2000, test: 1000 });
    expect(bytes?.length).toBe(3000 * RECORD_SIZE);
  });
});
