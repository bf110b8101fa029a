/**
 * `@labkit/epma-convert/node`: file and stream I/O for Node. Whole files and streams converted
 * with flat memory, and output written atomically (a temporary file, then a rename).
 *
 * @module @labkit/epma-convert/node
 */
export { type AtomicFile, openAtomic, writeAtomically } from './atomic-write.js';
export { convertFile, type FileConvertOptions } from './file.js';
// The output guards' parts (outputTarget, spooled, describeWriteError) stay inside writeOutput.
export { OutputError, type OutputTarget, SameFileError, writeOutput } from './output.js';
export {
  convertStream,
  PartialOutputError,
  type StreamConversion,
  type StreamConvertOptions,
} from './stream.js';
