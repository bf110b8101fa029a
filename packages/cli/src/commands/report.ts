import { resolve } from 'node:path';
import { defineCommand } from '../define.js';
import { UsageError } from '../errors.js';
import { loadNnCore, loadNnCoreReport } from '../nn-core.js';
import { asUsage } from '../nn-usage.js';
import { numberOption, stringOption, THREADS_FLAG, threadsOption } from '../options.js';

export default defineCommand({
  path: ['report'],
  args: '<run-dir>',
  description:
    'Write a self-contained HTML report of a training run (report.html in the run directory, no\n' +
    'network needed to view it): loss and accuracy curves, the learning-rate schedule, confusion\n' +
    'matrix, per-class accuracy, the most confident misclassified test images, the model spec,\n' +
    'backend, timings and the diagnosis. The plots are also written as standalone SVG files.',
  options: [
    {
      flags: '--data <dir>',
      description:
        'CIFAR-10 directory for the misclassified images (default: the one the run used)',
    },
    {
      flags: '--misclassified <n>',
      description: 'Misclassified test images to show (0 = none)',
      default: 40,
    },
    THREADS_FLAG,
  ],
  examples: ['labkit report runs/train-20261125-101500'],
  async action(args, options, io) {
    const dir = args[0];
    if (!dir) throw new UsageError('report needs a run directory');
    const misclassified =
      numberOption(options, 'misclassified', { min: 0, max: 10000, integer: true }) ?? 40;
    const data = stringOption(options, 'data');
    const [nn, report] = await Promise.all([loadNnCore(), loadNnCoreReport()]);
    const runDir = resolve(io.cwd, dir);
    const record = await asUsage(nn, () => nn.finishedRunRecord(runDir));
    if (misclassified > 0) {
      // Finding mistakes runs the saved model: initialise the backend the run used, if it is here.
      const backend = await nn.initBackend('auto', threadsOption(options));
      io.stderr.write(
        `backend: ${nn.describeBackend(backend)} (run trained on ${record.backend.name})\n`,
      );
    }
    const files = await report.writeRunReport(runDir, {
      ...(data ? { dataDir: resolve(io.cwd, data) } : {}),
      misclassified,
      log: (line) => io.stderr.write(`${line}\n`),
    });
    io.stdout.write(`report: ${files[files.length - 1]}\n`);
    io.stdout.write(`plots: ${files.slice(0, -1).join(', ')}\n`);
    return 0;
  },
});
