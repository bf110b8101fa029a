import { type FileHandle, open, readFile, stat } from 'node:fs/promises';
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
function copyRecords(bytes: Uint8Array, take: number, set: ImageSet, at: number): void {
  for (let i = 0; i < take; i++) {
    const offset = i * RECORD_SIZE;
    set.labels[at + i] = bytes[offset] as number;
    set.images.set(bytes.subarray(offset + 1, offset + RECORD_SIZE), (at + i) * IMAGE_SIZE);
  }
}

function emptySet(count: number): ImageSet {
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

function describeReadError(path: string, error: unknown): CifarFormatError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new CifarFormatError(
      `${path}: file not found; run 'labkit data fetch cifar10' to download CIFAR-10 (or pass --data DIR)`,
    );
  }
  return new CifarFormatError(`${path}: cannot read (${(error as Error).message})`);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    throw describeReadError(path, error);
  }
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw describeReadError(path, error);
  }
}

/** Fills `target` from the start of the file; a file that shrank since it was measured is an error. */
async function readInto(path: string, target: Uint8Array): Promise<Uint8Array> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    let at = 0;
    while (at < target.length) {
      const { bytesRead } = await handle.read(target, at, target.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    if (at < target.length) throw new CifarFormatError(`${path}: file shrank while being read`);
    return target;
  } catch (error) {
    throw error instanceof CifarFormatError ? error : describeReadError(path, error);
  } finally {
    await handle?.close();
  }
}

export async function readCifarBatch(path: string): Promise<ImageSet> {
  return parseCifarBatch(await readBytes(path), path);
}

export interface LoadOptions {
  /** Keep only the first `limit` images (reading only the files they are in). */
  limit?: number;
  /**
   * Require every file of the split to hold exactly {@link RECORDS_PER_FILE} records, as the official
   * data set does, so a file cut on a record boundary is an error, not a silently smaller data set.
   * The commands ask for it unless the user passes `--partial-data` (test sets, subsets).
   */
  fullFiles?: boolean;
}

/** A file of the official layout that does not hold exactly {@link RECORDS_PER_FILE} records. */
function checkFullSize(path: string, size: number): void {
  const records = size / RECORD_SIZE;
  if (records === RECORDS_PER_FILE) return;
  const what = Number.isInteger(records)
    ? `holds ${records} records`
    : `is ${size} bytes, not a whole number of ${RECORD_SIZE}-byte records`;
  throw new CifarFormatError(
    `${path} ${what}; every CIFAR-10 batch file holds exactly ${RECORDS_PER_FILE} (${RECORDS_PER_FILE * RECORD_SIZE} bytes). ` +
      "The file is truncated or not the official data: fetch it again with 'labkit data fetch cifar10', " +
      'or pass --partial-data to use smaller files on purpose',
  );
}

/**
 * Loads the training split (`data_batch_1..5.bin`, in order) or the test split (`test_batch.bin`)
 * from `dir`. With `limit`, keeps the first `limit` images and reads only the files it needs (the
 * sizes of all of them are checked first). The images go straight into one buffer sized from the
 * file sizes, so loading needs little more memory than the set itself.
 */
export async function loadCifar10(
  dir: string,
  split: Split,
  options: LoadOptions = {},
): Promise<ImageSet> {
  const limit = options.limit ?? Infinity;
  if (!(limit >= 0)) throw new RangeError(`limit must be >= 0, got ${options.limit}`);
  const files: { path: string; size: number }[] = [];
  let available = 0;
  for (const name of splitFiles(split)) {
    const path = join(dir, name);
    const size = await sizeOf(path);
    if (options.fullFiles) checkFullSize(path, size);
    if (available >= limit) continue;
    files.push({ path, size });
    available += Math.floor(size / RECORD_SIZE);
  }
  const set = emptySet(Math.min(limit, available));
  // One scratch buffer for every file keeps the peak memory near the size of the set itself.
  const scratch = new Uint8Array(Math.max(0, ...files.map((f) => f.size)));
  let filled = 0;
  for (const { path, size } of files) {
    const bytes = await readInto(path, scratch.subarray(0, size));
    const count = checkCifarBatch(bytes, path);
    const take = Math.min(count, set.count - filled);
    copyRecords(bytes, take, set, filled);
    filled += take;
  }
  if (filled !== set.count)
    throw new CifarFormatError(`${dir}: the ${split} files changed while loading`);
  return set;
}
