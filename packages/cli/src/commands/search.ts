import { resolve } from 'node:path';
import { DEFAULT_TRAINING, SEARCH_DEFAULTS } from '@labkit/nn-core/config';
import { defineCommand } from '../define.js';
import { UsageError } from '../errors.js';
import { loadNnCore } from '../nn-core.js';
import {
  backendOption,
  choiceOption,
  numberOption,
  stringOption,
  THREADS_FLAG,
  threadsOption,
} from '../options.js';
import { BACKEND_FLAG, DATA_FLAG, PARTIAL_DATA_FLAG, timestamp } from '../recipe-flags.js';

/** The search's defaults and the full-data epochs of the recipe it writes (train's default). */
const D = { ...SEARCH_DEFAULTS, trainEpochs: DEFAULT_TRAINING.epochs, workers: 1 };

export default defineCommand({
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
        'Continue a stopped search with the settings in its search.json: finished trials are kept',
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
    const json = Boolean(options.json);
    const whole = (name: string, min: number, max: number) =>
      numberOption(options, name, { min, max, integer: true });
    let settings = {
      trials: whole('trials', 1, 10000) ?? D.trials,
      subset: whole('subset', 10, 50000) ?? D.subset,
      eta: numberOption(options, 'eta', { min: 2, max: 100 }) ?? D.eta,
      epochs: whole('epochs', 1, 10000) ?? D.epochs,
      valImages: whole('valImages', 10, 40000) ?? D.valImages,
      rankBy: choiceOption(options, 'rankBy', ['accuracy', 'loss'] as const) ?? D.rankBy,
      seed: whole('seed', 0, 2 ** 32 - 1) ?? D.seed,
      trainEpochs: whole('trainEpochs', 1, 100000) ?? D.trainEpochs,
      images: 50000,
    };
    const workers = whole('workers', 1, 64) ?? D.workers;
    const resumeDir = stringOption(options, 'resume');
    const outFlag = stringOption(options, 'out');
    if (resumeDir && outFlag)
      throw new UsageError('give either --out (a new search) or --resume (an old one), not both');
    const nn = await loadNnCore();
    const say = (line: string) => (json ? io.stderr : io.stdout).write(`${line}\n`);
    const backend = await nn.initBackend(backendOption(options) ?? 'auto', threadsOption(options));
    say(`backend: ${nn.describeBackend(backend)}`);
    const dataDir = nn.locateCifar10({ data: stringOption(options, 'data'), env: io.env });
    const outDir = resolve(io.cwd, resumeDir ?? outFlag ?? `runs/search-${timestamp()}`);
    if (resumeDir) {
      try {
        // A resumed search continues with its own settings, whatever the flags say.
        settings = await nn.readSearchSettings(outDir);
      } catch (error) {
        if (error instanceof nn.SearchResumeError) throw new UsageError(error.message);
        throw error;
      }
    }
    const fullFiles = !options.partialData;
    const images = await nn.loadCifar10(dataDir, 'train', {
      limit: resumeDir ? settings.images : 50000,
      fullFiles,
    });
    settings.images = images.count;
    if (settings.subset + settings.valImages > images.count) {
      throw new UsageError(
        `--subset ${settings.subset} plus --val-images ${settings.valImages} exceed the ${images.count} training images`,
      );
    }
    const plan = nn.searchPlan(settings);
    say(
      `search: ${settings.trials} recipes, seed ${settings.seed}, ${settings.valImages} validation images from ${dataDir}, ${workers} worker${workers > 1 ? ' processes' : ''}${resumeDir ? ` (resuming ${outDir})` : ''}`,
    );
    say(
      `rungs: ${plan.map((r) => `${r.trials} on ${r.images} images`).join(', then ')}; ${settings.epochs} epochs each`,
    );
    const pool =
      workers > 1
        ? await nn.startSearchWorkers(workers, {
            dataDir,
            images: settings.images,
            valImages: settings.valImages,
            fullFiles,
            seed: settings.seed,
            backend: backend.name,
          })
        : undefined;
    let done = 0;
    const started = performance.now();
    try {
      const result = await nn.runSearch({
        settings,
        images,
        outDir,
        resume: Boolean(resumeDir),
        concurrency: workers,
        ...(pool ? { runJob: pool.runJob } : {}),
        onTrialEnd(job, outcome, cached) {
          done++;
          const acc = Number.isFinite(outcome.valAccuracy)
            ? `${(outcome.valAccuracy * 100).toFixed(1)}%`
            : '-';
          io.stderr.write(
            `  [${done}] rung ${job.rung + 1} trial ${job.index + 1} (${nn.describeTrial(job.params)}) on ${job.images} images: ` +
              `val acc ${acc}, loss ${outcome.valLoss.toFixed(4)}${outcome.diverged ? ' (diverged)' : ''}${cached ? ' (from trials.jsonl)' : ` in ${outcome.seconds.toFixed(0)} s`}\n`,
          );
        },
        onRungEnd(rung, rungs, ranked) {
          const next = rungs[rung + 1];
          say(
            `rung ${rung + 1}/${rungs.length} done after ${((performance.now() - started) / 1000).toFixed(0)} s` +
              `${next ? `: ${next.trials} trials continue on ${next.images} images` : ''}; best so far trial ${(ranked[0]?.index ?? 0) + 1}`,
          );
        },
      });
      say('');
      say(nn.formatSearchTable(result.ranked, result.plan).trimEnd());
      const best = result.best;
      const last = best.outcomes.at(-1);
      say('');
      say(
        `best: trial ${best.index + 1}, validation accuracy ${((last?.valAccuracy ?? 0) * 100).toFixed(1)}% on ${result.valImages} images after training on ${result.plan[best.outcomes.length - 1]?.images} images`,
      );
      say(`wrote ${result.files.csv}, ${result.files.recipe}, ${result.files.best}`);
      say(`train it on the full data: ${nn.trainCommand(result.files.recipe)}`);
      if (json) {
        io.stdout.write(
          `${JSON.stringify({ backend: backend.name, best: { trial: best.index + 1, ...best.trial, outcomes: best.outcomes }, recipe: result.recipe, files: result.files, reused: result.reused, seconds: (performance.now() - started) / 1000 })}\n`,
        );
      }
    } catch (error) {
      if (error instanceof nn.SearchResumeError) throw new UsageError(error.message);
      throw error;
    } finally {
      pool?.close();
    }
    return 0;
  },
});
