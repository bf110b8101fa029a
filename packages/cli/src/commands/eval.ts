import { resolve } from 'node:path';
import { defineCommand } from '../define.js';
import { loadNnCore } from '../nn-core.js';
import { asUsage } from '../nn-usage.js';
import {
  BACKEND_FLAG,
  backendOption,
  choiceOption,
  numberOption,
  stringOption,
  THREADS_FLAG,
  threadsOption,
} from '../options.js';
import { CHECKPOINT_FLAG, checkpointOption, PARTIAL_DATA_FLAG } from '../recipe-flags.js';

export default defineCommand({
  path: ['eval'],
  args: '<run-dir>',
  description:
    'Evaluate a trained run on CIFAR-10: accuracy, per-class accuracy and the confusion matrix\n' +
    '(data from --data, else the directory the run was trained on, else LABKIT_CIFAR10_DIR / the cache)',
  options: [
    { flags: '--data <dir>', description: 'CIFAR-10 binary directory' },
    { flags: '--split <name>', description: 'test or train', default: 'test' },
    { flags: '--limit <n>', description: 'Evaluate only the first N images of the split' },
    PARTIAL_DATA_FLAG,
    CHECKPOINT_FLAG,
    BACKEND_FLAG,
    THREADS_FLAG,
    { flags: '--json', description: 'Print one JSON object' },
  ],
  examples: [
    'labkit eval runs/train-20260101-120000',
    'labkit eval runs/wide --split train --json',
    'labkit eval runs/stopped --checkpoint last',
  ],
  async action(args, options, io) {
    const runDir = resolve(io.cwd, args[0] as string);
    const split = choiceOption(options, 'split', ['test', 'train'] as const) ?? 'test';
    const limit = numberOption(options, 'limit', { min: 1, integer: true });
    const backendRequest = backendOption(options) ?? 'auto';
    const checkpoint = checkpointOption(options);
    const nn = await loadNnCore();
    const record = await asUsage(nn, () =>
      checkpoint ? nn.readRunRecord(runDir) : nn.finishedRunRecord(runDir),
    );
    const data = stringOption(options, 'data');
    const dataDir = data
      ? nn.locateCifar10({ data, env: io.env })
      : nn.missingCifarFiles(record.dataDir).length === 0
        ? record.dataDir
        : nn.locateCifar10({ env: io.env });
    const backend = await nn.initBackend(backendRequest, threadsOption(options));
    // With --json stdout is the one JSON object: the backend line goes to stderr, as train's does.
    (options.json ? io.stderr : io.stdout).write(`backend: ${nn.describeBackend(backend)}\n`);
    const weights = checkpoint ? await nn.loadLastCheckpoint(runDir) : undefined;
    const { evaluation, classes } = await nn.evaluateRun(runDir, {
      dataDir,
      split,
      ...(limit ? { limit } : {}),
      fullFiles: !(options.partialData || record.config.partialData),
      ...(weights ? { trained: weights.trained } : {}),
    });
    if (options.json) {
      const from = weights && {
        checkpoint: {
          epochsDone: weights.epochsDone,
          ...(weights.batchesDone ? { batchesDone: weights.batchesDone } : {}),
          epochs: weights.epochs,
          finished: weights.finished,
        },
      };
      io.stdout.write(
        `${JSON.stringify({ backend: backend.name, runDir, split, dataDir, ...from, classes, ...evaluation })}\n`,
      );
    } else {
      io.stdout.write(`${split} split of ${dataDir}\n`);
      if (weights) io.stdout.write(`${weights.description}\n`);
      io.stdout.write(nn.formatEvaluation(evaluation, classes));
    }
    return 0;
  },
});
