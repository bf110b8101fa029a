import { beforeAll, describe, expect, it } from 'vitest';
import { parseCifarBatch } from '../data/cifar10.js';
import { makeCifarBatch } from '../data/testing.js';
import { DEFAULT_SPEC } from '../model/spec.js';
import * as tf from '../tfjs.js';
import { formatOverfitResult, runOverfitCheck, unregularised } from './overfit.js';

const spec = { ...DEFAULT_SPEC, hidden: [64], dropout: 0.5, l2: 0.01, batchNorm: 'none' as const };
const ten = parseCifarBatch(makeCifarBatch(10, { seed: 5 }), 'generated');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('runOverfitCheck', () => {
  it('removes dropout and weight decay but keeps the architecture', () => {
    expect(unregularised(spec)).toEqual({ ...spec, dropout: 0, l2: 0 });
  });

  it('PASSes on 10 generated images and reports the numbers', async () => {
    const before = tf.memory().numTensors;
    const r = await runOverfitCheck({ spec, images: ten, maxSteps: 200, seed: 1 });
    expect(r.passed).toBe(true);
    expect(r.finalAccuracy === 1 || r.finalLoss < 0.01).toBe(true);
    expect(r.passedAtStep).toBeLessThanOrEqual(200);
    expect(r.steps).toBe(r.passedAtStep);
    // A fresh 10-class model starts near ln(10) = 2.303 (within the documented factor of 2).
    expect(r.initialLoss).toBeGreaterThan(Math.log(10) / 2);
    expect(r.initialLoss).toBeLessThan(Math.log(10) * 2);
    expect(r.inferenceAccuracy).toBe(1);
    expect(r.causes).toEqual([]);
    expect(formatOverfitResult(r)).toMatch(
      /^Overfit check: PASS — memorised 10 images in \d+ of 200 steps/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('FAILs with shuffled labels and a tiny step budget, and says why', async () => {
    // Random-noise images are nearly orthogonal, so even shuffled labels are memorised within a
    // couple of steps: the budget here is one step.
    const shuffled = {
      ...ten,
      labels: ten.labels.map((_, i) => ten.labels[(i + 3) % 10] as number),
    };
    const r = await runOverfitCheck({ spec, images: shuffled, maxSteps: 1, seed: 1 });
    expect(r.passed).toBe(false);
    expect(r.steps).toBe(1);
    const text = formatOverfitResult(r);
    expect(text).toMatch(/^Overfit check: FAIL — did not memorise 10 images within 1 step\b/);
    expect(text).toContain('Likely causes:');
    expect(text).toMatch(/labels that do not belong to their images/);
  });

  it('FAILs whatever the budget when the pipeline feeds one image under ten labels', async () => {
    // A data-loading bug: every record carries the same pixels. No model can beat 10% here.
    const same = { ...ten, images: ten.images.map((_, i) => ten.images[i % 3072] as number) };
    const r = await runOverfitCheck({ spec, images: same, maxSteps: 20, seed: 1 });
    expect(r.passed).toBe(false);
    expect(r.steps).toBe(20);
    expect(r.finalAccuracy).toBeLessThanOrEqual(0.2);
    // The best possible loss with one input and ten equally frequent labels is ln(10).
    expect(r.finalLoss).toBeGreaterThan(Math.log(10) - 0.01);
    expect(r.causes.join(' ')).toMatch(/labels that do not belong/);
  }, 60_000);

  it('FAILs, not crashes, when the loss diverges', async () => {
    const r = await runOverfitCheck({
      spec,
      images: ten,
      maxSteps: 30,
      seed: 1,
      optimizer: { kind: 'sgd', lr: 1e8, momentum: 0 },
    });
    expect(r.passed).toBe(false);
    expect(r.causes[0]).toMatch(/NaN\/Infinity: the learning rate is far too high/);
  });
});
