/**
 * `@labkit/nn-core/report`: the self-contained HTML report of a run (per-step and per-epoch
 * curves, learning-rate schedule, confusion matrix, top losses, lr-find and search results,
 * diagnosis), the comparison of several runs, and the charts they are made of.
 *
 * @module @labkit/nn-core/report
 */
export {
  barChartSpec,
  confusionSpec,
  type LineChartOptions,
  lineChartSpec,
  type Marker,
  renderSvg,
  rowShares,
  type Series,
} from '../report/charts.js';
export {
  type ComparedRun,
  differingSettings,
  gatherComparison,
  renderComparison,
  writeComparison,
} from '../report/compare.js';
export {
  type MisclassifiedImage,
  perClassAccuracy,
  type RenderedReport,
  type ReportEpoch,
  type ReportInput,
  renderReport,
} from '../report/html.js';
export type { LrFindView } from '../report/lr-find-view.js';
export {
  DEFAULT_MISCLASSIFIED,
  gatherRunReport,
  REPORT_HTML,
  type RunReportOptions,
  writeRunReport,
} from '../report/run-report.js';
export type { SearchView, TrialRow, ValueGroup } from '../report/search-view.js';
export type { TopLossImage } from '../report/sections.js';
export { STEP_LOSS_SMOOTHING, smoothStepLosses } from '../report/step-losses.js';
export {
  type ConfusedPair,
  mostConfusedPairs,
  type TopLoss,
  topLosses,
} from '../report/test-set-views.js';
