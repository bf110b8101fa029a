import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';

/**
 * A file written through a temporary file in the same directory and renamed into place on
 * `commit()`, so readers never see a partial file; `abort()` removes the temporary file and leaves
 * any existing file untouched.
 */
export interface AtomicFile {
  stream: WriteStream;
  tempPath: string;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export function openAtomic(path: string): AtomicFile {
  const tempPath = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const stream = createWriteStream(tempPath, { flags: 'wx' });
  let settled = false;
  return {
    stream,
    tempPath,
    async commit() {
      if (settled) return;
      settled = true;
      stream.end();
      await finished(stream);
      await rename(tempPath, path);
    },
    async abort() {
      if (settled) return;
      settled = true;
      stream.destroy();
      await finished(stream).catch(() => {});
      await unlink(tempPath).catch(() => {});
    },
  };
}

/** Runs `write` against an atomic file: committed when it resolves, removed when it throws. */
export async function writeAtomically<T>(
  path: string,
  write: (stream: WriteStream) => Promise<T>,
): Promise<T> {
  const file = openAtomic(path);
  try {
    const result = await write(file.stream);
    await file.commit();
    return result;
  } catch (error) {
    await file.abort();
    throw error;
  }
}
