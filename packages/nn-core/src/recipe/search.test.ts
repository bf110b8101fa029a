import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCifarBatch } from '../data/cifar10.js';
import { makeCifarBatch } from '../data/testing.js';
import * as tf from '../tfjs.js';
import { RunFileError } from '../train/fs-errors.js';
import { parseConfigJson } from './recipe-file.js';
import {
  formatSearchTable,
  runSearch,
  SEARCH_DEFAULTS,
  SearchResumeError,
  type SearchSettings,
  searchCsv,
} from './search.js';
import { balancedOrder, searchData } from './search-data.js';
import { SEARCH_SPACE, type SearchSpace, sampleTrials, trialRecipe } from './search-space.js';
import type { TrialJob, TrialOutcome } from './search-trial.js';

const tinySpace: SearchSpace = {
  ...SEARCH_SPACE,
  hidden: [[16], [32], [16, 8]],
  batchSize: [16, 32],
  zcaEpsilon: [0],
};
// 200 generated images whose label is written into the first red pixel: learnable.
const images = parseCifarBatch(makeCifarBatch(200, { seed: 4 }), 'generated');
const settings: SearchSettings = {
  ...SEARCH_DEFAULTS,
  trials: 4,
  subset: 40,
  eta: 2,
  epochs: 2,
  valImages: 40,
  seed: 3,
  trainEpochs: 7,
  images: 200,
};
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
    const a = sampleTrials(300, 7);
    expect(sampleTrials(300, 7)).toEqual(a);
    expect(sampleTrials(300, 8)).not.toEqual(a);
    for (const t of a) {
      expect(t.lr).toBeGreaterThanOrEqual(SEARCH_SPACE.lr.min * 0.999);
      expect(t.lr).toBeLessThanOrEqual(SEARCH_SPACE.lr.max * 1.001);
      expect(SEARCH_SPACE.batchSize).toContain(t.batchSize);
      expect(SEARCH_SPACE.dropout).toContain(t.dropout);
      expect(t.hidden.length > 1 || t.bottleneck === 0).toBe(true);
    }
    const kinds = (f: (t: (typeof a)[number]) => unknown) => new Set(a.map(f)).size;
    expect(kinds((t) => t.hidden.join('x'))).toBe(SEARCH_SPACE.hidden.length);
    expect(kinds((t) => t.batchNorm)).toBe(3);
    expect(kinds((t) => t.augment)).toBe(3);
    expect(kinds((t) => t.zcaEpsilon)).toBe(SEARCH_SPACE.zcaEpsilon.length);
    expect(kinds((t) => t.schedule)).toBe(2);
    expect(Math.max(...a.flatMap((t) => t.hidden))).toBe(4096);
    const noDecay = a.filter((t) => t.l2 === 0).length / a.length;
    expect(noDecay).toBeGreaterThan(0.35);
    expect(noDecay).toBeLessThan(0.65);
  });
  it('turns a trial into a whole recipe with the bottleneck before the later layers', () => {
    const [t] = sampleTrials(1, 1);
    const p = {
      ...(t as NonNullable<typeof t>),
      hidden: [4096, 4096],
      bottleneck: 512,
      zcaEpsilon: 10,
      augment: 'crop-flip' as const,
    };
    const recipe = trialRecipe(p, 12);
    expect(recipe.spec.hidden).toEqual([4096, 4096]);
    expect(recipe.spec.bottleneck).toEqual([0, 512]);
    expect(recipe).toMatchObject({
      epochs: 12,
      batchSize: p.batchSize,
      augment: 'crop-flip',
      schedule: p.schedule,
      whitening: { kind: 'zca', epsilon: 10 },
    });
    expect(recipe.optimizer.lr).toBe(p.lr);
    expect(trialRecipe({ ...p, zcaEpsilon: 0, bottleneck: 0 }, 1).spec.bottleneck).toBeUndefined();
    expect(trialRecipe({ ...p, zcaEpsilon: 0 }, 1).whitening).toEqual({ kind: 'none' });
  });
});

