import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  IMAGE_SIZE,
  loadCifar10,
  parseCifarBatch,
  RECORD_SIZE,
  readCifarBatch,
} from './cifar10.js';
import { makeCifarBatch, writeCifarDir } from './testing.js';

const tmp = mkdtempSync(join(tmpdir(), 'labkit-cifar-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('parseCifarBatch', () => {
  it('splits records into labels and CHW image bytes', () => {
    const bytes = new Uint8Array(2 * RECORD_SIZE);
    bytes[0] = 3;
    bytes[1] = 10; // first red pixel of image 0
    bytes[1 + 1024] = 20; // first green pixel
    bytes[RECORD_SIZE - 1] = 30; // last blue pixel of image 0
    bytes[RECORD_SIZE] = 9;
    bytes[RECORD_SIZE + 1 + 2048] = 40; // first blue pixel of image 1
    const set = parseCifarBatch(bytes, 'x.bin');
    expect(set.count).toBe(2);
    expect([...set.labels]).toEqual([3, 9]);
    expect(set.images.length).toBe(2 * IMAGE_SIZE);
    expect(set.images[0]).toBe(10);
    expect(set.images[1024]).toBe(20);
    expect(set.images[IMAGE_SIZE - 1]).toBe(30);
    expect(set.images[IMAGE_SIZE + 2048]).toBe(40);
  });

  it('names the file and the cut-off record of a truncated batch', () => {
    const bytes = makeCifarBatch(3).subarray(0, 2 * RECORD_SIZE + 100);
    expect(() => parseCifarBatch(bytes, 'data_batch_2.bin')).toThrow(
      /data_batch_2\.bin: size 6246 bytes is not a multiple of the 3073-byte record; record 2 .*cut off after 100 bytes/,
    );
  });

  it('names the file, record and offset of a bad label', () => {
    const bytes = makeCifarBatch(5);
    bytes[3 * RECORD_SIZE] = 12;
    expect(() => parseCifarBatch(bytes, 'test_batch.bin')).toThrow(
      'test_batch.bin: record 3 (byte offset 9219): label 12 is not a class number 0..9',
    );
  });

  it('refuses an empty file', () => {
    expect(() => parseCifarBatch(new Uint8Array(), 'e.bin')).toThrow(/e\.bin: file is empty/);
  });
});

describe('loadCifar10', () => {
  const dir = writeCifarDir(join(tmp, 'set'), { trainPerBatch: 7, test: 5 });

  it('concatenates the five training batches in order', async () => {
    const train = await loadCifar10(dir, 'train');
    expect(train.count).toBe(35);
    const first = await readCifarBatch(join(dir, 'data_batch_1.bin'));
    const third = await readCifarBatch(join(dir, 'data_batch_3.bin'));
    expect(train.images.subarray(0, 7 * IMAGE_SIZE)).toEqual(first.images);
    expect(train.images.subarray(14 * IMAGE_SIZE, 21 * IMAGE_SIZE)).toEqual(third.images);
    expect(train.labels.subarray(14, 21)).toEqual(third.labels);
  });

  it('loads the test split and honours a limit', async () => {
    expect((await loadCifar10(dir, 'test')).count).toBe(5);
    const limited = await loadCifar10(dir, 'train', { limit: 9 });
    expect(limited.count).toBe(9);
    expect(limited.images.length).toBe(9 * IMAGE_SIZE);
    const full = await loadCifar10(dir, 'train');
    expect(limited.labels).toEqual(full.labels.subarray(0, 9));
  });

  it('names a missing file and says how to get the data', async () => {
    const partial = writeCifarDir(join(tmp, 'partial'), { trainPerBatch: 2, test: 2 });
    rmSync(join(partial, 'data_batch_4.bin'));
    await expect(loadCifar10(partial, 'train')).rejects.toThrow(
      /data_batch_4\.bin: file not found; run 'labkit data fetch cifar10'/,
    );
  });

  it('names a truncated file', async () => {
    const broken = writeCifarDir(join(tmp, 'broken'), { trainPerBatch: 2, test: 2 });
    writeFileSync(join(broken, 'data_batch_5.bin'), makeCifarBatch(2).subarray(0, 5000));
    await expect(loadCifar10(broken, 'train')).rejects.toThrow(
      /data_batch_5\.bin is 5000 bytes: 1 whole 3073-byte record and a cut one of 1927 bytes/,
    );
  });

  it('checks the size of every file, also those a limit does not reach, before reading any', async () => {
    const cut = writeCifarDir(join(tmp, 'cut-late'), { trainPerBatch: 3, test: 2 });
    writeFileSync(join(cut, 'data_batch_5.bin'), makeCifarBatch(3).subarray(0, 2 * 3073 + 10));
    await expect(loadCifar10(cut, 'train', { limit: 2 })).rejects.toThrow(
      /data_batch_5\.bin is 6156 bytes: 2 whole 3073-byte records and a cut one of 10 bytes; even with --partial-data/,
    );
  });
});
