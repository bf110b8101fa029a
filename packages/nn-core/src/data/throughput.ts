import { type BatchOptions, batches } from './batches.js';
import type { ImageSet } from './cifar10-format.js';

export interface PipelineThroughput {
  imagesPerSec: number;
  batchesPerSec: number;
  /** Images and wall seconds of the timed epochs (the warm-up epoch is excluded). */
  images: number;
  seconds: number;
  /**
   * Images per second of this process's CPU time: unlike `imagesPerSec`, it hardly changes when
   * other processes compete for the cores.
   */
  imagesPerCpuSec: number;
}

/**
 * Measures how fast `batches` delivers `set` with `options`: one warm-up epoch (JIT), then whole
 * epochs until `minSeconds` have passed. For benchmarks and `labkit bench`, never for tests.
 */
export function pipelineThroughput(
  set: ImageSet,
  options: BatchOptions,
  {
    minSeconds = 3,
    now = () => performance.now(),
  }: { minSeconds?: number; now?: () => number } = {},
): PipelineThroughput {
  let checksum = 0;
  for (const batch of batches(set, { ...options, epoch: 0 })) checksum += batch.x[0] as number;
  let images = 0;
  let count = 0;
  const cpuStart = process.cpuUsage();
  const start = now();
  for (let epoch = 1; now() - start < minSeconds * 1000; epoch++) {
    for (const batch of batches(set, { ...options, epoch })) {
      images += batch.size;
      count++;
      checksum += batch.x[batch.x.length - 1] as number;
    }
  }
  const seconds = (now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Using the checksum keeps the engine from skipping work whose result is never read.
  if (Number.isNaN(checksum)) throw new Error('pipelineThroughput: the pipeline produced NaN');
  return {
    imagesPerSec: images / seconds,
    batchesPerSec: count / seconds,
    images,
    seconds,
    imagesPerCpuSec: cpuSeconds > 0 ? images / cpuSeconds : Number.NaN,
  };
}
