import { resolve } from 'node:path';
import {
  DEFAULT_SGD_MOMENTUM,
  DEFAULT_SPEC,
  DEFAULT_TRAINING,
  DEFAULT_ZCA_EPSILON,
  OVERFIT_DEFAULT_STEPS,
} from '@labkit/nn-core/config';
import { defineCommand } from '../define.js';
import { UsageError } from '../errors.js';
import { measured } from '../measured.generated.js';
import { describeModel } from '../model-words.js';
import { loadNnCore } from '../nn-core.js';
import {
  BACKEND_CHOICES,
  backendOption,
  choiceOption,
  commaListOption,
  intListOption,
  numberOption,
  stringOption,
  THREADS_FLAG,
  threadsOption,
} from '../options.js';
import { PARTIAL_DATA_FLAG, readConfigText } from '../recipe-flags.js';

/** The default recipe (nn-core's, one source); `labkit train --help` states it and the action applies it. */
const DEFAULTS = {
  ...DEFAULT_TRAINING,
  hidden: DEFAULT_SPEC.hidden.join(','),
  dropout: DEFAULT_SPEC.dropout,
  batchnorm: DEFAULT_SPEC.batchNorm,
  weightDecay: DEFAULT_SPEC.l2,
  whiten: 'none',
  zcaEpsilon: DEFAULT_ZCA_EPSILON,
} as const;

