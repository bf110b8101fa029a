export * from './backend/bench-train.js';
export * from './backend/select.js';
export * from './data/augment.js';
export * from './data/batches.js';
export * from './data/cifar10.js';
export type { DownloadProgress } from './data/fetch/download.js';
export { UnsafeArchiveError } from './data/fetch/extract.js';
export {
  CIFAR10_MD5,
  CIFAR10_URL,
  type FetchOptions,
  type FetchResult,
  fetchCifar10,
  fetchTarget,
} from './data/fetch/fetch-cifar10.js';
export { createDownloadProgressReporter, formatDownloadProgress } from './data/fetch/progress.js';
export * from './data/locate.js';
export * from './data/rng.js';
export * from './data/split.js';
export * from './data/stats.js';
export * from './data/throughput.js';
export * from './data/whitening.js';
export * from './data/whitening-spec.js';
export * from './eval/evaluate.js';
export * from './eval/format.js';
export * from './eval/images.js';
export * from './eval/predict.js';
export * from './linalg/eigh.js';
export * from './linalg/zca.js';
export * from './model/atomic.js';
export * from './model/build.js';
export * from './model/fold-whitening.js';
export * from './model/io.js';
export * from './model/json-file.js';
export * from './model/spec.js';
export * from './recipe/batch-norm-statistics.js';
export * from './recipe/diagnose.js';
export * from './recipe/halving.js';
export * from './recipe/lr-find.js';
export * from './recipe/lr-range.js';
export * from './recipe/overfit.js';
export * from './recipe/recipe-file.js';
export * from './recipe/run-diagnosis.js';
export * from './recipe/search.js';
export * from './recipe/search-data.js';
export * from './recipe/search-pool.js';
export * from './recipe/search-space.js';
export * from './recipe/search-trial.js';
export type { WorkerInit } from './recipe/search-worker.js';
export * from './report/charts.js';
export * from './report/html.js';
export * from './report/png.js';
export * from './report/run-report.js';
export * from './train/checkpoint.js';
export * from './train/fit.js';
export * from './train/fs-errors.js';
export * from './train/memory.js';
export * from './train/metrics-files.js';
export * from './train/optimizer.js';
export * from './train/optimizer-spec.js';
export * from './train/progress.js';
export * from './train/run.js';
export * from './train/run-dir.js';
export * from './train/schedule.js';
export * from './train/source.js';
export * from './train/step.js';
