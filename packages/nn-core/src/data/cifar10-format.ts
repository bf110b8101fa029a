/**
 * The CIFAR-10 binary format without file access: constants, the image set type and the batch
 * parser. Browser-safe; `cifar10.ts` reads the files in Node.
 */

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
/** Records in every file of the official data set (five training batches and the test batch). */
export const RECORDS_PER_FILE = 10_000;

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
 * Checks that `bytes` is a whole, non-zero number of records whose labels are all 0..9, and
 * returns the record count. `source` names the file in errors.
 */
export function checkCifarBatch(bytes: Uint8Array, source: string): number {
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
  for (let i = 0; i < count; i++) {
    const offset = i * RECORD_SIZE;
    const label = bytes[offset] as number;
    if (label > 9) {
      throw new CifarFormatError(
        `${source}: record ${i} (byte offset ${offset}): label ${label} is not a class number 0..9`,
      );
    }
  }
  return count;
}

/** Copies the first `take` records of checked batch bytes into `set`, starting at image `at`. */
export function copyRecords(bytes: Uint8Array, take: number, set: ImageSet, at: number): void {
  for (let i = 0; i < take; i++) {
    const offset = i * RECORD_SIZE;
    set.labels[at + i] = bytes[offset] as number;
    set.images.set(bytes.subarray(offset + 1, offset + RECORD_SIZE), (at + i) * IMAGE_SIZE);
  }
}

export function emptySet(count: number): ImageSet {
  return { images: new Uint8Array(count * IMAGE_SIZE), labels: new Uint8Array(count), count };
}

/**
 * Parses one binary batch (records of 1 label byte + 3072 pixel bytes). `source` names the file in
 * errors. Validates that the size is a whole, non-zero number of records and every label is 0..9.
 */
export function parseCifarBatch(bytes: Uint8Array, source: string): ImageSet {
  const count = checkCifarBatch(bytes, source);
  const set = emptySet(count);
  copyRecords(bytes, count, set, 0);
  return set;
}
