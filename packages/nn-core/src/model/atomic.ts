import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from '../train/fs-errors.js';

/**
 * Writes a file atomically: the bytes go to a temporary file in the same directory, which is then
 * renamed over the target, so a reader (or a killed run) never sees a half-written file. A failure
 * removes the temporary file and is a `RunFileError` naming `path` and the cause in words.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    // A failed write names no file (ENOSPC) or the temporary one: name the file being written.
    throw describeFsError(error, path, 'write');
  }
}
