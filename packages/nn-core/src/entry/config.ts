/**
 * `@labkit/nn-core/config`: the model spec, the default recipe, the option names and the backend
 * list, without TensorFlow.js. The CLI's help and the docs read their defaults from here.
 *
 * @module @labkit/nn-core/config
 */
export { BACKENDS, type BackendName, type BackendRequest } from '../backend/startup/names.js';
export { ConfigurationError } from '../configuration-error.js';
export { AUGMENTATIONS, type Augmentation } from '../data/augment.js';
export { CIFAR10_CLASSES } from '../data/cifar10-format.js';
export { CIFAR10_MD5, CIFAR10_URL } from '../data/fetch/cifar10-archive.js';
export { Cifar10NotFoundError } from '../data/not-found.js';
export {
  DEFAULT_FIT_IMAGES,
  DEFAULT_ZCA_EPSILON,
  WHITENING_KINDS,
  type WhiteningSpec,
} from '../data/whitening-spec.js';
export { shellWord } from '../install/shell-word.js';
export {
  ACTIVATIONS,
  type Activation,
  BATCH_NORM_PLACEMENTS,
  type BatchNormPlacement,
  countParameters,
  DEFAULT_SPEC,
  INITIALIZERS,
  type Initializer,
  type ModelSpec,
  parseSpecJson,
  SpecError,
  validateSpec,
} from '../model/spec.js';
export { OVERFIT_DEFAULT_STEPS } from '../recipe/overfit-defaults.js';
export {
  DEFAULT_RECIPE,
  parseConfigJson,
  RECIPE_MARK,
  RecipeError,
  recipeJson,
  type TrainRecipe,
  validateRecipe,
} from '../recipe/recipe-file.js';
export { SEARCH_DEFAULTS } from '../recipe/search-defaults.js';
export { DEFAULT_MISCLASSIFIED } from '../report/report-defaults.js';
export { DEFAULT_TRAINING, type TrainingDefaults } from '../train/defaults.js';
export { OPTIMIZERS, type OptimizerName } from '../train/optimizer-names.js';
export { DEFAULT_SGD_MOMENTUM, type OptimizerSpec } from '../train/optimizer-spec.js';
export { SCHEDULES, type ScheduleName } from '../train/schedule.js';
