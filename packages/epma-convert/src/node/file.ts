import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { writeOutput } from './output.js';
import { convertStream, type StreamConversion, type StreamConvertOptions } from './stream.js';

export interface FileConvertOptions extends StreamConvertOptions {
  /**
   * Write here instead of to `stdout`: a regular file atomically (never the input itself), the
   * target of a symbolic link, a FIFO or device directly (see `writeOutput`).
   */
  outFile?: string;
  /** Where output goes without `outFile`. */
  stdout?: Writable;
}

/** Converts a file (or `-` for stdin) to `outFile` (atomically) or to `stdout`. */
export async function convertFile(
  path: string,
  options: FileConvertOptions = {},
): Promise<StreamConversion> {
  const input = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 64 * 1024 });
  const settings = { ...options, source: options.source ?? (path === '-' ? 'stdin' : path) };
  if (options.outFile) {
    const outFile = options.outFile;
    return writeOutput(outFile, (stream) => convertStream(input, stream, settings), path);
  }
  return convertStream(input, options.stdout ?? process.stdout, settings);
}
