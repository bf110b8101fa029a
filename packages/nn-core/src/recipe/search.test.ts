import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCifarBatch } from '../data/cifar10.js';
import { makeCifarBatch } from '../data/testing.js';
import { parseSpecJson } from '../model/spec.js';
import * as tf from '../tfjs.js';
import {
  formatSearchTable,
  outcomeOf,
  runSearch,
  SEARCH_SPACE,
  type SearchSpace,
  sampleTrials,
  trialSpec,
} from './search.js';

const tinySpace: SearchSpace = {
  ...SEARCH_SPACE,
  hidden: [[16], [32], [16, 8]],
  batchSize: [16, 32],
};
// 100 generated images whose label is written into the first red pixel: learnable.
const subset = parseCifarBatch(makeCifarBatch(100, { seed: 4 }), 'generated');
let root = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'labkit-search-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('sampleTrials', () => {
  it('is seeded, stays inside the space, and covers it', () => {
    const a = sampleTrials(200, 7);
    expect(sampleTrials(200, 7)).toEqual(a);
    expect(sampleTrials(200, 8)).not.toEqual(a);
    for (const t of a) {
      expect(t.lr).toBeGreaterThanOrEqual(SEARCH_SPACE.lr.min * 0.999);
      expect(t.lr).toBeLessThanOrEqual(SEARCH_SPACE.lr.max * 1.001);
      expect(SEARCH_SPACE.batchSize).toContain(t.batchSize);
      expect(SEARCH_SPACE.dropout).toContain(t.dropout);
      expect(t.l2 === 0 || (t.l2 >= 1e-5 * 0.999 && t.l2 <= 1e-3 * 1.001)).toBe(true);
    }
    expect(new Set(a.map((t) => t.hidden.join('x'))).size).toBe(SEARCH_SPACE.hidden.length);
    expect(new Set(a.map((t) => t.batchNorm)).size).toBe(2);
    // About a third without weight decay; log-uniform rates: about half below the geometric midpoint.
    const noDecay = a.filter((t) => t.l2 === 0).length / a.length;
    expect(noDecay).toBeGreaterThan(0.2);
    expect(noDecay).toBeLessThan(0.47);
    const mid = Math.sqrt(SEARCH_SPACE.lr.min * SEARCH_SPACE.lr.max);
    const below = a.filter((t) => t.lr < mid).length / a.length;
    expect(below).toBeGreaterThan(0.35);
    expect(below).toBeLessThan(0.65);
  });
  it('turns a trial into a valid model spec', () => {
    const spec = trialSpec({
      lr: 1e-3,
      batchSize: 64,
      hidden: [512, 256],
      dropout: 0.3,
      l2: 1e-4,
      batchNorm: 'none',
    });
    expect(spec).toMatchObject({
      hidden: [512, 256],
      dropout: 0.3,
      l2: 1e-4,
      batchNorm: 'none',
      inputSize: 3072,
      classes: 10,
    });
  });
});

describe('outcomeOf', () => {
  const epoch = (e: number, valLoss: number, valAccuracy: number) => ({
    epoch: e,
    trainLoss: 1,
    trainAccuracy: 0.5,
    valLoss,
    valAccuracy,
    lr: 1e-3,
    samplesPerSec: 1,
    seconds: 1,
    trainSeconds: 1,
    dataSeconds: 0,
  });
  // Epoch 2 has the lowest loss, epoch 3 the highest accuracy (a miscalibrated but better model).
  const history = [epoch(1, 2.0, 0.3), epoch(2, 1.8, 0.35), epoch(3, 2.4, 0.41)];
  it('ranks by the best validation loss by default', () => {
    expect(outcomeOf(history, 1, false)).toMatchObject({
      score: 1.8,
      bestEpoch: 2,
      valLoss: 1.8,
      valAccuracy: 0.35,
    });
  });
  it('or by the best validation accuracy (score = minus accuracy)', () => {
    expect(outcomeOf(history, 1, false, 'accuracy')).toMatchObject({
      score: -0.41,
      bestEpoch: 3,
      valAccuracy: 0.41,
    });
  });
  it('scores a diverged trial +Infinity', () => {
    expect(outcomeOf(history, 1, true).score).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('runSearch on generated images', () => {
  it('prunes, ranks, writes search.csv and a best spec that train --config accepts, reproducibly', async () => {
    const run = (out: string) =>
      runSearch({
        subset,
        trials: 4,
        seed: 3,
        outDir: join(root, out),
        minEpochs: 1,
        maxEpochs: 4,
        eta: 2,
        space: tinySpace,
      });
    const r = await run('a');
    expect(r.plan).toEqual([
      { epochs: 1, trials: 4 },
      { epochs: 2, trials: 2 },
      { epochs: 4, trials: 1 },
    ]);
    expect(r.trainImages + r.valImages).toBe(100);
    expect(r.valImages).toBe(20);
    expect(r.best.epochs).toBe(4);
    expect(r.best.outcome?.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(r.best.outcome?.bestEpoch).toBeLessThanOrEqual(4);
    const csv = (await readFile(r.files.csv, 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[1]).toMatch(/^1,\d+,.*,4,finished,/);
    expect(csv.filter((l) => l.includes('pruned after rung 1'))).toHaveLength(2);
    expect(csv.filter((l) => l.includes('pruned after rung 2'))).toHaveLength(1);
    // Rows are sorted: within each status group, val_loss (column 12) never decreases.
    const rows = csv.slice(1).map((l) => l.split(','));
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]?.[9] === rows[i - 1]?.[9])
        expect(Number(rows[i]?.[11])).toBeGreaterThanOrEqual(Number(rows[i - 1]?.[11]));
    }
    const spec = parseSpecJson(await readFile(r.files.bestSpec, 'utf8'), 'best-spec.json');
    expect(spec.hidden).toEqual(r.best.trial.hidden);
    const best = JSON.parse(await readFile(r.files.best, 'utf8'));
    expect(best.train).toBe(
      `labkit train --config ${r.files.bestSpec} --lr ${r.best.trial.lr} --batch-size ${r.best.trial.batchSize}`,
    );
    const table = formatSearchTable(r.ranked, r.plan.length - 1);
    expect(table.split('\n')[0]).toMatch(/^rank\s+trial\s+lr/);

    const again = await run('b');
    const strip = (text: string) =>
      text.split('\n').map((l) => l.split(',').slice(0, -1).join(','));
    expect(strip(await readFile(again.files.csv, 'utf8'))).toEqual(
      strip(await readFile(r.files.csv, 'utf8')),
    );
  }, 120_000);
});
