import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { refuseInputAsStream, spooled, writeOutput } from './output.js';
import { convertStream, type StreamConversion, type StreamConvertOptions } from './stream.js';

export interface FileConvertOptions extends StreamConvertOptions {
  /**
   * Write here instead of to `stdout`: a regular file atomically (never the input itself), the
   * target of a symbolic link, a FIFO or device directly (see `writeOutput`).
   */
  outFile?: string;
  /** Where output goes without `outFile`. */
  stdout?: Writable;
  /** Other files the conversion reads (a weights table): never written over either. */
  alsoReads?: readonly string[];
}

/**
 * Converts a file (or `-` for stdin) to `outFile` or to `stdout`. JSON, Markdown and LaTeX reach a
 * stream, FIFO or device only once the whole conversion succeeded (spooled through a temporary
 * file, so memory stays flat); a regular `outFile` is atomic anyway; CSV streams.
 */
export async function convertFile(
  path: string,
  options: FileConvertOptions = {},
): Promise<StreamConversion> {
  const stdout = options.stdout ?? process.stdout;
  const reads = [path, ...(options.alsoReads ?? [])];
  if (!options.outFile) await refuseInputAsStream(stdout, reads);
  const input = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 64 * 1024 });
  const settings = {
    ...options,
    source: options.source ?? (path === '-' ? 'stdin' : path),
    holdOutput: false,
  };
  const whole = options.holdOutput ?? (options.format !== undefined && options.format !== 'csv');
  const convert = (output: Writable) =>
    whole
      ? spooled(output, (spool) => convertStream(input, spool, settings))
      : convertStream(input, output, settings);
  if (options.outFile) {
    const outFile = options.outFile;
    return writeOutput(
      outFile,
      (stream, target) =>
        target.kind === 'file' ? convertStream(input, stream, settings) : convert(stream),
      reads,
    );
  }
  return convert(stdout);
}
