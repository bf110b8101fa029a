import { resolve } from 'node:path';
import { OPTIMIZERS } from '@labkit/nn-core/config';
import { defineCommand } from '../define.js';
import { UsageError } from '../errors.js';
import { loadNnCore } from '../nn-core.js';
import { choiceOption, numberOption, stringOption } from '../options.js';
import { BACKEND_FLAG, backendFromFlags, DATA_FLAG, timestamp } from '../recipe-flags.js';

const DEFAULTS = {
  subset: 1000,
  trials: 27,
  minEpochs: 2,
  maxEpochs: 18,
  eta: 3,
  valSplit: 0.2,
  workers: 1,
  seed: 0,
  optimizer: 'adam',
} as const;

export default defineCommand({
  path: ['search'],
  description:
    'Hyperparameter search on a subset of CIFAR-10: random configurations of learning rate, batch\n' +
    'size, hidden sizes, dropout, weight decay and batch norm, pruned by successive halving (one\n' +
    'Hyperband bracket: the best 1/eta of the trials train eta times longer at each rung). Trials\n' +
    'train at a constant learning rate and continue from their checkpoints between rungs.\n' +
    'Writes search.csv (every trial, best first), best-spec.json (for labkit train --config) and\n' +
    'best.json (all hyperparameters and the train command line). Seeded and reproducible.',
  options: [
    DATA_FLAG,
    {
      flags: '--subset <n>',
      description: 'Training images searched on (the first N, split into train/validation)',
      default: DEFAULTS.subset,
    },
    { flags: '--trials <n>', description: 'Random configurations tried', default: DEFAULTS.trials },
    {
      flags: '--min-epochs <n>',
      description: 'Epochs of the first rung',
      default: DEFAULTS.minEpochs,
    },
    {
      flags: '--max-epochs <n>',
      description: 'Epochs the surviving trials reach',
      default: DEFAULTS.maxEpochs,
    },
    {
      flags: '--eta <n>',
      description: 'Pruning factor: keep 1/eta of the trials per rung',
      default: DEFAULTS.eta,
    },
    {
      flags: '--val-split <fraction>',
      description: 'Validation fraction of the subset (stratified)',
      default: DEFAULTS.valSplit,
    },
    {
      flags: '--optimizer <name>',
      description: 'adam or sgd (momentum 0.9)',
      default: DEFAULTS.optimizer,
    },
    {
      flags: '--rank-by <metric>',
      description:
        'Rank trials by their best validation loss or accuracy (accuracy is fairer to batch norm in short rungs)',
      default: 'loss',
    },
    {
      flags: '--workers <n>',
      description: 'Worker processes training trials in parallel',
      default: DEFAULTS.workers,
    },
    {
      flags: '--seed <n>',
      description: 'Seed of the configurations, splits and training',
      default: DEFAULTS.seed,
    },
    BACKEND_FLAG,
    { flags: '--out <dir>', description: 'Output directory (default: runs/search-<timestamp>)' },
    {
      flags: '--json',
      description: 'Print the best trial as one JSON object on the last line of stdout',
    },
  ],
  examples: [
    'labkit search --subset 1000 --trials 27',
    'labkit search --trials 9 --max-epochs 9 --workers 2 --out runs/search',
  ],
  async action(_args, options, io) {
    const json = Boolean(options.json);
    const subset =
      numberOption(options, 'subset', { min: 10, max: 50000, integer: true }) ?? DEFAULTS.subset;
    const trials =
      numberOption(options, 'trials', { min: 1, max: 10000, integer: true }) ?? DEFAULTS.trials;
    const minEpochs =
      numberOption(options, 'minEpochs', { min: 1, max: 10000, integer: true }) ??
      DEFAULTS.minEpochs;
    const maxEpochs =
      numberOption(options, 'maxEpochs', { min: 1, max: 10000, integer: true }) ??
      DEFAULTS.maxEpochs;
    if (maxEpochs < minEpochs)
      throw new UsageError(
        `--max-epochs (${maxEpochs}) must be at least --min-epochs (${minEpochs})`,
      );
    const eta = numberOption(options, 'eta', { min: 2, max: 100 }) ?? DEFAULTS.eta;
    const valSplit =
      numberOption(options, 'valSplit', { min: 0.01, max: 0.9 }) ?? DEFAULTS.valSplit;
    const workers =
      numberOption(options, 'workers', { min: 1, max: 64, integer: true }) ?? DEFAULTS.workers;
    const seed =
      numberOption(options, 'seed', { min: 0, max: 2 ** 32 - 1, integer: true }) ?? DEFAULTS.seed;
    const optimizer = choiceOption(options, 'optimizer', OPTIMIZERS) ?? DEFAULTS.optimizer;
    const rankBy = choiceOption(options, 'rankBy', ['loss', 'accuracy'] as const) ?? 'loss';
    const nn = await loadNnCore();
    const say = (line: string) => (json ? io.stderr : io.stdout).write(`${line}\n`);
    const backend = await backendFromFlags(nn, options, say);
    const dataDir = nn.locateCifar10({ data: stringOption(options, 'data'), env: io.env });
    const outDir = resolve(io.cwd, stringOption(options, 'out') ?? `runs/search-${timestamp()}`);
    const images = await nn.loadCifar10(dataDir, 'train', { limit: subset });
    const plan = nn.halvingPlan(trials, minEpochs, maxEpochs, eta);
    say(
      `search: ${trials} trials on ${images.count} images from ${dataDir}, seed ${seed}, ${workers} worker${workers > 1 ? ' processes' : ''}`,
    );
    say(
      `rungs: ${plan.map((r) => `${r.trials} trial${r.trials > 1 ? 's' : ''} to ${r.epochs} epoch${r.epochs > 1 ? 's' : ''}`).join(', then ')}`,
    );
    const pool =
      workers > 1
        ? await nn.startSearchWorkers(workers, {
            dataDir,
            subset,
            valSplit,
            seed,
            backend: backend.name,
          })
        : undefined;
    let done = 0;
    const started = performance.now();
    try {
      const result = await nn.runSearch({
        subset: images,
        trials,
        seed,
        outDir,
        minEpochs,
        maxEpochs,
        eta,
        valSplit,
        optimizer,
        rankBy,
        concurrency: workers,
        ...(pool ? { runJob: pool.runJob } : {}),
        onTrialEnd(job, outcome) {
          done++;
          const p = job.params;
          io.stderr.write(
            `  [${done}] trial ${job.index + 1} (lr ${p.lr}, batch ${p.batchSize}, hidden ${p.hidden.join('x')}, dropout ${p.dropout}, l2 ${p.l2}, bn ${p.batchNorm}) ` +
              `to epoch ${job.epochs}: val loss ${outcome.valLoss.toFixed(4)}, acc ${(outcome.valAccuracy * 100).toFixed(1)}%${outcome.diverged ? ' (diverged)' : ''}\n`,
          );
        },
        onRungEnd(rung, rungs, ranked) {
          const next = rungs[rung + 1];
          say(
            `rung ${rung + 1}/${rungs.length} done after ${((performance.now() - started) / 1000).toFixed(0)} s${next ? `: ${next.trials} trial${next.trials > 1 ? 's' : ''} continue to ${next.epochs} epochs` : ''}; best so far trial ${(ranked[0]?.index ?? 0) + 1}`,
          );
        },
      });
      say('');
      say(nn.formatSearchTable(result.ranked, result.plan.length - 1).trimEnd());
      const best = result.best;
      say('');
      say(
        `best: trial ${best.index + 1}, validation loss ${best.outcome?.valLoss.toFixed(4)}, accuracy ${((best.outcome?.valAccuracy ?? 0) * 100).toFixed(1)}% after ${best.epochs} epochs (${result.trainImages} train / ${result.valImages} validation images)`,
      );
      say(`wrote ${result.files.csv}, ${result.files.bestSpec}, ${result.files.best}`);
      say(`train it on the full data: ${nn.trainCommand(best.trial, result.files.bestSpec)}`);
      if (json) {
        io.stdout.write(
          `${JSON.stringify({ backend: backend.name, best: { trial: best.index + 1, ...best.trial, ...best.outcome, epochs: best.epochs }, files: result.files, seconds: (performance.now() - started) / 1000 })}\n`,
        );
      }
    } finally {
      pool?.close();
    }
    return 0;
  },
});
