/**
 * `@labkit/nn-core`: fully connected nets on CIFAR-10 with TensorFlow.js: backends, data, models,
 * the training loop and run directories, evaluation and prediction, and the recipe's runs. An
 * explicit list: what is not named here is internal. Light entries: `@labkit/nn-core/config`
 * (spec, defaults, option names; no TF.js) and `@labkit/nn-core/recipe` (judging recorded runs; no
 * TF.js); `./report` and `./bench` for reports and benchmarks.
 *
 * @module @labkit/nn-core
 */

export {
  autoWasmThreads,
  type BackendInfo,
  type BackendOptions,
  describeBackend,
  initBackend,
  loadTfjsNode,
  threadsFromEnv,
} from './backend/startup/select.js';
export type { Batch, BatchOptions } from './data/batches.js';
export {
  type ImageSet,
  type LoadOptions,
  loadCifar10,
  readCifarBatch,
  type Split,
} from './data/cifar10.js';
export { type ChannelStats, channelStats } from './data/stats.js';
export {
  type FeatureSet,
  fitZca,
  flipPermutation,
  type ImageCovariance,
  imageCovariance,
  type Whitening,
  whitenSet,
  zcaWhitening,
} from './data/whitening.js';
// Configuration: the same names as `@labkit/nn-core/config`.
export * from './entry/config.js';
export * from './entry/data.js';
// Judging recorded runs: the same names as `@labkit/nn-core/recipe`.
export * from './entry/recipe.js';
export { type Evaluation, evaluate } from './eval/evaluate.js';
export { formatEvaluation } from './eval/format.js';
export { readPngImage, readPredictionInput } from './eval/images.js';
export {
  type CheckpointModel,
  evaluateRun,
  loadLastCheckpoint,
  loadTrainedModel,
  predictProbabilities,
  type TrainedModel,
} from './eval/predict.js';
export { EigenConvergenceError, eigh, type SymmetricEigen } from './linalg/eigh.js';
export {
  type CovarianceEigen,
  type ZcaResult,
  zcaMatrix,
} from './linalg/zca.js';
export { buildModel } from './model/build.js';
export { foldWhitening } from './model/fold-whitening.js';
export { type LoadedModel, loadModel, saveModel } from './model/io.js';
export { recalibrateBatchNorm } from './recipe/batch-norm-statistics.js';
export type { TrialState } from './recipe/halving.js';
export {
  formatLrFind,
  type LrFindOptions,
  type LrFindResult,
  runLrFinder,
  writeLrFindFiles,
} from './recipe/lr-find.js';
export {
  formatOverfitResult,
  type OverfitOptions,
  type OverfitResult,
  runOverfitCheck,
} from './recipe/overfit.js';
export {
  formatSearchTable,
  runSearch,
  SEARCH_FILES,
  type SearchOptions,
  type SearchResult,
  SearchResumeError,
  type SearchSettings,
  type SearchState,
  searchCsv,
  searchPlan,
  trainCommand,
} from './recipe/search.js';
export {
  balancedOrder,
  type SearchData,
  searchData,
  type WhitenedViews,
} from './recipe/search-data.js';
export {
  claimNewSearchDir,
  finishedTrialCount,
  openSearchForResume,
  type SearchDataRecord,
  type SearchDataSource,
  type SearchDirLease,
  type StoredSearch,
  searchResumeCommand,
} from './recipe/search-dir.js';
export {
  SearchWorkerError,
  type SearchWorkers,
  startSearchWorkers,
} from './recipe/search-pool.js';
export {
  describeTrial,
  SEARCH_SPACE,
  type SearchSpace,
  sampleTrials,
  type TrialParams,
  trialRecipe,
} from './recipe/search-space.js';
export {
  RANK_BY,
  type RankBy,
  type TrialJob,
  type TrialOutcome,
  trainTrial,
  trialScore,
} from './recipe/search-trial.js';
export type { WorkerInit } from './recipe/search-worker.js';
export { type Checkpoint, type CheckpointStore, checkpointFile } from './train/checkpoint.js';
export type { CheckpointPlace, RecordedDivergence } from './train/diverged-run.js';
export { type DivergencePoint, TrainingDivergedError } from './train/errors.js';
export {
  type BatchInfo,
  type EarlyStopping,
  type EpochMetrics,
  type FitOptions,
  type FitResult,
  fit,
  type LearningRateFunction,
  type TrainCallbacks,
  type TrainContext,
} from './train/fit.js';
export { RunFileError } from './train/fs-errors.js';
export {
  checkTrainingMemory,
  estimateTrainingMemory,
  type MemoryEstimate,
} from './train/memory.js';
export { createOptimizer, type OptimizerSpec, type SavedTensor } from './train/optimizer.js';
export { formatDuration, type ProgressOptions, progressCallback } from './train/progress.js';
export { checkResultDir, type ResultKind } from './train/result-dir.js';
export {
  CHECKPOINT_FILE,
  checkpointPlace,
  checkRunConfig,
  DivergedRunError,
  describeProgress,
  EVALUATION_JSON,
  finishedRunRecord,
  MODEL_DIR,
  planResume,
  type ResumeEntry,
  type ResumePlan,
  type ResumeRequest,
  type RunRecord,
  type TrainRunConfig,
  type TrainRunOptions,
  type TrainRunResult,
  trainRun,
  UnfinishedRunError,
  WHITENING_BIN,
  WHITENING_JSON,
} from './train/run.js';
export { checkNewRunDir, RunLockedError, resumeCommand } from './train/run-dir.js';
export { releaseRunDirSync, removeUnstartedRunDirSync } from './train/run-dir-exit.js';
export { runStatusWords } from './train/run-status.js';
export {
  learningRateAt,
  type ScheduleClock,
  type ScheduleSpec,
  scheduleByName,
} from './train/schedule.js';
export { arraySource, type BatchSource, imageSetSource } from './train/source.js';
export { type StepOptions, type StepResult, trainStep } from './train/step.js';