/** `--augment` alone means crop-flip, `--no-augment` none, `--augment KIND` that kind. */
function augmentationFromOptions<T extends string>(
  options: Record<string, unknown>,
  kinds: readonly T[],
): T | 'crop-flip' | 'none' | undefined {
  if (options.augment === true) return 'crop-flip';
  if (options.augment === false) return 'none';
  return choiceOption(options, 'augment', kinds);
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

type NnCore = typeof import('@labkit/nn-core');
type TrainRecipe = import('@labkit/nn-core').TrainRecipe;

/**
 * The recipe a new run trains: the default recipe, then `--config` (a recipe file from
 * `labkit search`, or a bare model spec), then each flag given on the command line, field by field.
 */
async function recipeFromFlags(
  nn: NnCore,
  options: Record<string, unknown>,
  io: { cwd: string },
): Promise<TrainRecipe> {
  let recipe: TrainRecipe = {
    ...nn.DEFAULT_RECIPE,
    spec: { ...nn.DEFAULT_SPEC, hidden: DEFAULTS.hidden.split(',').map(Number) },
  };
  const configPath = stringOption(options, 'config');
  if (configPath) {
    const text = await readConfigText(configPath, io);
    try {
      recipe = nn.parseConfigJson(text, configPath, recipe);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const overrides: Record<string, unknown> = {};
  const hidden = intListOption(options, 'hidden');
  if (hidden) {
    overrides.hidden = hidden;
    if (recipe.spec.bottleneck) overrides.bottleneck = hidden.map(() => 0);
  }
  const bottleneck = commaListOption(options, 'bottleneck');
  if (bottleneck !== undefined) {
    const widths = bottleneck.map(Number);
    if (widths.some((w) => !Number.isInteger(w) || w < 0)) {
      throw new UsageError(
        `--bottleneck expects comma-separated whole numbers (0 = none), got "${bottleneck.join(',')}"`,
      );
    }
    overrides.bottleneck = widths;
  }
  const dropout = numberOption(options, 'dropout', { min: 0, max: 0.95 });
  if (dropout !== undefined) overrides.dropout = dropout;
  if (options.batchnorm === false) overrides.batchNorm = 'none';
  else if (options.batchnorm === true) overrides.batchNorm = 'before';
  else if (typeof options.batchnorm === 'string') {
    overrides.batchNorm = choiceOption(options, 'batchnorm', ['before', 'after'] as const);
  }
  const l2 = numberOption(options, 'weightDecay', { min: 0, max: 1 });
  if (l2 !== undefined) overrides.l2 = l2;
  let spec = recipe.spec;
  try {
    spec = nn.validateSpec(overrides, 'command line', recipe.spec);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const whiten = choiceOption(options, 'whiten', nn.WHITENING_KINDS);
  const epsilon = numberOption(options, 'zcaEpsilon', { min: 1e-9, max: 1e6 });
  let whitening = recipe.whitening ?? { kind: 'none' as const };
  if (whiten === 'none') whitening = { kind: 'none' };
  else if (whiten === 'zca' || epsilon !== undefined) {
    if (whiten === undefined && whitening.kind === 'none') {
      throw new UsageError('--zca-epsilon needs --whiten zca (or a recipe with ZCA whitening)');
    }
    const previous = whitening.kind === 'zca' ? whitening.epsilon : DEFAULTS.zcaEpsilon;
    whitening = { kind: 'zca', epsilon: epsilon ?? previous };
  }
  const lr = numberOption(options, 'lr', { min: Number.MIN_VALUE, max: 10 });
  const optimizer = choiceOption(options, 'optimizer', ['adam', 'sgd'] as const);
  const augment = augmentationFromOptions(options, nn.AUGMENTATIONS);
  const trainLimit = numberOption(options, 'trainLimit', { min: 1, integer: true });
  const patience = numberOption(options, 'patience', { min: 1, integer: true });
  return {
    spec,
    optimizer:
      optimizer !== undefined && optimizer !== recipe.optimizer.kind
        ? { kind: optimizer, lr: lr ?? recipe.optimizer.lr }
        : { ...recipe.optimizer, ...(lr !== undefined ? { lr } : {}) },
    schedule: choiceOption(options, 'schedule', nn.SCHEDULES) ?? recipe.schedule,
    epochs:
      numberOption(options, 'epochs', { min: 1, max: 100000, integer: true }) ?? recipe.epochs,
    batchSize:
      numberOption(options, 'batchSize', { min: 1, max: 65536, integer: true }) ?? recipe.batchSize,
    augment: augment ?? recipe.augment,
    whitening,
    trainLimit: trainLimit ?? recipe.trainLimit,
    valSplit: numberOption(options, 'valSplit', { min: 0, max: 0.9 }) ?? recipe.valSplit,
    seed: numberOption(options, 'seed', { min: 0, max: 2 ** 32 - 1, integer: true }) ?? recipe.seed,
    patience: patience ?? recipe.patience,
  };
}

const train = defineCommand({
  path: ['train'],
  description:
    'Train a fully connected net on CIFAR-10 and write a run directory (run.json, metrics.csv,\n' +
    'metrics.jsonl, checkpoint.ckpt, model/ in TF.js format, evaluation.json).\n' +
    `Default recipe: ${describeModel(DEFAULT_SPEC)},\n` +
    `${DEFAULTS.optimizer} lr ${DEFAULTS.lr} with the ${DEFAULTS.schedule} schedule, batch ${DEFAULTS.batchSize}, ` +
    `${DEFAULTS.epochs} epochs,\naugmentation ${DEFAULTS.augment}, ${DEFAULTS.valSplit * 100}% of the training set held out for validation. Measured here (full data,\nseed 0): ${measured['train-default.testAccuracy']} test accuracy in ${measured['train-default.minutes']} on 1 thread; without flips and with 20 epochs, ${measured['train-no-augment-20-epochs.testAccuracy']}.`,
  options: [
    {
      flags: '--data <dir>',
      description: 'CIFAR-10 binary directory (else LABKIT_CIFAR10_DIR, then the cache)',
    },
    {
      flags: '--config <recipe.json>',
      description:
        'Recipe file from labkit search (or written by hand), or a bare model spec; flags given on the command line override single fields',
    },
    { flags: '--hidden <sizes>', description: `Hidden layer widths (default: ${DEFAULTS.hidden})` },
    {
      flags: '--bottleneck <sizes>',
      description: 'Linear bottleneck width before each hidden layer, 0 = none',
    },
    {
      flags: '--dropout <rate>',
      description: `Dropout after each hidden activation (default: ${DEFAULTS.dropout})`,
    },
    {
      flags: '--batchnorm [where]',
      description: `Batch norm before or after the activation; a bare --batchnorm means before, --no-batchnorm none (default: ${DEFAULTS.batchnorm})`,
    },
    {
      flags: '--augment [kind]',
      description: `flip (random horizontal flip) or crop-flip (also a random crop with 4 px padding); a bare --augment means crop-flip; --augment none or --no-augment turns it off (default: ${DEFAULTS.augment})`,
    },
    {
      flags: '--whiten <kind>',
      description: `Input whitening fitted on the training split: zca or none (default: ${DEFAULTS.whiten})`,
    },
    {
      flags: '--zca-epsilon <eps>',
      description: `ZCA regulariser on channel-normalised pixels (default: ${DEFAULTS.zcaEpsilon})`,
    },
    { flags: '--epochs <n>', description: `Epochs (default: ${DEFAULTS.epochs})` },
    { flags: '--batch-size <n>', description: `Batch size (default: ${DEFAULTS.batchSize})` },
    { flags: '--lr <rate>', description: `Peak learning rate (default: ${DEFAULTS.lr})` },
    {
      flags: '--optimizer <name>',
      description: `adam or sgd (momentum ${DEFAULT_SGD_MOMENTUM}) (default: ${DEFAULTS.optimizer})`,
    },
    {
      flags: '--schedule <name>',
      description: `constant, step (x0.1 every epochs/3), cosine or onecycle (default: ${DEFAULTS.schedule})`,
    },
    {
      flags: '--weight-decay <l2>',
      description: `L2 penalty on dense kernels (default: ${DEFAULTS.weightDecay})`,
    },
    {
      flags: '--patience <epochs>',
      description: 'Early stopping on validation loss, restoring the best weights (default: off)',
    },
    {
      flags: '--train-limit <n>',
      description: 'Use only the first N training images (default: all 50,000)',
    },
    {
      flags: '--val-split <fraction>',
      description: `Held-out validation fraction (default: ${DEFAULTS.valSplit})`,
    },
    {
      flags: '--seed <n>',
      description: `Seed for initialisation, split, order, augmentation, dropout (default: ${DEFAULTS.seed})`,
    },
    {
      flags: '--backend <name>',
      description: `${BACKEND_CHOICES.join(', ')} (default: auto; with --resume, the run's own)`,
    },
    THREADS_FLAG,
    {
      flags: '--out <dir>',
      description:
        'Run directory, new or empty (default: runs/train-<timestamp>, with -2, -3, ... if taken)',
    },
    {
      flags: '--force',
      description: 'Delete the labkit run already in --out and start over (never other files)',
    },
    PARTIAL_DATA_FLAG,
    {
      flags: '--resume <run-dir>',
      description:
        'Continue a run from its last checkpoint with its stored settings; --data (moved data), --epochs N (extend: the new epochs get a fresh schedule), --threads and --backend may be given too',
    },
    {
      flags: '--overfit <n>',
      description:
        'Overfit check instead of a run: memorise the first N images without dropout, weight decay or augmentation; PASS exits 0, FAIL 1',
    },
    {
      flags: '--overfit-steps <n>',
      description: 'Step budget of the overfit check',
      default: OVERFIT_DEFAULT_STEPS,
    },
    {
      flags: '--json',
      description: 'Print the result as one JSON object on the last line of stdout',
    },
  ],
  examples: [
    'labkit train',
    'labkit train --hidden 2048,1024 --dropout 0.5 --epochs 40 --out runs/wide',
    'labkit train --train-limit 2000 --epochs 1 --json',
    'labkit train --resume runs/wide',
    'labkit train --resume runs/wide --epochs 40',
  ],
  async action(_args, options, io) {
    const json = Boolean(options.json);
    const resumeDir = stringOption(options, 'resume');
    const explicitBackend = backendOption(options);
    const nn = await loadNnCore();
    const session = await import('../train-session.js');
    if (resumeDir) session.refuseFlagsWithResume(options, session.flagDefaults(train.options));
    // A resumed run keeps its backend unless told otherwise: backends round floats differently.
    const backendRequest =
      explicitBackend ??
      (resumeDir
        ? (await session.asUsage(nn, () => nn.readRunRecord(resolve(io.cwd, resumeDir)))).backend
            .name
        : 'auto');

    let config: import('@labkit/nn-core').TrainRunConfig | undefined;
    let dataDir = '';
    let runDir: string;
    let uniqueDir = false;
    if (resumeDir) {
      runDir = resolve(io.cwd, resumeDir);
    } else {
      config = {
        ...(await recipeFromFlags(nn, options, io)),
        test: true,
        ...(options.partialData ? { partialData: true } : {}),
      };
      if (config.patience !== null && config.valSplit === 0) {
        throw new UsageError(
          '--patience needs a validation set: give --val-split a fraction above 0',
        );
      }
      dataDir = nn.locateCifar10({ data: stringOption(options, 'data'), env: io.env });
      runDir = resolve(
        io.cwd,
        stringOption(options, 'out', 'a directory name') ?? `runs/train-${timestamp()}`,
      );
      uniqueDir = stringOption(options, 'out', 'a directory name') === undefined;
      const overfit = numberOption(options, 'overfit', { min: 1, max: 50000, integer: true });
      if (overfit !== undefined) {
        const maxSteps =
          numberOption(options, 'overfitSteps', { min: 1, max: 1_000_000, integer: true }) ??
          OVERFIT_DEFAULT_STEPS;
        const { runOverfitFromCli } = await import('../overfit-check.js');
        const request = {
          spec: config.spec,
          optimizer: config.optimizer,
          images: overfit,
          maxSteps,
          seed: config.seed,
          dataDir,
          partialData: Boolean(options.partialData),
          backend: backendRequest,
          threads: threadsOption(options),
          json,
        };
        return runOverfitFromCli(nn, request, io);
      }
    }

    const data = stringOption(options, 'data');
    const epochs = numberOption(options, 'epochs', { min: 1, max: 100000, integer: true });
    return session.runTrainSession(
      nn,
      {
        runDir,
        ...(config ? { config, dataDir, uniqueDir, force: Boolean(options.force) } : {}),
        ...(resumeDir
          ? {
              resume: {
                ...(data ? { dataDir: nn.locateCifar10({ data, env: io.env }) } : {}),
                ...(epochs !== undefined ? { epochs } : {}),
              },
            }
          : {}),
        backend: backendRequest,
        threads: threadsOption(options),
        json,
      },
      io,
    );
  },
});

export default train;
