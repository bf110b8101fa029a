import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCifarBatch } from '../data/cifar10.js';
import { makeCifarBatch } from '../data/testing.js';
import { DEFAULT_SPEC } from '../model/spec.js';
import { readLrFind } from '../report/lr-find-view.js';
import * as tf from '../tfjs.js';
import { formatLrFind, runLrFinder, writeLrFindFiles } from './lr-find.js';
import { lrAtStep } from './lr-range.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('runLrFinder on generated images', () => {
  it('sweeps the rate geometrically, stops when the loss blows up, and suggests a rate inside the range', async () => {
    const images = parseCifarBatch(makeCifarBatch(64, { seed: 9 }), 'generated');
    const spec = { ...DEFAULT_SPEC, hidden: [32], batchNorm: 'none' as const, dropout: 0 };
    const range = { minLr: 1e-5, maxLr: 10, steps: 60 };
    const before = tf.memory().numTensors;
    const r = await runLrFinder({ spec, images, batchSize: 16, range, seed: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.lrs.length).toBe(r.losses.length);
    r.lrs.forEach((lr, i) => {
      expect(lr).toBeCloseTo(lrAtStep(range, i), 12);
    });
    // Adam at a rate of order 1 on unnormalised-scale logits blows up well before 10.
    expect(r.diverged).toBe(true);
    expect(r.lrs.length).toBeLessThan(60);
    expect(r.suggestion.steepest).toBeGreaterThan(1e-5);
    expect(r.suggestion.steepest).toBeLessThan(r.lrs[r.lrs.length - 1] as number);
    expect(r.suggestion.steepest).toBeLessThanOrEqual(r.suggestion.minimumLr);

    const dir = await mkdtemp(join(tmpdir(), 'labkit-lrfind-'));
    try {
      await writeLrFindFiles(dir, r);
      const csv = (await readFile(join(dir, 'lr-find.csv'), 'utf8')).trim().split('\n');
      expect(csv[0]).toBe('step,lr,loss,smoothed_loss');
      expect(csv).toHaveLength(r.lrs.length + 1);
      // The report reads the same numbers back, and marks both rates the CLI prints.
      const back = await readLrFind(dir);
      expect(back.lrs).toEqual(r.lrs);
      expect(back.losses).toEqual(r.losses);
      expect(back.suggestion).toEqual(r.suggestion);
      const svg = await readFile(join(dir, 'lr-find.svg'), 'utf8');
      expect(svg).toContain(`suggested ${r.suggestion.steepest.toExponential(1)}`);
      expect(svg).toContain(`minimum ${r.suggestion.minimumLr.toExponential(1)}`);
      expect(svg).toMatch(/^<svg/);
      const json = JSON.parse(await readFile(join(dir, 'lr-find.json'), 'utf8'));
      expect(json.suggestion.steepest).toBe(r.suggestion.steepest);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(formatLrFind(r)).toContain(
      `Suggested learning rate: ${r.suggestion.steepest.toExponential(2)}`,
    );
  }, 60_000);
});
