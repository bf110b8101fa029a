/**
 * `@labkit/nn-core/browser`: the recipe's first steps in a web page or Web Worker, with the same
 * model, data pipeline, training loop and kernels as `labkit train`: the wasm backend, the overfit
 * check, a training run on images in memory, the diagnosis, and a saved model's predictions from
 * files a user dropped. Imports no Node module.
 *
 * @module @labkit/nn-core/browser
 */

export { initBrowserBackend, type WasmBinaries } from '../backend/startup/browser.js';
export type { BackendInfo } from '../backend/startup/select.js';
export {
  CIFAR10_CLASSES,
  CifarFormatError,
  IMAGE_SIZE,
  type ImageSet,
  parseCifarBatch,
  RECORD_SIZE,
} from '../data/cifar10-format.js';
export { toCifarImage } from '../eval/pixels.js';
export {
  argMax,
  predictProbabilities,
  type TrainedModel,
  trainedModel,
} from '../eval/trained-model.js';
export { type LoadedModel, modelFromJson } from '../model/model-json.js';
export { DEFAULT_SPEC, type ModelSpec } from '../model/spec.js';
export {
  type Diagnosis,
  diagnose,
  type EpochPoint,
  formatDiagnosis,
  VERDICT_TITLE,
  type Verdict,
} from '../recipe/diagnose.js';
export {
  formatOverfitResult,
  OVERFIT_DEFAULT_STEPS,
  type OverfitOptions,
  type OverfitResult,
  runOverfitCheck,
} from '../recipe/overfit.js';
export { DEFAULT_RECIPE, type TrainRecipe } from '../recipe/recipe-file.js';
export { recipeContext, toEpochPoint } from '../recipe/run-context.js';
export type { EpochMetrics, TrainCallbacks } from '../train/fit.js';
export {
  type InMemoryRunOptions,
  type InMemoryRunResult,
  trainInMemory,
} from '../train/in-memory-run.js';
