import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_MISCLASSIFIED } from '@labkit/nn-core/config';
import { defineCommand } from '../define.js';
import { UsageError } from '../errors.js';
import { loadNnCore, loadNnCoreReport } from '../nn-core.js';
import { asUsage } from '../nn-usage.js';
import { numberOption, stringOption, THREADS_FLAG, threadsOption } from '../options.js';
import { timestamp } from '../recipe-flags.js';

export default defineCommand({
  path: ['report'],
  args: '<run-dir...>',
  description:
    'Write a self-contained HTML report of a training run (report.html in the run directory, no\n' +
    'network needed to view it): the training loss of every step with its smoothed curve beside the\n' +
    'validation loss, accuracy curves, the learning-rate schedule, the row-normalised confusion\n' +
    'matrix with the most confused pairs, per-class accuracy, the top losses (misclassified test\n' +
    'images with their loss and true-class probability, filterable by class), the model spec,\n' +
    'backend, timings and the diagnosis; an lr-find or search result when given. The plots are\n' +
    'also written as standalone SVG files. With several run directories: one page overlaying their\n' +
    'curves, with a table of the settings in which they differ and their results.',
  options: [
    {
      flags: '--data <dir>',
      description: 'CIFAR-10 directory for the top losses (default: the one the run used)',
    },
    {
      flags: '--misclassified <n>',
      description: 'Misclassified test images to show, highest loss first (0 = none)',
      default: DEFAULT_MISCLASSIFIED,
    },
    {
      flags: '--lr-find <dir>',
      description:
        "A 'labkit lr-find' output to include (default: the run directory's own, if any)",
    },
    { flags: '--search <dir>', description: "A 'labkit search' directory to include" },
    {
      flags: '--out <dir>',
      description:
        'With several runs: where the comparison goes, a new or empty directory or an earlier\n' +
        'comparison, which is replaced (default: runs/compare-<timestamp>)',
    },
    THREADS_FLAG,
  ],
  examples: [
    'labkit report runs/train-20261125-101500',
    'labkit report runs/train-a --lr-find runs/lr-find-a --search runs/search-a',
    'labkit report runs/train-a runs/train-b runs/train-c --out runs/compare-abc',
  ],
  async action(args, options, io) {
    if (args.length === 0) throw new UsageError('report needs a run directory');
    const runDirs = args.map((dir) => resolve(io.cwd, dir));
    // Checked before loading TF.js, so that an install without it still says what is wrong.
    const absent = runDirs.find((dir) => !existsSync(dir));
    if (absent !== undefined) throw new UsageError(`${absent} does not exist`);
    const [nn, report] = await Promise.all([loadNnCore(), loadNnCoreReport()]);
    if (runDirs.length > 1) {
      for (const flag of ['lrFind', 'search', 'data'] as const) {
        if (stringOption(options, flag) !== undefined)
          throw new UsageError(
            `--${flag === 'lrFind' ? 'lr-find' : flag} applies to the report of one run, not to a comparison of ${runDirs.length}`,
          );
      }
      const out = resolve(
        io.cwd,
        stringOption(options, 'out', 'a directory name') ?? `runs/compare-${timestamp()}`,
      );
      if (await asUsage(nn, () => nn.checkResultDir(out, 'comparison')))
        io.stderr.write(`replacing the earlier comparison in ${out}\n`);
      const files = await asUsage(nn, () => report.writeComparison(runDirs, out));
      io.stdout.write(`report: ${files[files.length - 1]}\n`);
      io.stdout.write(`plots: ${files.slice(0, -1).join(', ')}\n`);
      return 0;
    }
    if (stringOption(options, 'out', 'a directory name') !== undefined)
      throw new UsageError(
        "--out is for a comparison of several runs; a run's report goes into its directory",
      );
    const misclassified =
      numberOption(options, 'misclassified', { min: 0, max: 10000, integer: true }) ??
      DEFAULT_MISCLASSIFIED;
    const data = stringOption(options, 'data');
    const lrFind = stringOption(options, 'lrFind');
    const search = stringOption(options, 'search');
    const runDir = runDirs[0] as string;
    // Curves need no model: only the misclassified images need a finished run's saved model.
    const record = await asUsage(nn, async () => {
      if (misclassified === 0) return nn.readRunRecord(runDir);
      try {
        return await nn.finishedRunRecord(runDir);
      } catch (error) {
        if (!(error instanceof nn.UnfinishedRunError)) throw error;
        // A failure like eval's on the same run (exit 1), with the flag that makes a report possible.
        throw new Error(
          `${error.message}; or report its curves without misclassified images (they need a finished run's model): add --misclassified 0`,
        );
      }
    });
    if (record.status !== 'finished')
      io.stderr.write(
        `${runDir} is unfinished (status ${nn.runStatusWords(runDir, record)}): the report shows the epochs so far\n`,
      );
    if (misclassified > 0) {
      // Finding mistakes runs the saved model: initialise the backend the run used, if it is here.
      const backend = await nn.initBackend('auto', threadsOption(options));
      io.stderr.write(
        `backend: ${nn.describeBackend(backend)} (run trained on ${record.backend.name})\n`,
      );
    }
    const files = await asUsage(nn, () =>
      report.writeRunReport(runDir, {
        ...(data ? { dataDir: resolve(io.cwd, data) } : {}),
        ...(lrFind ? { lrFindDir: resolve(io.cwd, lrFind) } : {}),
        ...(search ? { searchDir: resolve(io.cwd, search) } : {}),
        misclassified,
        log: (line) => io.stderr.write(`${line}\n`),
      }),
    );
    io.stdout.write(`report: ${files[files.length - 1]}\n`);
    io.stdout.write(`plots: ${files.slice(0, -1).join(', ')}\n`);
    return 0;
  },
});
