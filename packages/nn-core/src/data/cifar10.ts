import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** CIFAR-10 class names in label order 0..9, as in the official `batches.meta.txt`. */
export const CIFAR10_CLASSES: readonly string[] = Object.freeze([
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
]);

export const IMAGE_SIDE = 32;
export const CHANNELS = 3;
/** Bytes of one image: 3 channel planes (R, G, B), each 32x32 row-major (CHW), as in the file. */
export const IMAGE_SIZE = 3072;
/** Bytes of one record in a binary batch file: 1 label byte, then the image. */
export const RECORD_SIZE = IMAGE_SIZE + 1;

export const TRAIN_FILES: readonly string[] = Object.freeze(
  [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
);
export const TEST_FILES: readonly string[] = Object.freeze(['test_batch.bin']);

export type Split = 'train' | 'test';

/** Images as bytes (`images.length === count * IMAGE_SIZE`, CHW per image) and their labels. */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** A CIFAR-10 file that is missing, truncated or holds values outside the format. */
export class CifarFormatError extends Error {
  override name = 'CifarFormatError';
}

export function splitFiles(split: Split): readonly string[] {
  return split === 'train' ? TRAIN_FILES : TEST_FILES;
}

/**
 * Parses one binary batch (records of 1 label byte + 3072 pixel bytes). `source` names the file in
 * errors. Validates that the size is a whole, non-zero number of records and every label is 0..9.
 */
export function parseCifarBatch(bytes: Uint8Array, source: string): ImageSet {
  if (bytes.length === 0) {
    throw new CifarFormatError(
      `${source}: file is empty; expected records of ${RECORD_SIZE} bytes`,
    );
  }
  const remainder = bytes.length % RECORD_SIZE;
  if (remainder !== 0) {
    const whole = Math.floor(bytes.length / RECORD_SIZE);
    throw new CifarFormatError(
      `${source}: size ${bytes.length} bytes is not a multiple of the ${RECORD_SIZE}-byte record; ` +
        `record ${whole} (0-based) is cut off after ${remainder} bytes (truncated or not a CIFAR-10 binary batch)`,
    );
  }
  const count = bytes.length / RECORD_SIZE;
  const images = new Uint8Array(count * IMAGE_SIZE);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const offset = i * RECORD_SIZE;
    const label = bytes[offset] as number;
    if (label > 9) {
      throw new CifarFormatError(
        `${source}: record ${i} (byte offset ${offset}): label ${label} is not a class number 0..9`,
      );
    }
    labels[i] = label;
    images.set(bytes.subarray(offset + 1, offset + RECORD_SIZE), i * IMAGE_SIZE);
  }
  return { images, labels, count };
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CifarFormatError(
        `${path}: file not found; run 'labkit data fetch cifar10' to download CIFAR-10 (or pass --data DIR)`,
      );
    }
    throw new CifarFormatError(`${path}: cannot read (${(error as Error).message})`);
  }
}

export async function readCifarBatch(path: string): Promise<ImageSet> {
  return parseCifarBatch(await readBytes(path), path);
}

/** Joins image sets end to end, keeping at most `limit` images. */
export function concatImageSets(sets: readonly ImageSet[], limit = Infinity): ImageSet {
  const total = Math.min(
    limit,
    sets.reduce((sum, s) => sum + s.count, 0),
  );
  const images = new Uint8Array(total * IMAGE_SIZE);
  const labels = new Uint8Array(total);
  let filled = 0;
  for (const set of sets) {
    const take = Math.min(set.count, total - filled);
    if (take <= 0) break;
    images.set(set.images.subarray(0, take * IMAGE_SIZE), filled * IMAGE_SIZE);
    labels.set(set.labels.subarray(0, take), filled);
    filled += take;
  }
  return { images, labels, count: total };
}

/**
 * Loads the training split (`data_batch_1..5.bin`, in order) or the test split (`test_batch.bin`)
 * from `dir`. With `limit`, keeps the first `limit` images and reads only the files it needs.
 */
export async function loadCifar10(
  dir: string,
  split: Split,
  options: { limit?: number } = {},
): Promise<ImageSet> {
  const limit = options.limit ?? Infinity;
  if (!(limit >= 0)) throw new RangeError(`limit must be >= 0, got ${options.limit}`);
  const parts: ImageSet[] = [];
  let loaded = 0;
  for (const name of splitFiles(split)) {
    if (loaded >= limit) break;
    const part = await readCifarBatch(join(dir, name));
    parts.push(part);
    loaded += part.count;
  }
  return concatImageSets(parts, limit);
}
