/**
 * A training recipe as data: everything `labkit train` needs besides the data directory, so that
 * `labkit search` can hand its winner over whole (`recipe.json`) and `labkit train --config FILE`
 * reproduces it with no other flag. No TF.js here: the CLI reads recipes before choosing a backend.
 */
import { AUGMENTATIONS, type Augmentation } from '../data/augment.js';
import { WHITENING_KINDS, type WhiteningSpec } from '../data/whitening-spec.js';
import { FieldReader } from '../model/fields.js';
import { parseJsonText } from '../model/json-file.js';
import { DEFAULT_SPEC, type ModelSpec, SpecError, validateSpec } from '../model/spec.js';
import { DEFAULT_TRAINING } from '../train/defaults.js';
import { OPTIMIZERS, type OptimizerSpec } from '../train/optimizer-spec.js';
import { SCHEDULES, type ScheduleName } from '../train/schedule.js';

export interface TrainRecipe {
  spec: ModelSpec;
  optimizer: OptimizerSpec;
  schedule: ScheduleName;
  epochs: number;
  batchSize: number;
  /** Training-set augmentation; `true` in older run records means `crop-flip`. */
  augment: boolean | Augmentation;
  /** Input whitening fitted on the training split (absent in older run records: none). */
  whitening?: WhiteningSpec;
  /** Use only the first N training images (before the validation split). */
  trainLimit: number | null;
  /** Fraction of the training images held out, stratified by class. */
  valSplit: number;
  seed: number;
  /** Early-stopping patience in epochs on validation loss (null = off). */
  patience: number | null;
}

/** The default recipe: `DEFAULT_SPEC` trained with `DEFAULT_TRAINING`, no whitening. */
export const DEFAULT_RECIPE: TrainRecipe = {
  spec: DEFAULT_SPEC,
  optimizer: { kind: DEFAULT_TRAINING.optimizer, lr: DEFAULT_TRAINING.lr },
  schedule: DEFAULT_TRAINING.schedule,
  epochs: DEFAULT_TRAINING.epochs,
  batchSize: DEFAULT_TRAINING.batchSize,
  augment: DEFAULT_TRAINING.augment,
  whitening: { kind: 'none' },
  trainLimit: null,
  valSplit: DEFAULT_TRAINING.valSplit,
  seed: DEFAULT_TRAINING.seed,
  patience: null,
};

/** What a recipe file says it is (`labkit` field), so a spec file is never taken for one. */
export const RECIPE_MARK = 'recipe';

const KEYS = [
  'labkit',
  'spec',
  'optimizer',
  'schedule',
  'epochs',
  'batchSize',
  'augment',
  'whitening',
  'trainLimit',
  'valSplit',
  'seed',
  'patience',
] as const;

/** A recipe file whose content is not a valid recipe; the message names the file and field. */
export class RecipeError extends SpecError {
  override name = 'RecipeError';
}

const OPTIMIZER_KEYS = ['kind', 'lr', 'momentum', 'nesterov', 'beta1', 'beta2', 'epsilon'];

function optimizerOf(f: FieldReader, value: unknown): OptimizerSpec {
  const o = f.object(value, OPTIMIZER_KEYS, 'optimizer');
  const spec: OptimizerSpec = {
    kind: f.oneOf(o.kind, 'optimizer.kind', OPTIMIZERS),
    lr: f.numberIn(o.lr, 'optimizer.lr', 0, 10, { minOpen: true }),
  };
  for (const key of ['momentum', 'beta1', 'beta2'] as const) {
    if (o[key] !== undefined) spec[key] = f.numberIn(o[key], `optimizer.${key}`, 0, 1);
  }
  if (o.epsilon !== undefined)
    spec.epsilon = f.numberIn(o.epsilon, 'optimizer.epsilon', 0, 1, { minOpen: true });
  if (o.nesterov !== undefined) {
    if (typeof o.nesterov !== 'boolean') f.fail('optimizer.nesterov', 'expected true or false');
    spec.nesterov = o.nesterov;
  }
  return spec;
}

function whiteningOf(f: FieldReader, value: unknown): WhiteningSpec {
  const w = f.object(value, ['kind', 'epsilon', 'fitImages'], 'whitening');
  const kind = f.oneOf(w.kind, 'whitening.kind', WHITENING_KINDS);
  if (kind === 'none') return { kind };
  const out: WhiteningSpec = {
    kind,
    epsilon: f.numberIn(w.epsilon, 'whitening.epsilon', 0, 1e6, { minOpen: true }),
  };
  if (w.fitImages !== undefined)
    out.fitImages = f.wholeNumber(w.fitImages, 'whitening.fitImages', 2);
  return out;
}

/**
 * Checks a parsed recipe (every field optional) and fills the missing fields from `base`.
 * The spec inside is checked by {@link validateSpec} against `base.spec`.
 */
export function validateRecipe(
  input: unknown,
  source: string,
  base: TrainRecipe = DEFAULT_RECIPE,
): TrainRecipe {
  const f: FieldReader = new FieldReader(source, (message) => new RecipeError(message));
  const json = f.object(input, KEYS);
  if (json.labkit !== undefined && json.labkit !== RECIPE_MARK)
    f.fail('labkit', `expected "${RECIPE_MARK}"`);
  const has = (key: string) => json[key] !== undefined;
  const nullable = (key: string, min: number) =>
    json[key] === null ? null : f.wholeNumber(json[key], key, min);
  return {
    spec: has('spec') ? validateSpec(json.spec, `${source}: spec`, base.spec) : base.spec,
    optimizer: has('optimizer') ? optimizerOf(f, json.optimizer) : base.optimizer,
    schedule: has('schedule') ? f.oneOf(json.schedule, 'schedule', SCHEDULES) : base.schedule,
    epochs: has('epochs') ? f.wholeNumber(json.epochs, 'epochs', 1) : base.epochs,
    batchSize: has('batchSize') ? f.wholeNumber(json.batchSize, 'batchSize', 1) : base.batchSize,
    augment: has('augment') ? f.oneOf(json.augment, 'augment', AUGMENTATIONS) : base.augment,
    whitening: has('whitening')
      ? whiteningOf(f, json.whitening)
      : (base.whitening ?? { kind: 'none' }),
    trainLimit: has('trainLimit') ? nullable('trainLimit', 1) : base.trainLimit,
    valSplit: has('valSplit') ? f.numberIn(json.valSplit, 'valSplit', 0, 0.9) : base.valSplit,
    seed: has('seed') ? f.wholeNumber(json.seed, 'seed', 0) : base.seed,
    patience: has('patience') ? nullable('patience', 1) : base.patience,
  };
}

/** The text of a recipe file: the mark first, then every field, so the file is complete on its own. */
export function recipeJson(recipe: TrainRecipe): string {
  return `${JSON.stringify({ labkit: RECIPE_MARK, ...recipe }, null, 2)}\n`;
}

/**
 * Reads a `--config` file: a recipe file (`"labkit": "recipe"`, from `labkit search` or written by
 * hand) or, as before, a bare model spec, which changes only the architecture of `base`.
 */
export function parseConfigJson(
  text: string,
  file: string,
  base: TrainRecipe = DEFAULT_RECIPE,
): TrainRecipe {
  const json = parseJsonText(text, file);
  const isRecipe =
    typeof json === 'object' &&
    json !== null &&
    (json as Record<string, unknown>).labkit === RECIPE_MARK;
  return isRecipe
    ? validateRecipe(json, file, base)
    : { ...base, spec: validateSpec(json, file, base.spec) };
}
