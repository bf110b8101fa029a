import { DEFAULT_SPEC, DEFAULT_TRAINING } from '@labkit/nn-core/config';
import { defineCommand } from '../define.js';
import { describeModel } from '../model-words.js';
import { loadNnCore, loadNnCoreBench } from '../nn-core.js';
import {
  BACKEND_FLAG,
  backendOption,
  numberOption,
  THREADS_FLAG,
  threadsOption,
} from '../options.js';

export default defineCommand({
  path: ['bench', 'train'],
  description:
    `Time the default model (${describeModel(DEFAULT_SPEC)}; Adam)\n` +
    'on CIFAR-shaped random data: training and inference samples/s on the chosen TF.js backend,\n' +
    'warm-up batches excluded',
  options: [
    { flags: '--batches <n>', description: 'Timed batches', default: 20 },
    {
      flags: '--batch-size <n>',
      description: 'Samples per batch',
      default: DEFAULT_TRAINING.batchSize,
    },
    { flags: '--warmup <n>', description: 'Untimed batches first', default: 3 },
    BACKEND_FLAG,
    THREADS_FLAG,
    { flags: '--json', description: 'Print one JSON object as the last line' },
  ],
  examples: ['labkit bench train', 'labkit bench train --backend cpu --batches 3 --json'],
  async action(_args, options, io) {
    const batches = numberOption(options, 'batches', { min: 1, max: 100000, integer: true }) ?? 20;
    const batchSize =
      numberOption(options, 'batchSize', { min: 1, max: 65536, integer: true }) ??
      DEFAULT_TRAINING.batchSize;
    const warmupBatches =
      numberOption(options, 'warmup', { min: 0, max: 10000, integer: true }) ?? 3;
    const request = backendOption(options) ?? 'auto';
    const [nn, bench] = await Promise.all([loadNnCore(), loadNnCoreBench()]);
    const backend = await nn.initBackend(request, threadsOption(options));
    // Said once, before the timing starts: on stdout with the results, on stderr beside --json.
    (options.json ? io.stderr : io.stdout).write(`backend: ${nn.describeBackend(backend)}\n`);
    const progress = io.stderr.isTTY
      ? (phase: string, done: number, total: number) => {
          io.stderr.write(`\r${phase} batch ${done}/${total}   ${done === total ? '\n' : ''}`);
        }
      : undefined;
    const result = await bench.benchTrain({
      batches,
      batchSize,
      warmupBatches,
      ...(progress ? { onBatch: progress } : {}),
    });
    const { train, inference } = result;
    if (options.json) {
      const facts = {
        backend: backend.name,
        ...(backend.threads !== undefined ? { threads: backend.threads } : {}),
        ...(backend.kernelOverrides ? { kernelOverrides: backend.kernelOverrides } : {}),
        ...(backend.fallbackReason ? { fallbackReason: backend.fallbackReason } : {}),
        samplesPerSec: round(train.samplesPerSec),
        inferenceSamplesPerSec: round(inference.samplesPerSec),
        batchSize,
        batches,
        warmupBatches,
        trainMsPerBatch: {
          median: round(train.medianMs),
          min: round(train.minMs),
          max: round(train.maxMs),
        },
        inferenceMsPerBatch: {
          median: round(inference.medianMs),
          min: round(inference.minMs),
          max: round(inference.maxMs),
        },
      };
      io.stdout.write(`${JSON.stringify(facts)}\n`);
    } else {
      io.stdout.write(
        `batch size ${batchSize}, ${batches} timed batches after ${warmupBatches} warm-up\n`,
      );
      io.stdout.write(
        `training:  ${round(train.samplesPerSec)} samples/s  (ms per batch: median ${round(train.medianMs)}, min ${round(train.minMs)}, max ${round(train.maxMs)})\n`,
      );
      io.stdout.write(
        `inference: ${round(inference.samplesPerSec)} samples/s  (ms per batch: median ${round(inference.medianMs)}, min ${round(inference.minMs)}, max ${round(inference.maxMs)})\n`,
      );
    }
    return 0;
  },
});

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
