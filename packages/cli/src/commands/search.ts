import { DEFAULT_TRAINING, SEARCH_DEFAULTS } from '@labkit/nn-core/config';
import { defineCommand } from '../define.js';
import { UsageError } from '../errors.js';
import { loadNnCore } from '../nn-core.js';
import {
  backendOption,
  choiceOption,
  flagName,
  numberOption,
  stringOption,
  THREADS_FLAG,
  threadsOption,
} from '../options.js';
import { BACKEND_FLAG, DATA_FLAG, PARTIAL_DATA_FLAG } from '../recipe-flags.js';
import { runSearchSession } from '../search-session.js';
import { flagDefaults, refuseFlagsWithResume } from '../train-session.js';

/** The search's defaults and the full-data epochs of the recipe it writes (train's default). */
const D = { ...SEARCH_DEFAULTS, trainEpochs: DEFAULT_TRAINING.epochs, workers: 1 };

/** Flags that may come with `--resume`: where the data is now, and how to run. */
export const RESUME_FLAGS = [
  'resume',
  'data',
  'partialData',
  'workers',
  'backend',
  'threads',
  'json',
];

const search = defineCommand({
  path: ['search'],
  description:
    'Hyperparameter search that carries over to the full data. Each trial is a whole recipe\n' +
    '(widths up to 4096, depth, linear bottlenecks, batch norm placement, dropout, weight decay,\n' +
    'augmentation, ZCA whitening, learning rate and schedule, batch size) trained the way\n' +
    '`labkit train` trains: from scratch for the rung budget with its schedule, batch-norm\n' +
    'statistics recomputed on the training images, ranked by accuracy on a fixed validation set.\n' +
    'Successive halving grows the data: all trials on --subset images, the best 1/eta on eta times\n' +
    'more, and so on. Writes search.csv, trials.jsonl (each trial as it finishes; --resume\n' +
    'continues a killed search), recipe.json (the winner, for labkit train --config) and best.json.',
  options: [
    DATA_FLAG,
    PARTIAL_DATA_FLAG,
    { flags: '--subset <n>', description: 'Training images of the first rung', default: D.subset },
    { flags: '--trials <n>', description: 'Random recipes tried', default: D.trials },
    {
      flags: '--eta <n>',
      description: 'Keep 1/eta of the trials per rung, on eta times more images',
      default: D.eta,
    },
    {
      flags: '--epochs <n>',
      description: 'Epochs of each rung over its images',
      default: D.epochs,
    },
    {
      flags: '--val-images <n>',
      description: 'Validation images held out of the training files (stratified)',
      default: D.valImages,
    },
    {
      flags: '--train-epochs <n>',
      description: 'Epochs the winning recipe.json trains for on the full data',
      default: D.trainEpochs,
    },
    {
      flags: '--rank-by <metric>',
      description: 'Rank by validation accuracy or loss',
      default: D.rankBy,
    },
    {
      flags: '--workers <n>',
      description: 'Worker processes training trials in parallel',
      default: D.workers,
    },
    {
      flags: '--seed <n>',
      description: 'Seed of the recipes, splits and training',
      default: D.seed,
    },
    BACKEND_FLAG,
    THREADS_FLAG,
    { flags: '--out <dir>', description: 'Output directory (default: runs/search-<timestamp>)' },
    {
      flags: '--resume <dir>',
      description:
        'Continue a stopped search with the settings and data in its search.json: finished trials are kept. ' +
        `Only ${RESUME_FLAGS.filter((name) => name !== 'resume')
          .map(flagName)
          .join(', ')} may come with it (--data: the same images, moved)`,
    },
    {
      flags: '--json',
      description: 'Print the best trial as one JSON object on the last line of stdout',
    },
  ],
  examples: [
    'labkit search',
    'labkit search --trials 9 --epochs 5 --workers 2 --out runs/search',
    'labkit search --resume runs/search',
  ],
  async action(_args, options, io) {
    const whole = (name: string, min: number, max: number) =>
      numberOption(options, name, { min, max, integer: true });
    const settings = {
      trials: whole('trials', 1, 10000) ?? D.trials,
      subset: whole('subset', 10, 50000) ?? D.subset,
      eta: numberOption(options, 'eta', { min: 2, max: 100 }) ?? D.eta,
      epochs: whole('epochs', 1, 10000) ?? D.epochs,
      valImages: whole('valImages', 10, 40000) ?? D.valImages,
      rankBy: choiceOption(options, 'rankBy', ['accuracy', 'loss'] as const) ?? D.rankBy,
      seed: whole('seed', 0, 2 ** 32 - 1) ?? D.seed,
      trainEpochs: whole('trainEpochs', 1, 100000) ?? D.trainEpochs,
      images: 0,
    };
    const resume = stringOption(options, 'resume');
    const out = stringOption(options, 'out', 'a directory name');
    if (resume && out)
      throw new UsageError('give either --out (a new search) or --resume (an old one), not both');
    if (resume)
      refuseFlagsWithResume(options, flagDefaults(search.options), RESUME_FLAGS, 'search');
    const data = stringOption(options, 'data');
    return runSearchSession(
      loadNnCore,
      {
        settings,
        ...(out === undefined ? {} : { out }),
        ...(resume === undefined ? {} : { resume }),
        ...(data === undefined ? {} : { data }),
        partialData: Boolean(options.partialData),
        workers: whole('workers', 1, 64) ?? D.workers,
        backend: backendOption(options) ?? 'auto',
        ...threadsOption(options),
        json: Boolean(options.json),
      },
      io,
    );
  },
});

export default search;
