/**
 * `@labkit/nn-core/recipe`: the recipe's judgements on recorded numbers, without TensorFlow.js:
 * the diagnosis of a run's curves (underfit, overfit, still improving, converged) and the next
 * step, the learning-rate suggestion from a range test's losses, and successive halving's plan.
 * The recipe's runs (overfit check, learning-rate finder, search) train models and live in the
 * main entry, `@labkit/nn-core`.
 *
 * @module @labkit/nn-core/recipe
 */

export { SpecError } from '../model/spec.js';
export {
  type Diagnosis,
  diagnose,
  type EpochPoint,
  formatDiagnosis,
  type RunContext,
  type Verdict,
} from '../recipe/diagnose.js';
export { halvingPlan, type Rung } from '../recipe/halving.js';
export {
  LR_RANGE_DEFAULTS,
  type LrRangeOptions,
  type LrSuggestion,
  lrAtStep,
  smoothLosses,
  suggestLearningRate,
} from '../recipe/lr-range.js';
export {
  diagnoseRun,
  type RunDiagnosis,
  readRunMetrics,
} from '../recipe/run-diagnosis.js';
export { RunRequestError } from '../train/run-dir.js';
export { RUN_JSON, readRunRecord } from '../train/run-record.js';