describe('search data', () => {
  it('holds out a stratified validation set and orders the pool so that every prefix is balanced', () => {
    const data = searchData(images, 40, 3);
    expect(data.val.count).toBe(40);
    expect(data.pool.count).toBe(160);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 40; i++)
      counts[data.pool.labels[i] as number] = (counts[data.pool.labels[i] as number] as number) + 1;
    expect(counts).toEqual(new Array(10).fill(4));
    const order = balancedOrder([0, 0, 1, 1, 1, 2], 1);
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set([...order.slice(0, 3)].map((i) => [0, 0, 1, 1, 1, 2][i])).size).toBe(3);
  });
});

describe('runSearch on generated images', () => {
  it('prunes on growing data, ranks by accuracy and writes a recipe that train --config reads back whole', async () => {
    const r = await runSearch({ settings, images, outDir: join(root, 'a'), space: tinySpace });
    expect(r.plan).toEqual([
      { images: 40, epochs: 2, trials: 4 },
      { images: 80, epochs: 2, trials: 2 },
    ]);
    expect(r.valImages).toBe(40);
    const csv = (await readFile(r.files.csv, 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[1]).toMatch(/^1,\d+,finished,80,2,/);
    expect(csv.filter((l) => l.includes('pruned after rung 1'))).toHaveLength(2);
    // Within a status group, validation accuracy (column 6) never increases down the table.
    const rows = csv.slice(1).map((l) => l.split(','));
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]?.[2] === rows[i - 1]?.[2])
        expect(Number(rows[i]?.[5])).toBeLessThanOrEqual(Number(rows[i - 1]?.[5]));
    }
    const recipe = parseConfigJson(await readFile(r.files.recipe, 'utf8'), 'recipe.json');
    expect(recipe).toEqual(trialRecipe(r.best.trial, 7, { ...recipe, seed: 3 }));
    expect(recipe).toEqual(r.recipe);
    expect(recipe.epochs).toBe(7);
    const best = JSON.parse(await readFile(r.files.best, 'utf8'));
    expect(best.train).toBe(`labkit train --config ${r.files.recipe}`);
    expect(formatSearchTable(r.ranked, r.plan).split('\n')[0]).toMatch(/^rank\s+trial\s+hidden/);
    const lines = (await readFile(r.files.trials, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(6);
  }, 120_000);

  it('resumes a killed search: finished trials are kept and the final ranking is the same', async () => {
    const full = await runSearch({
      settings,
      images,
      outDir: join(root, 'full'),
      space: tinySpace,
    });
    const out = join(root, 'killed');
    let trained = 0;
    await expect(
      runSearch({
        settings,
        images,
        outDir: out,
        space: tinySpace,
        onTrialEnd() {
          if (++trained === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    // A kill in the middle of an append leaves half a line: it is dropped and that trial trains again.
    await readFile(join(out, 'trials.jsonl'), 'utf8').then((text) =>
      import('node:fs/promises').then((fs) =>
        fs.writeFile(join(out, 'trials.jsonl'), `${text}{"trial": 4, "rung"`),
      ),
    );
    let retrained = 0;
    const resumed = await runSearch({
      settings,
      images,
      outDir: out,
      space: tinySpace,
      resume: true,
      onTrialEnd(_job, _outcome, cached) {
        if (!cached) retrained++;
      },
    });
    expect(resumed.reused).toBe(3);
    expect(retrained).toBe(3);
    const strip = (csv: string) =>
      csv.split('\n').map((l) =>
        l
          .split(',')
          .filter((_, i) => i !== 9)
          .join(','),
      );
    expect(strip(searchCsv(resumed.ranked, resumed.plan))).toEqual(
      strip(searchCsv(full.ranked, full.plan)),
    );
    expect(resumed.recipe).toEqual(full.recipe);
    await expect(
      runSearch({
        settings: { ...settings, trials: 5 },
        images,
        outDir: out,
        space: tinySpace,
        resume: true,
      }),
    ).rejects.toThrow(SearchResumeError);
    await expect(
      runSearch({ settings, images, outDir: join(root, 'none'), resume: true }),
    ).rejects.toThrow(/no search to resume/);
  }, 240_000);
});

/**
 * A stand-in for training, so that resume bookkeeping can be tested at many stopping points in
 * milliseconds: the score follows the trial's learning rate and rung; trial 2 diverges.
 */
async function scoreByLr(job: TrialJob): Promise<TrialOutcome> {
  if (job.index === 1) {
    const nan = Number.NaN;
    return {
      valAccuracy: nan,
      valLoss: nan,
      trainLoss: nan,
      trainAccuracy: nan,
      seconds: 0,
      diverged: true,
    };
  }
  const acc = Math.min(0.99, job.params.lr * 200 + job.rung * 0.1);
  return {
    valAccuracy: acc,
    valLoss: 1 - acc,
    trainLoss: 1 - acc,
    trainAccuracy: acc,
    seconds: 0,
    diverged: false,
  };
}

describe('resuming a search', () => {
  const fast = { ...settings, trials: 6, eta: 2 };
  /** Runs a new search in `out` that is stopped (as by a kill) after `n` finished trials. */
  const stopAfter = async (out: string, n: number) => {
    let seen = 0;
    const stop = () => {
      if (++seen === n) throw new Error('killed');
    };
    await expect(
      runSearch({ settings: fast, images, outDir: out, runJob: scoreByLr, onTrialEnd: stop }),
    ).rejects.toThrow('killed');
  };
  const resume = (out: string, more: Partial<Parameters<typeof runSearch>[0]> = {}) =>
    runSearch({ settings: fast, images, outDir: out, runJob: scoreByLr, resume: true, ...more });

  it('gives the uninterrupted ranking from every stopping point, diverged trials included', async () => {
    const full = await runSearch({
      settings: fast,
      images,
      outDir: join(root, 'fast-full'),
      runJob: scoreByLr,
    });
    const jobs = full.plan.reduce((n, r) => n + r.trials, 0);
    for (let stop = 1; stop < jobs; stop++) {
      const out = join(root, `fast-${stop}`);
      await stopAfter(out, stop);
      const cachedLosses: number[] = [];
      const resumed = await resume(out, {
        onTrialEnd(job, outcome, cached) {
          if (cached && job.index === 1) cachedLosses.push(outcome.valLoss);
        },
      });
      expect(resumed.reused).toBe(stop);
      expect(searchCsv(resumed.ranked, resumed.plan)).toBe(searchCsv(full.ranked, full.plan));
      expect(resumed.recipe).toEqual(full.recipe);
      // JSON stores NaN as null: read back, the diverged trial's scores are NaN again.
      for (const loss of cachedLosses) expect(loss).toBeNaN();
    }
  });

  it('refuses other images of the same count, so trials never mix data', async () => {
    const out = join(root, 'other-images');
    await stopAfter(out, 2);
    const others = parseCifarBatch(makeCifarBatch(200, { seed: 5 }), 'generated');
    await expect(resume(out, { images: others })).rejects.toThrow(
      /are not the ones it started on .*resume with --data pointing at that data/,
    );
    // The same images (moved elsewhere, say) are accepted.
    expect((await resume(out)).reused).toBe(2);
  });

  it('names the file and the cause when a search file cannot be written', async () => {
    const out = join(root, 'unwritable');
    // best.json taken by a directory: the last write of the search fails.
    await mkdir(join(out, 'best.json'), { recursive: true });
    const error = await runSearch({ settings: fast, images, outDir: out, runJob: scoreByLr }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunFileError);
    expect((error as Error).message).toBe(
      `cannot write ${join(out, 'best.json')}: it is a directory, not a file`,
    );
  });

  it('refuses a trials.jsonl whose recipes are not the ones this version samples', async () => {
    const out = join(root, 'other-recipes');
    await stopAfter(out, 1);
    const path = join(out, 'trials.jsonl');
    const record = JSON.parse(await readFile(path, 'utf8'));
    record.params.lr *= 2;
    await writeFile(path, `${JSON.stringify(record)}\n`);
    await expect(resume(out)).rejects.toThrow(
      /trial 1 holds another recipe than this labkit samples for seed 3/,
    );
  });
});
