import { type FileHandle, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CifarFormatError,
  checkCifarBatch,
  copyRecords,
  emptySet,
  type ImageSet,
  parseCifarBatch,
  RECORD_SIZE,
  RECORDS_PER_FILE,
  type Split,
  splitFiles,
} from './cifar10-format.js';

// The format itself lives in cifar10-format.ts (browser-safe); this module adds file access.
export * from './cifar10-format.js';

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
   * Require every file of the split to hold exactly `RECORDS_PER_FILE` records, as the official
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

/** A partial file (--partial-data) may hold fewer records, never a cut one or more than the format's. */
function checkPartialSize(path: string, size: number): void {
  const records = size / RECORD_SIZE;
  if (Number.isInteger(records) && records <= RECORDS_PER_FILE) return;
  const what = Number.isInteger(records)
    ? `holds ${records} records, more than the ${RECORDS_PER_FILE} of a CIFAR-10 batch file`
    : `is ${size} bytes: ${Math.floor(records)} whole ${RECORD_SIZE}-byte record${Math.floor(records) === 1 ? '' : 's'} and a cut one of ${size % RECORD_SIZE} bytes`;
  throw new CifarFormatError(
    `${path} ${what}; even with --partial-data every file must hold whole records (at most ${RECORDS_PER_FILE}). ` +
      "The file is damaged or not CIFAR-10: fetch it again with 'labkit data fetch cifar10'",
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
    else checkPartialSize(path, size);
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
