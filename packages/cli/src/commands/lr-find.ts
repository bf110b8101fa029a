import { resolve } from 'node:path';
import { DEFAULT_SGD_MOMENTUM, OPTIMIZERS } from '@labkit/nn-core/config';
import { defineCommand } from '../define.js';
import { UsageError } from '../errors.js';
import { loadNnCore } from '../nn-core.js';
import { asUsage } from '../nn-usage.js';
import { choiceOption, numberOption, stringOption, THREADS_FLAG } from '../options.js';
import {
  BACKEND_FLAG,
  backendFromFlags,
  CONFIG_FLAG,
  DATA_FLAG,
  HIDDEN_FLAG,
  PARTIAL_DATA_FLAG,
  specFromFlags,
  timestamp,
  trainImagesFromFlags,
} from '../recipe-flags.js';

const DEFAULTS = {
  images: 5000,
  batchSize: 128,
  minLr: 1e-7,
  maxLr: 1,
  steps: 200,
  optimizer: 'adam',
  seed: 0,
} as const;

export default defineCommand({
  path: ['lr-find'],
  description:
    'Learning-rate range test: train a few hundred steps with the rate growing exponentially,\n' +
    'stop when the loss blows up, plot loss against rate and suggest the rate of steepest descent\n' +
    '(as fastai and Lightning do). Writes lr-find.svg, lr-find.csv and lr-find.json.',
  options: [
    DATA_FLAG,
    PARTIAL_DATA_FLAG,
    CONFIG_FLAG,
    HIDDEN_FLAG,
    {
      flags: '--images <n>',
      description: 'Training images to draw batches from',
      default: DEFAULTS.images,
    },
    { flags: '--batch-size <n>', description: 'Batch size', default: DEFAULTS.batchSize },
    {
      flags: '--optimizer <name>',
      description: `adam or sgd (momentum ${DEFAULT_SGD_MOMENTUM})`,
      default: DEFAULTS.optimizer,
    },
    { flags: '--min-lr <rate>', description: 'First learning rate', default: DEFAULTS.minLr },
    {
      flags: '--max-lr <rate>',
      description: 'Last learning rate (if the loss has not blown up before)',
      default: DEFAULTS.maxLr,
    },
    { flags: '--steps <n>', description: 'Optimizer steps of the sweep', default: DEFAULTS.steps },
    {
      flags: '--seed <n>',
      description: 'Seed for initialisation and batch order',
      default: DEFAULTS.seed,
    },
    BACKEND_FLAG,
    THREADS_FLAG,
    {
      flags: '--out <dir>',
      description:
        'Where the plot and CSV go: a new or empty directory, or an earlier lr-find result, which\n' +
        'is replaced (default: runs/lr-find-<timestamp>)',
    },
    {
      flags: '--json',
      description: 'Print the suggestion as one JSON object on the last line of stdout',
    },
  ],
  examples: ['labkit lr-find', 'labkit lr-find --hidden 512 --steps 300 --out runs/lr'],
  async action(_args, options, io) {
    const json = Boolean(options.json);
    const images = numberOption(options, 'images', { min: 1, integer: true }) ?? DEFAULTS.images;
    const batchSize =
      numberOption(options, 'batchSize', { min: 1, max: 65536, integer: true }) ??
      DEFAULTS.batchSize;
    const range = {
      minLr: numberOption(options, 'minLr', { min: 1e-12, max: 100 }) ?? DEFAULTS.minLr,
      maxLr: numberOption(options, 'maxLr', { min: 1e-12, max: 1000 }) ?? DEFAULTS.maxLr,
      steps:
        numberOption(options, 'steps', { min: 15, max: 100000, integer: true }) ?? DEFAULTS.steps,
    };
    const optimizer = choiceOption(options, 'optimizer', OPTIMIZERS) ?? DEFAULTS.optimizer;
    const seed =
      numberOption(options, 'seed', { min: 0, max: 2 ** 32 - 1, integer: true }) ?? DEFAULTS.seed;
    if (!(range.maxLr > range.minLr)) {
      throw new UsageError(
        `--max-lr (${range.maxLr}) must be larger than --min-lr (${range.minLr})`,
      );
    }
    const nn = await loadNnCore();
    const spec = await specFromFlags(nn, options, io);
    const out = resolve(
      io.cwd,
      stringOption(options, 'out', 'a directory name') ?? `runs/lr-find-${timestamp()}`,
    );
    const say = (line: string) => (json ? io.stderr : io.stdout).write(`${line}\n`);
    const replacing = await asUsage(nn, () => nn.checkResultDir(out, 'lr-find'));
    await backendFromFlags(nn, options, say);
    const data = await trainImagesFromFlags(nn, options, io, images);
    say(
      `range test on ${data.images.count} training images from ${data.dir}, batch ${batchSize}, ${optimizer}`,
    );
    const progressEvery = Math.max(1, Math.round(range.steps / 10));
    const result = await nn.runLrFinder({
      spec,
      images: data.images,
      batchSize,
      optimizer,
      range,
      seed,
      onStep(step, lr, loss) {
        if (step % progressEvery === 0)
          io.stderr.write(
            `  step ${step}/${range.steps}  lr ${lr.toExponential(2)}  loss ${loss.toFixed(4)}\n`,
          );
      },
    });
    // Checked again: another process may have written into --out during the sweep.
    await asUsage(nn, () => nn.checkResultDir(out, 'lr-find'));
    if (replacing) say(`replacing the earlier lr-find result in ${out}`);
    const files = await nn.writeLrFindFiles(out, result);
    say(nn.formatLrFind(result).trimEnd());
    say(`wrote ${files.join(', ')}`);
    if (json) {
      io.stdout.write(
        `${JSON.stringify({ suggestedLr: result.suggestion.steepest, minimumLr: result.suggestion.minimumLr, steps: result.lrs.length, diverged: result.diverged, out })}\n`,
      );
    }
    return 0;
  },
});
