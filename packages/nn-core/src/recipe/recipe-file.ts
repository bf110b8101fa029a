/**
 * A training recipe as data: everything `labkit train` needs besides the data directory, so that
 * `labkit search` can hand its winner over whole (`recipe.json`) and `labkit train --config FILE`
 * reproduces it with no other flag. No TF.js here: the CLI reads recipes before choosing a backend.
 */
import { AUGMENTATIONS, type Augmentation } from '../data/augment.js';
import { WHITENING_KINDS, type WhiteningSpec } from '../data/whitening-spec.js';
import { jsonErrorOffset } from '../model/json-position.js';
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

type Json = Record<string, unknown>;

function fail(source: string, path: string, message: string): never {
  throw new RecipeError(`${source}: ${path}: ${message}`);
}

function wholeNumber(value: unknown, source: string, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(source, path, `expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function numberIn(
  value: unknown,
  source: string,
  path: string,
  min: number,
  max: number,
  minOpen = false,
): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (minOpen && value === min)
  ) {
    fail(
      source,
      path,
      `expected a number in ${minOpen ? '(' : '['}${min}, ${max}], got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function oneOf<T extends string>(
  value: unknown,
  source: string,
  path: string,
  choices: readonly T[],
): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    fail(source, path, `expected one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function optimizerOf(value: unknown, source: string): OptimizerSpec {
  if (typeof value !== 'object' || value === null)
    fail(source, 'optimizer', 'expected an object like {"kind": "adam", "lr": 0.001}');
  const o = value as Json;
  const known = ['kind', 'lr', 'momentum', 'nesterov', 'beta1', 'beta2', 'epsilon'];
  for (const key of Object.keys(o)) {
    if (!known.includes(key))
      fail(source, `optimizer.${key}`, `unknown field; known fields are ${known.join(', ')}`);
  }
  const spec: OptimizerSpec = {
    kind: oneOf(o.kind, source, 'optimizer.kind', OPTIMIZERS),
    lr: numberIn(o.lr, source, 'optimizer.lr', 0, 10, true),
  };
  for (const key of ['momentum', 'beta1', 'beta2'] as const) {
    if (o[key] !== undefined) spec[key] = numberIn(o[key], source, `optimizer.${key}`, 0, 1);
  }
  if (o.epsilon !== undefined)
    spec.epsilon = numberIn(o.epsilon, source, 'optimizer.epsilon', 0, 1, true);
  if (o.nesterov !== undefined) {
    if (typeof o.nesterov !== 'boolean')
      fail(source, 'optimizer.nesterov', 'expected true or false');
    spec.nesterov = o.nesterov;
  }
  return spec;
}

function whiteningOf(value: unknown, source: string): WhiteningSpec {
  if (typeof value !== 'object' || value === null)
    fail(source, 'whitening', 'expected {"kind": "none"} or {"kind": "zca", "epsilon": 10}');
  const w = value as Json;
  const kind = oneOf(w.kind, source, 'whitening.kind', WHITENING_KINDS);
  if (kind === 'none') return { kind };
  const out: WhiteningSpec = {
    kind,
    epsilon: numberIn(w.epsilon, source, 'whitening.epsilon', 0, 1e6, true),
  };
  if (w.fitImages !== undefined)
    out.fitImages = wholeNumber(w.fitImages, source, 'whitening.fitImages', 2);
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
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    fail(source, '(top level)', 'expected a JSON object');
  const json = input as Json;
  for (const key of Object.keys(json)) {
    if (!(KEYS as readonly string[]).includes(key))
      fail(source, key, `unknown field; known fields are ${KEYS.join(', ')}`);
  }
  if (json.labkit !== undefined && json.labkit !== RECIPE_MARK)
    fail(source, 'labkit', `expected "${RECIPE_MARK}"`);
  const has = (key: string) => json[key] !== undefined;
  const nullable = (key: string, min: number) =>
    json[key] === null ? null : wholeNumber(json[key], source, key, min);
  return {
    spec: has('spec') ? validateSpec(json.spec, `${source}: spec`, base.spec) : base.spec,
    optimizer: has('optimizer') ? optimizerOf(json.optimizer, source) : base.optimizer,
    schedule: has('schedule') ? oneOf(json.schedule, source, 'schedule', SCHEDULES) : base.schedule,
    epochs: has('epochs') ? wholeNumber(json.epochs, source, 'epochs', 1) : base.epochs,
    batchSize: has('batchSize')
      ? wholeNumber(json.batchSize, source, 'batchSize', 1)
      : base.batchSize,
    augment: has('augment') ? oneOf(json.augment, source, 'augment', AUGMENTATIONS) : base.augment,
    whitening: has('whitening')
      ? whiteningOf(json.whitening, source)
      : (base.whitening ?? { kind: 'none' }),
    trainLimit: has('trainLimit') ? nullable('trainLimit', 1) : base.trainLimit,
    valSplit: has('valSplit') ? numberIn(json.valSplit, source, 'valSplit', 0, 0.9) : base.valSplit,
    seed: has('seed') ? wholeNumber(json.seed, source, 'seed', 0) : base.seed,
    patience: has('patience') ? nullable('patience', 1) : base.patience,
  };
}

/** The text of a recipe file: the mark first, then every field, so the file is complete on its own. */
export function recipeJson(recipe: TrainRecipe): string {
  return `${JSON.stringify({ labkit: RECIPE_MARK, ...recipe }, null, 2)}\n`;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const offset = jsonErrorOffset(text);
    const where = lineColumn(text, offset < 0 ? text.length : offset);
    const found =
      offset < 0 || offset >= text.length ? 'end of file' : JSON.stringify(text[offset]);
    throw new RecipeError(
      `${file}:${where.line}:${where.column}: invalid JSON: unexpected ${found}`,
    );
  }
  const isRecipe =
    typeof json === 'object' && json !== null && (json as Json).labkit === RECIPE_MARK;
  return isRecipe
    ? validateRecipe(json, file, base)
    : { ...base, spec: validateSpec(json, file, base.spec) };
}
