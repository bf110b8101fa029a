import { resolve } from 'node:path';
import { defineCommand } from '../define.js';
import { UsageError } from '../errors.js';
import { asUsage } from '../nn-usage.js';

export default defineCommand({
  path: ['diagnose'],
  args: '<run-dir>',
  description:
    "Read a training run's curves and say whether it underfits, overfits (and from which epoch),\n" +
    'is still improving or has converged, and what the recipe says to do next.',
  options: [{ flags: '--json', description: 'Print the diagnosis as one JSON object' }],
  examples: ['labkit diagnose runs/train-20261125-101500', 'labkit diagnose runs/wide --json'],
  async action(args, options, io) {
    const dir = args[0];
    if (!dir) throw new UsageError('diagnose needs a run directory');
    // The light entry: reading and judging a run's records needs no TensorFlow.js.
    const nn = await import('@labkit/nn-core/recipe');
    const { diagnosis, metrics } = await asUsage(nn, () => nn.diagnoseRun(resolve(io.cwd, dir)));
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ runDir: resolve(io.cwd, dir), epochs: metrics.length, ...diagnosis })}\n`,
      );
    } else {
      io.stdout.write(nn.formatDiagnosis(diagnosis));
    }
    return 0;
  },
});
