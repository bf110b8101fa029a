/**
 * `@labkit/nn-core/report`: the self-contained HTML report of a run (curves, learning-rate
 * schedule, confusion matrix, misclassified images, diagnosis) and the charts it is made of.
 *
 * @module @labkit/nn-core/report
 */
export {
  barChartSpec,
  confusionSpec,
  type LineChartOptions,
  lineChartSpec,
  renderSvg,
  type Series,
} from '../report/charts.js';
export {
  type MisclassifiedImage,
  perClassAccuracy,
  type RenderedReport,
  type ReportEpoch,
  type ReportInput,
  renderReport,
} from '../report/html.js';
export {
  DEFAULT_MISCLASSIFIED,
  gatherRunReport,
  REPORT_HTML,
  type RunReportOptions,
  writeRunReport,
} from '../report/run-report.js';
