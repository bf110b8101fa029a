/**
 * `@labkit/epma-convert`: atomic weights, oxide and element compositions, weight to atomic
 * percent, formulae per N oxygens with Fe³⁺ by charge balance, uncertainty propagation, group
 * summaries, and reading and writing tables. Browser-safe: no Node-only APIs below this file.
 *
 * @module @labkit/epma-convert
 */

// An explicit list, not `export *` of every layer: what users need, and nothing a refactoring
// inside the package should have to keep (the list is a snapshot in src/entry.test.ts).

// Compositions: weight and atomic percent, totals, normalisation.
export {
  atomicToWeight,
  type Composition,
  CompositionError,
  normalise,
  oxidesToElements,
  total,
  weightToAtomic,
} from './composition/index.js';
// Text and tables: a whole CSV text converted in memory, or row by row (progress in a browser).
export {
  BELOW_DETECTION_POLICIES,
  type BelowDetectionPolicy,
  BLANK_POLICIES,
  type BlankPolicy,
  type ColumnPlan,
  type CompositionColumn,
  type ConvertOptions,
  convertText,
  createStats,
  DEFAULT_BELOW_DETECTION,
  DEFAULT_BLANKS,
  DEFAULT_TOTAL_WINDOW,
  describeStats,
  type FormulaSettings,
  type PreparedText,
  prepareText,
  type RowConverter,
  type RowStats,
  type TextConversion,
  type TextConvertOptions,
  type TextRecord,
} from './convert/index.js';
// Elements and atomic weights (IUPAC/CIAAW), with a user's overrides.
export {
  ATOMIC_WEIGHTS_SOURCE,
  AtomicWeightError,
  AtomicWeights,
  ELEMENTS,
  type ElementData,
  elementBySymbol,
  isElementSymbol,
  parseWeightOverrides,
  STANDARD_WEIGHTS,
  type WeightOverrides,
} from './elements/index.js';
// Chemical formulae.
export { FormulaError, molarMass, parseFormula } from './formula/index.js';
// Atoms per formula unit on N oxygens, Fe³⁺ by charge balance.
export {
  FORMULA_HALOGENS,
  type FormulaOptions,
  formulaPerOxygens,
  type MineralFormula,
} from './mineral/index.js';
// Mean and standard deviation per group of rows.
export { type GroupSummary, summariseGroups } from './summary/index.js';
// Reading input (encodings, delimiters, headers), writing tables, and the errors callers tell apart.
export {
  BELOW_DETECTION_MARKERS,
  type Cell,
  type ColumnKind,
  type ColumnRole,
  ColumnsOverlapError,
  checkEncoding,
  createTableWriter,
  type Delimiter,
  type DetectedEncoding,
  type Dialect,
  decodeBytes,
  detectDialect,
  detectEncoding,
  EpmaDecodeError,
  EpmaInputError,
  EpmaOptionError,
  formatTable,
  type HeaderOptions,
  type HeaderRecognition,
  NOT_ANALYSED_MARKERS,
  OUTPUT_FORMATS,
  type OutputColumn,
  type OutputFormat,
  type RecognisedColumn,
  recogniseHeaders,
  type TableWriter,
  type TableWriterOptions,
  type UnrecognisedColumn,
  UnrecognisedColumnsError,
} from './table/index.js';
// 1σ uncertainty propagated from wt% to at%.
export { atomicUncertainty, oxideAtomicUncertainty } from './uncertainty/index.js';
