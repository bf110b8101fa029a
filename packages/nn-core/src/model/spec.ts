import { parseJsonText } from './json-file.js';

/** What a fully connected classifier looks like, as data (JSON in `--config`, typed in code). */
export interface ModelSpec {
  /** Length of the flattened input, 3072 for CIFAR-10 (3 x 32 x 32, CHW). */
  inputSize: number;
  classes: number;
  /** Width of each hidden dense layer, input side first. */
  hidden: number[];
  activation: Activation;
  /** Batch normalisation of each hidden layer, before or after its activation. */
  batchNorm: BatchNormPlacement;
  /** Dropout rate after each hidden layer's activation (0 = none). */
  dropout: number;
  /**
   * Linear bottleneck widths, one per hidden layer (0 = none): a dense layer with no bias and no
   * activation of that width is inserted before hidden layer i, factorising its weight matrix.
   */
  bottleneck?: number[];
  /** L2 penalty coefficient: `l2 * sum(w^2)` over every dense kernel is added to the loss. */
  l2: number;
  initializer: Initializer;
}

export const ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const INITIALIZERS = [
  'heNormal',
  'heUniform',
  'glorotNormal',
  'glorotUniform',
  'leCunNormal',
] as const;
export type Initializer = (typeof INITIALIZERS)[number];
export const BATCH_NORM_PLACEMENTS = ['none', 'before', 'after'] as const;
export type BatchNormPlacement = (typeof BATCH_NORM_PLACEMENTS)[number];

/** The default recipe for CIFAR-10: see `labkit train --help` for why. */
export const DEFAULT_SPEC: ModelSpec = {
  inputSize: 3072,
  classes: 10,
  hidden: [1024, 512],
  activation: 'relu',
  batchNorm: 'before',
  dropout: 0.3,
  l2: 0,
  initializer: 'heNormal',
};

/** A spec that does not describe a valid model; `path` names the offending field, e.g. `hidden[1]`. */
export class SpecError extends Error {
  override name = 'SpecError';
}

type Json = Record<string, unknown>;

const KEYS: readonly (keyof ModelSpec)[] = [
  'inputSize',
  'classes',
  'hidden',
  'activation',
  'batchNorm',
  'dropout',
  'bottleneck',
  'l2',
  'initializer',
];

function fail(source: string, path: string, message: string): never {
  throw new SpecError(`${source}: ${path}: ${message}`);
}

function positiveInt(value: unknown, source: string, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    fail(source, path, `expected a positive whole number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function numberIn(
  value: unknown,
  source: string,
  path: string,
  min: number,
  max: number,
  maxOpen = false,
): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (maxOpen && value === max)
  ) {
    fail(
      source,
      path,
      `expected a number in [${min}, ${max}${maxOpen ? ')' : ']'}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function choice<T extends string>(
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

/**
 * Checks a parsed JSON value as a (partial) model spec and fills the rest from `base`.
 * `source` names where it came from (a file name) for the error message.
 */
export function validateSpec(
  input: unknown,
  source = 'model spec',
  base: ModelSpec = DEFAULT_SPEC,
): ModelSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    fail(source, '(top level)', 'expected a JSON object');
  }
  const json = input as Json;
  for (const key of Object.keys(json)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      fail(source, key, `unknown field; known fields are ${KEYS.join(', ')}`);
    }
  }
  const merged = { ...base, ...json } as Json;
  const hiddenRaw = merged.hidden;
  if (!Array.isArray(hiddenRaw)) fail(source, 'hidden', 'expected an array of layer widths');
  const hidden = hiddenRaw.map((w, i) => positiveInt(w, source, `hidden[${i}]`));
  const spec: ModelSpec = {
    inputSize: positiveInt(merged.inputSize, source, 'inputSize'),
    classes: positiveInt(merged.classes, source, 'classes'),
    hidden,
    activation: choice(merged.activation, source, 'activation', ACTIVATIONS),
    batchNorm: choice(merged.batchNorm, source, 'batchNorm', BATCH_NORM_PLACEMENTS),
    dropout: numberIn(merged.dropout, source, 'dropout', 0, 1, true),
    l2: numberIn(merged.l2, source, 'l2', 0, 1),
    initializer: choice(merged.initializer, source, 'initializer', INITIALIZERS),
  };
  if (spec.classes < 2) fail(source, 'classes', `expected at least 2 classes, got ${spec.classes}`);
  const bottleneckRaw = merged.bottleneck;
  if (bottleneckRaw !== undefined && bottleneckRaw !== null) {
    if (!Array.isArray(bottleneckRaw))
      fail(source, 'bottleneck', 'expected an array of widths (0 = none)');
    if (bottleneckRaw.length !== hidden.length) {
      fail(
        source,
        'bottleneck',
        `expected ${hidden.length} widths, one per hidden layer, got ${bottleneckRaw.length}`,
      );
    }
    spec.bottleneck = bottleneckRaw.map((w, i) =>
      w === 0 ? 0 : positiveInt(w, source, `bottleneck[${i}]`),
    );
  }
  return spec;
}

/** Parses and validates a spec file's text; syntax errors name the file, line and column. */
export function parseSpecJson(
  text: string,
  file: string,
  base: ModelSpec = DEFAULT_SPEC,
): ModelSpec {
  let json: unknown;
  try {
    json = parseJsonText(text, file);
  } catch (error) {
    throw new SpecError((error as Error).message);
  }
  return validateSpec(json, file, base);
}

/** Number of trainable parameters the spec's model has (for logs and sanity checks). */
export function countParameters(spec: ModelSpec): number {
  let total = 0;
  let width = spec.inputSize;
  spec.hidden.forEach((units, i) => {
    const neck = spec.bottleneck?.[i] ?? 0;
    if (neck > 0) {
      total += width * neck;
      width = neck;
    }
    total += width * units + units;
    if (spec.batchNorm !== 'none') total += 2 * units;
    width = units;
  });
  return total + width * spec.classes + spec.classes;
}
