export {
  BELOW_DETECTION_MARKERS,
  type CellReading,
  NOT_ANALYSED_MARKERS,
  parseDecimal,
  readCell,
} from './cells.js';
export { DELIMITERS, type Delimiter, type Dialect, detectDialect } from './detect.js';
export {
  checkEncoding,
  createDecoder,
  type DetectedEncoding,
  decodeBytes,
  detectEncoding,
} from './encoding.js';
export {
  ColumnsOverlapError,
  EpmaDecodeError,
  EpmaInputError,
  EpmaOptionError,
  type UnrecognisedColumn,
  UnrecognisedColumnsError,
} from './errors.js';
export {
  type Cell,
  type ColumnKind,
  createTableWriter,
  csvField,
  formatTable,
  latexText,
  OUTPUT_FORMATS,
  type OutputColumn,
  type OutputFormat,
  REPORT_DECIMALS,
  type TableWriter,
  type TableWriterOptions,
} from './format.js';
export * as HEADER_WORDS from './header-words.js';
export {
  type ColumnRole,
  type HeaderOptions,
  type HeaderRecognition,
  headerKey,
  normaliseHeader,
  type RecognisedColumn,
  recogniseHeaders,
} from './headers.js';
export { recogniseSpecies, type Species as RecognisedSpecies } from './species.js';
