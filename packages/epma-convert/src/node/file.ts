import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { writeAtomically } from './atomic-write.js';
import { convertStream, type StreamConversion, type StreamConvertOptions } from './stream.js';

export interface FileConvertOptions extends StreamConvertOptions {
  /** Write here atomically instead of to `stdout`. */
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
  if (options.outFile)
    return writeAtomically(options.outFile, (stream) => convertStream(input, stream, settings));
  return convertStream(input, options.stdout ?? process.stdout, settings);
}
