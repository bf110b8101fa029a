import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { BatchInfo, EpochMetrics, TrainContext } from './fit.js';
import { formatDuration, formatEpoch, progressCallback } from './progress.js';

function sink(isTTY: boolean) {
  const stream = new Writable({
    write(chunk, _enc, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string; isTTY: boolean };
  stream.text = '';
  stream.isTTY = isTTY;
  return stream;
}

const ctx = { epochs: 2, samplesPerEpoch: 100, stepsPerEpoch: 4 } as TrainContext;
const metrics: EpochMetrics = {
  epoch: 1,
  trainLoss: 1.23456,
  trainAccuracy: 0.5,
  valLoss: 1.5,
  valAccuracy: 0.4567,
  lr: 0.001,
  samplesPerSec: 512.4,
  seconds: 12.34,
  trainSeconds: 10,
  dataSeconds: 0.1,
};
const batch = (i: number): BatchInfo => ({
  epoch: 1,
  batch: i,
  batchesPerEpoch: 4,
  step: i + 1,
  size: 25,
  loss: 1.5,
  accuracy: 0.4,
  lr: 0.001,
});

describe('progress', () => {
  it('formats an epoch line and durations', () => {
    expect(formatEpoch(metrics, 20)).toBe(
      'epoch 1/20  train loss 1.2346 acc 50.00%  val loss 1.5000 acc 45.67%  lr 1.00e-3  512 samples/s  12.3s',
    );
    expect([formatDuration(5.4), formatDuration(125), formatDuration(3 * 3600 + 7 * 60)]).toEqual([
      '5s',
      '2m05s',
      '3h07m',
    ]);
  });

  it('prints a huge training loss in exponent form and a non-finite one as a word', () => {
    const line = formatEpoch(
      { ...metrics, trainLoss: 6.154253209099772e27, valLoss: Number.NaN },
      3,
    );
    expect(line).toContain('train loss 6.15e+27 acc');
    expect(line).toContain('val loss NaN acc');
  });

  it('draws a bar with samples/s and ETA on a terminal, and clears it before the epoch line', async () => {
    const lines = sink(false);
    const bar = sink(true);
    const cb = progressCallback({ lines, bar, intervalMs: 0 });
    cb.onEpochBegin?.(1, ctx);
    for (let i = 0; i < 4; i++) await cb.onBatchEnd?.(batch(i), ctx);
    cb.onEpochEnd?.(metrics, ctx);
    // Each redraw starts with carriage return + erase line; mark them as '|' to match the rest.
    const redraws = bar.text.replaceAll('\r\x1b[2K', '|');
    expect(redraws).toMatch(
      /\|epoch 1\/2 \[#{6}\.{18}\] 25\/100 {2}loss 1\.5000 {2}\d+ samples\/s {2}ETA \S+ \(run \S+\)/,
    );
    expect(bar.text).toContain('[########################] 100/100');
    expect(bar.text.endsWith('\r\x1b[2K')).toBe(true);
    expect(lines.text).toBe(`${formatEpoch(metrics, 2)}\n`);
  });

  it('prints only plain epoch lines when not on a terminal', async () => {
    const lines = sink(false);
    const bar = sink(false);
    const cb = progressCallback({ lines, bar, intervalMs: 0 });
    cb.onEpochBegin?.(1, ctx);
    for (let i = 0; i < 4; i++) await cb.onBatchEnd?.(batch(i), ctx);
    cb.onEpochEnd?.(metrics, ctx);
    expect(bar.text).toBe('');
    expect(lines.text).toBe(`${formatEpoch(metrics, 2)}\n`);
  });
});
