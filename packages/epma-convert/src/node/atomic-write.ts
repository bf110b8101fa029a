import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { chmod, rename, unlink } from 'node:fs/promises';
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

export function openAtomic(path: string, mode?: number): AtomicFile {
  const tempPath = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const stream = createWriteStream(tempPath, {
    flags: 'wx',
    ...(mode === undefined ? {} : { mode }),
  });
  // Open failures (missing directory, permission) surface through write()/commit(); keep the
  // stream from raising them as an unhandled 'error' event meanwhile.
  stream.on('error', () => {});
  let settled = false;
  return {
    stream,
    tempPath,
    async commit() {
      if (settled) return;
      settled = true;
      try {
        stream.end();
        await finished(stream);
        if (mode !== undefined) await chmod(tempPath, mode);
        await rename(tempPath, path);
      } catch (error) {
        stream.destroy();
        await unlink(tempPath).catch(() => {});
        throw error;
      }
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

/**
 * Runs `write` against `path` written atomically: committed when it resolves, the temporary file
 * removed when anything fails. See `writeOutput` for links, FIFOs, devices and the input guard.
 */
export async function writeAtomically<T>(
  path: string,
  write: (stream: WriteStream) => Promise<T>,
): Promise<T> {
  const { writeOutput } = await import('./output.js');
  return writeOutput(path, write);
}
