import { FieldReader } from './fields.js';
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

/**
 * Checks a parsed JSON value as a (partial) model spec and fills the rest from `base`.
 * `source` names where it came from (a file name) for the error message.
 */
export function validateSpec(
  input: unknown,
  source = 'model spec',
  base: ModelSpec = DEFAULT_SPEC,
): ModelSpec {
  const f: FieldReader = new FieldReader(source, (message) => new SpecError(message));
  const merged = { ...base, ...f.object(input, KEYS) } as Json;
  const hiddenRaw = merged.hidden;
  if (!Array.isArray(hiddenRaw)) f.fail('hidden', 'expected an array of layer widths');
  const hidden = hiddenRaw.map((w, i) => f.positiveInt(w, `hidden[${i}]`));
  const spec: ModelSpec = {
    inputSize: f.positiveInt(merged.inputSize, 'inputSize'),
    classes: f.positiveInt(merged.classes, 'classes'),
    hidden,
    activation: f.oneOf(merged.activation, 'activation', ACTIVATIONS),
    batchNorm: f.oneOf(merged.batchNorm, 'batchNorm', BATCH_NORM_PLACEMENTS),
    dropout: f.numberIn(merged.dropout, 'dropout', 0, 1, { maxOpen: true }),
    l2: f.numberIn(merged.l2, 'l2', 0, 1),
    initializer: f.oneOf(merged.initializer, 'initializer', INITIALIZERS),
  };
  if (spec.classes < 2) f.fail('classes', `expected at least 2 classes, got ${spec.classes}`);
  const bottleneckRaw = merged.bottleneck;
  if (bottleneckRaw !== undefined && bottleneckRaw !== null) {
    if (!Array.isArray(bottleneckRaw))
      f.fail('bottleneck', 'expected an array of widths (0 = none)');
    if (bottleneckRaw.length !== hidden.length) {
      f.fail(
        'bottleneck',
        `expected ${hidden.length} widths, one per hidden layer, got ${bottleneckRaw.length}`,
      );
    }
    spec.bottleneck = bottleneckRaw.map((w, i) =>
      w === 0 ? 0 : f.positiveInt(w, `bottleneck[${i}]`),
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
