import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_FILES } from '../recipe/search.js';
import { SEARCH_SPACE, sampleTrials } from '../recipe/search-space.js';
import { rowShares } from './charts.js';
import { readSearchView, SearchFilesError } from './search-view.js';
import { searchSection } from './sections.js';
import { parseStepsCsv, StepsFileError, smoothStepLosses } from './step-losses.js';
import { mostConfusedPairs, topLosses } from './test-set-views.js';

describe('rowShares and mostConfusedPairs', () => {
  const confusion = [
    [5, 3, 2],
    [0, 0, 0],
    [1, 6, 3],
  ];
  it('normalises every row to sum 1 and keeps an empty row at 0', () => {
    const shares = rowShares(confusion);
    expect(shares[0]).toEqual([0.5, 0.3, 0.2]);
    expect(shares[1]).toEqual([0, 0, 0]);
    expect((shares[2] as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
  });
  it('lists the largest off-diagonal cells with their share of the true class', () => {
    expect(mostConfusedPairs(confusion, 2)).toEqual([
      { trueLabel: 2, predictedLabel: 1, count: 6, shareOfTrue: 0.6 },
      { trueLabel: 0, predictedLabel: 1, count: 3, shareOfTrue: 0.3 },
    ]);
  });
});

describe('topLosses', () => {
  it('keeps only mistakes, ranked by -ln p(true class), highest first', () => {
    const probabilities = [
      [0.7, 0.2, 0.1], // label 0: right
      [0.6, 0.3, 0.1], // label 1: wrong, p(true) 0.3
      [0.05, 0.9, 0.05], // label 2: wrong, p(true) 0.05
      [0.1, 0.1, 0.8], // label 2: right
    ];
    const ranked = topLosses(probabilities, [0, 1, 2, 2], 10);
    expect(ranked.map((t) => t.index)).toEqual([2, 1]);
    expect(ranked[0]).toEqual({
      index: 2,
      trueLabel: 2,
      predictedLabel: 1,
      loss: -Math.log(0.05),
      trueProbability: 0.05,
      predictedProbability: 0.9,
    });
    expect(topLosses(probabilities, [0, 1, 2, 2], 1)).toHaveLength(1);
  });
});

describe('steps.csv', () => {
  it('parses what training writes and smooths it as TensorBoard does', () => {
    const steps = parseStepsCsv('step,epoch,loss\n1,1,2\n2,1,1\n3,2,1\n', 'steps.csv');
    expect(steps).toEqual({ losses: [2, 1, 1], epochs: [1, 1, 2] });
    // Debiased EMA with weight 0.5: 2, (0.5*1 + 0.25*2... ) = (0.5*0.5*2*... )
    const s = smoothStepLosses(steps.losses, 0.5);
    expect(s[0]).toBe(2);
    expect(s[1]).toBeCloseTo((0.25 * 2 + 0.5 * 1) / 0.75, 15);
    // A constant series stays constant: the debiasing removes the pull towards 0.
    expect(smoothStepLosses([3, 3, 3, 3], 0.95).every((v) => Math.abs(v - 3) < 1e-12)).toBe(true);
  });
  it('names the file, line and column of a bad row', () => {
    expect(() => parseStepsCsv('step,epoch,loss\n1,1,2\n3,1,1\n', 'run/steps.csv')).toThrow(
      new StepsFileError("run/steps.csv:3: expected 'step,epoch,loss' with step 2, found '3,1,1'"),
    );
    expect(() => parseStepsCsv('step,epoch,loss\n1,1,abc\n', 'run/steps.csv')).toThrow(
      /run\/steps\.csv:2, column 3: the loss 'abc' is not a number/,
    );
    expect(() => parseStepsCsv('loss\n', 'run/steps.csv')).toThrow(
      /steps\.csv:1: expected the header/,
    );
  });
});

describe('readSearchView', () => {
  let dir = '';
  const trials = sampleTrials(4, 7, SEARCH_SPACE);
  const plan = [
    { images: 100, epochs: 1, trials: 4 },
    { images: 200, epochs: 1, trials: 2 },
  ];
  const outcome = (valAccuracy: number) => ({
    valAccuracy,
    valLoss: 2 - valAccuracy,
    trainLoss: 1,
    trainAccuracy: 0.5,
    seconds: 1,
    diverged: false,
  });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labkit-search-view-'));
    const first = [0.2, 0.35, 0.3, 0.1];
    const lines = [
      ...first.map((a, i) => ({
        trial: i + 1,
        rung: 0,
        images: 100,
        epochs: 1,
        params: trials[i],
        outcome: outcome(a),
      })),
      { trial: 2, rung: 1, images: 200, epochs: 1, params: trials[1], outcome: outcome(0.4) },
      { trial: 3, rung: 1, images: 200, epochs: 1, params: trials[2], outcome: outcome(0.45) },
    ];
    await writeFile(
      join(dir, SEARCH_FILES.trials),
      lines.map((l) => `${JSON.stringify(l)}\n`).join(''),
    );
    await writeFile(
      join(dir, SEARCH_FILES.best),
      JSON.stringify({ trial: 3, settings: { eta: 2, valImages: 50 }, plan }),
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('orders trials by rungs reached, then by score, and marks the finalists', async () => {
    const view = await readSearchView(dir);
    expect(view.trials.map((t) => t.trial)).toEqual([3, 2, 1, 4]);
    expect(view.trials.map((t) => t.finalist)).toEqual([true, true, false, false]);
    expect(view.trials[0]?.rungs.map((o) => o.valAccuracy)).toEqual([0.3, 0.45]);
    expect(view.bestTrial).toBe(3);
  });

  it('groups the first-rung score by each setting with more than one value', async () => {
    const view = await readSearchView(dir);
    for (const m of view.mattered) {
      expect(m.groups.length).toBeGreaterThan(1);
      expect(m.groups.reduce((n, g) => n + g.trials, 0)).toBe(4);
      const means = m.groups.map((g) => g.meanAccuracy);
      expect(means).toEqual([...means].sort((a, b) => b - a));
    }
    const lr = view.mattered.find((m) => m.parameter === 'lr');
    // Four distinct rates: few enough to list one by one.
    expect(lr?.groups.map((g) => g.value).sort()).toEqual(trials.map((t) => String(t.lr)).sort());
  });

  it('renders trials by rung: kept cells shaded, the winner in bold, one table per setting', async () => {
    const view = await readSearchView(dir);
    const html = searchSection(view);
    // Trial 3: kept after rung 1 (shaded), 45.0% in the last rung; trial 4 pruned after rung 1.
    expect(html).toContain(
      '<tr class="best"><td>3</td><td class="kept">30.0%</td><td class="">45.0%</td>',
    );
    expect(html).toContain('<tr><td>4</td><td class="">10.0%</td><td class="pruned"></td>');
    expect(html.match(/<table class="mattered">/g)).toHaveLength(view.mattered.length);
  });

  it('says which file is missing or broken', async () => {
    await expect(readSearchView(join(dir, 'nope'))).rejects.toThrow(SearchFilesError);
    const broken = await mkdtemp(join(tmpdir(), 'labkit-search-broken-'));
    await writeFile(
      join(broken, SEARCH_FILES.best),
      JSON.stringify({ trial: 1, settings: {}, plan }),
    );
    await writeFile(join(broken, SEARCH_FILES.trials), '{"trial":1,"rung":0}\n{oops\n');
    await expect(readSearchView(broken)).rejects.toThrow(
      /trials\.jsonl:1: expected trial, rung, params and outcome/,
    );
    await rm(broken, { recursive: true, force: true });
  });
});
