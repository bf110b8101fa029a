export { atomicOutput } from './atomic.js';
export {
  type ConvertOptions,
  type FormulaSettings,
  RowConverter,
  type RowOutput,
  type RowValues,
} from './converter.js';
export { formulaOutput } from './formula.js';
export { GroupCollector } from './groups.js';
export { type ColumnPlan, type CompositionColumn, planColumns } from './plan.js';
export {
  BELOW_DETECTION_POLICIES,
  type BelowDetectionPolicy,
  BLANK_POLICIES,
  type BlankPolicy,
  DEFAULT_BELOW_DETECTION,
  DEFAULT_BLANKS,
  DEFAULT_TOTAL_WINDOW,
  TOTAL_MISMATCH_TOLERANCE,
} from './policy.js';
export { createStats, describeStats, type RowStats } from './stats.js';
export {
  convertText,
  createRowConverter,
  type PreparedText,
  prepareText,
  type TextConversion,
  type TextConvertOptions,
  type TextRecord,
} from './text.js';
