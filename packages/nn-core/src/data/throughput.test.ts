import { describe, expect, it } from 'vitest';
import { parseCifarBatch } from './cifar10.js';
import { makeCifarBatch } from './testing.js';
import { pipelineThroughput } from './throughput.js';

describe('pipelineThroughput', () => {
  it('counts whole epochs after the warm-up against the clock it is given', () => {
    const set = parseCifarBatch(makeCifarBatch(10), 'gen');
    let t = 0;
    // Each clock reading advances 100 ms. Start reads 100; the loop checks read 200 and 300
    // (100 and 200 ms elapsed: one epoch each) and 400 (300 ms: stop); the end reads 500: 0.4 s.
    const result = pipelineThroughput(
      set,
      {
        batchSize: 4,
        shuffle: true,
        seed: 1,
        augment: true,
        stats: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
      },
      { minSeconds: 0.25, now: () => (t += 100) },
    );
    expect(result.images).toBe(20);
    expect(result.seconds).toBeCloseTo(0.4, 9);
    expect(result.imagesPerSec).toBeCloseTo(50, 9);
    expect(result.batchesPerSec).toBeCloseTo(6 / 0.4, 9);
    // CPU time is real, not from the fake clock: only its sign and finiteness are predictable.
    expect(result.imagesPerCpuSec).toBeGreaterThan(0);
  });
});
