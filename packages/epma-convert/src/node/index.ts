// Node-only entry of @labkit/epma-convert (`@labkit/epma-convert/node`): file and stream I/O.
export { type AtomicFile, openAtomic, writeAtomically } from './atomic-write.js';
export { convertFile, type FileConvertOptions } from './file.js';
export {
  describeWriteError,
  OutputError,
  type OutputTarget,
  outputTarget,
  SameFileError,
  spooled,
  writeOutput,
} from './output.js';
export {
  convertStream,
  PartialOutputError,
  type StreamConversion,
  type StreamConvertOptions,
} from './stream.js';
