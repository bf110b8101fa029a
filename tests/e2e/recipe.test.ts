import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '@labkit/test-chromium';
import { describe, expect, it } from 'vitest';
import { writeCifarDir } from '../../packages/nn-core/dist/data/testing.js';
import { labkit, repoRoot } from './labkit.js';

const work = mkdtempSync(join(tmpdir(), 'labkit-recipe-e2e-'));
/** 200 generated training images (5 x 40) and 50 test images in the real binary format. */
const fakeData = writeCifarDir(join(work, 'cifar'), { trainPerBatch: 40, test: 50 });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) as string);

const realDir = process.env.LABKIT_CIFAR10_DIR ?? resolve(repoRoot, '../shared/data/cifar10');
const hasReal = existsSync(join(realDir, 'data_batch_1.bin'));
if (!hasReal)
  console.warn(
    `skipping the recipe tests on real CIFAR-10: no data in ${realDir} (set LABKIT_CIFAR10_DIR)`,
  );

/** Opens a page in headless Chromium; returns console errors/warnings, failed loads and page facts. */
async function checkPage(file: string, screenshot?: string, width = 1200) {
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));
    const external: string[] = [];
    page.on('request', (r) => {
      if (!/^(file|data):/.test(r.url())) external.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const facts = await page.evaluate(() => ({
      svgs: document.querySelectorAll('svg').length,
      images: Array.from(document.images).map((i) => (i.complete ? i.naturalWidth : -1)),
      diagnosis: document.querySelector('.diagnosis')?.textContent ?? '',
      /** The row-normalised confusion matrix's cells, as each cell labels itself. */
      shareCells: Array.from(
        document.querySelectorAll('.cm-shares path[aria-label^="true "]'),
        (c) => c.getAttribute('aria-label') ?? '',
      ),
      topLosses: Array.from(document.querySelectorAll<HTMLElement>('.top-losses figure'), (f) => ({
        index: Number(f.dataset.index),
        trueLabel: Number(f.dataset.true),
        pTrue: Number(f.dataset.pTrue),
        loss: Number(f.dataset.loss),
      })),
      /** Lines drawn per plot (vega draws one line mark per series). */
      linesPerPlot: Object.fromEntries(
        Array.from(document.querySelectorAll<HTMLElement>('figure[data-plot]'), (f) => [
          f.dataset.plot,
          f.querySelectorAll('g.mark-line path').length,
        ]),
      ),
      legend: Array.from(
        document.querySelectorAll(
          'figure[data-plot="compare-val-loss.svg"] .role-legend-label text',
        ),
        (t) => t.textContent,
      ),
      horizontalOverflow:
        document.documentElement.scrollWidth - document.documentElement.clientWidth,
    }));
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return { problems, external, ...facts };
  } finally {
    await browser.close();
  }
}

describe('the recipe commands on generated data', { timeout: 300_000 }, () => {
  it('train --overfit 10 PASSes with exit 0 and a JSON summary', () => {
    const r = labkit([
      'train',
      '--overfit',
      '10',
      '--data',
      fakeData,
      '--partial-data',
      '--hidden',
      '64',
      '--backend',
      'cpu',
      '--json',
    ]);
    expect(r.stderr).toMatch(/backend: cpu/);
    expect(r.stderr).toMatch(/Overfit check: PASS — memorised 10 images in \d+ of 300 steps/);
    expect(r.status).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ backend: 'cpu', passed: true, images: 10 });
  });

  it('train --overfit FAILs with exit 1 and likely causes when the budget is too small', () => {
    const r = labkit([
      'train',
      '--overfit',
      '10',
      '--overfit-steps',
      '1',
      '--data',
      fakeData,
      '--partial-data',
      '--hidden',
      '64',
      '--backend',
      'cpu',
    ]);
    expect(r.stdout).toMatch(/Overfit check: FAIL — did not memorise 10 images within 1 step /);
    expect(r.stdout).toContain('Likely causes:');
    expect(r.status).toBe(1);
  });

  it('lr-find writes its plot and suggests a rate inside the swept range', () => {
    const out = join(work, 'lr');
    const r = labkit([
      'lr-find',
      '--data',
      fakeData,
      '--partial-data',
      '--images',
      '100',
      '--batch-size',
      '20',
      '--steps',
      '40',
      '--min-lr',
      '1e-5',
      '--max-lr',
      '10',
      '--hidden',
      '32',
      '--backend',
      'cpu',
      '--out',
      out,
      '--json',
    ]);
    expect(r.status).toBe(0);
    const result = lastJson(r.stdout);
    expect(result.suggestedLr).toBeGreaterThan(1e-5);
    expect(result.suggestedLr).toBeLessThan(10);
    expect(r.stderr).toMatch(/Suggested learning rate: /);
    for (const f of ['lr-find.svg', 'lr-find.csv', 'lr-find.json'])
      expect(existsSync(join(out, f))).toBe(true);
  });

  it('search gives the same table with 2 worker processes as with 1; train --config recipe.json reproduces the winner', () => {
    const args = [
      'search',
      '--data',
      fakeData,
      '--partial-data',
      '--subset',
      '40',
      '--val-images',
      '40',
      '--trials',
      '4',
      '--epochs',
      '1',
      '--eta',
      '2',
      '--train-epochs',
      '2',
      '--seed',
      '5',
    ];
    const one = labkit([...args, '--out', join(work, 's1'), '--json']);
    expect(one.status).toBe(0);
    expect(one.stderr).toMatch(/rank\s+trial\s+hidden\s+neck\s+bn/);
    const recipePath = join(work, 's1', 'recipe.json');
    expect(one.stderr).toContain(`train it on the full data: labkit train --config ${recipePath}`);
    // Each trial's time is its wall time, with the part its training took (not training alone).
    const trialLines = one.stderr.split('\n').filter((line) => /^ {2}\[\d+\] rung/.test(line));
    expect(trialLines.length).toBeGreaterThan(0);
    for (const line of trialLines) {
      const [, wall, training] =
        line.match(/ in (\d+) s wall time \((\d+) s training and scoring\)$/) ?? [];
      expect(Number(wall), line).toBeGreaterThanOrEqual(Number(training));
    }
    // A search directory is not a training run: train --resume says what it is and what works.
    const wrongKind = labkit(['train', '--resume', join(work, 's1')]);
    expect(wrongKind.status).toBe(2);
    expect(wrongKind.stderr).toContain(
      `${join(work, 's1')} is a search directory (labkit search), not a training run`,
    );
    const two = labkit([...args, '--out', join(work, 's2'), '--workers', '2']);
    expect(two.status).toBe(0);
    const learned = (dir: string) =>
      readFileSync(join(work, dir, 'search.csv'), 'utf8')
        .trim()
        .split('\n')
        .map((l) =>
          l
            .split(',')
            .filter((_, i) => i !== 9)
            .join(','),
        );
    expect(learned('s2')).toEqual(learned('s1'));
    expect(learned('s1')).toHaveLength(5);

    // The recipe file alone (no other flag but data and output) reproduces the winner's whole recipe.
    const recipe = JSON.parse(readFileSync(recipePath, 'utf8'));
    expect(recipe.labkit).toBe('recipe');
    const runDir = join(work, 'best-run');
    const train = labkit([
      'train',
      '--config',
      recipePath,
      '--data',
      fakeData,
      '--partial-data',
      '--out',
      runDir,
      '--json',
    ]);
    expect(train.status).toBe(0);
    const { labkit: _mark, ...fields } = recipe;
    expect(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).config).toEqual({
      ...fields,
      test: true,
      partialData: true,
    });
    // The diagnosis is printed after every train run; diagnose RUN_DIR gives the same verdict.
    expect(train.stderr).toMatch(/^Diagnosis: [A-Z ]+$/m);
    const verdict = lastJson(train.stdout).verdict;
    const diagnose = labkit(['diagnose', runDir, '--json']);
    expect(diagnose.status).toBe(0);
    expect(lastJson(diagnose.stdout)).toMatchObject({ verdict, epochs: 2 });

    // Flags on top override single fields, a bare --batchnorm included.
    const noBn = join(work, 'no-bn.json');
    writeFileSync(
      noBn,
      JSON.stringify({ ...recipe, spec: { ...recipe.spec, batchNorm: 'none' }, epochs: 1 }),
    );
    const over = join(work, 'override-run');
    const r = labkit([
      'train',
      '--config',
      noBn,
      '--batchnorm',
      '--lr',
      '0.002',
      '--data',
      fakeData,
      '--partial-data',
      '--out',
      over,
      '--json',
    ]);
    expect(r.status).toBe(0);
    const config = JSON.parse(readFileSync(join(over, 'run.json'), 'utf8')).config;
    expect(config.spec).toEqual({ ...recipe.spec, batchNorm: 'before' });
    expect(config.optimizer).toEqual({ ...recipe.optimizer, lr: 0.002 });
    expect(config.epochs).toBe(1);
    expect(config.whitening).toEqual(recipe.whitening);
    // Five processes each fit ZCA (a 3072x3072 eigendecomposition, about 45 s of CPU here on a
    // loaded 2-core machine) when a trial or the winner whitens: about 4 min of CPU in all, which the
    // README's `pnpm test` shares with the other packages' tests (a fresh-machine run took 12 min).
  }, 900_000);

  it('a ZCA-whitened run stores its whitening in the model: eval and predict score the test set as training did', () => {
    const runDir = join(work, 'zca-run');
    const train = labkit([
      'train',
      '--data',
      fakeData,
      '--partial-data',
      '--whiten',
      'zca',
      '--zca-epsilon',
      '5',
      '--hidden',
      '32',
      '--epochs',
      '2',
      '--out',
      runDir,
      '--json',
    ]);
    expect(train.status).toBe(0);
    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    expect(record.config.whitening).toEqual({ kind: 'zca', epsilon: 5 });
    const header = JSON.parse(readFileSync(join(runDir, 'whitening.json'), 'utf8'));
    // Fitted on the training split only: 200 images minus the 10% validation split.
    expect(header).toMatchObject({ kind: 'zca', epsilon: 5, images: 180, size: 3072 });
    const evaluation = lastJson(labkit(['eval', runDir, '--json']).stdout);
    expect(evaluation.accuracy).toBe(record.testAccuracy);
    expect(evaluation.loss).toBeCloseTo(record.testLoss, 6);
    const predict = labkit(['predict', runDir, join(fakeData, 'test_batch.bin')]);
    expect(predict.stdout.trim().split('\n').at(-1)).toBe(
      `accuracy ${(record.testAccuracy * 100).toFixed(2)}% on 50 records`,
    );
  });

  it('refuses bad input with clear errors', () => {
    const usage = labkit([
      'search',
      '--data',
      fakeData,
      '--partial-data',
      '--subset',
      '150',
      '--val-images',
      '100',
    ]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain(
      '--subset 150 plus --val-images 100 exceed the 200 training images',
    );
    const resume = labkit(['search', '--data', fakeData, '--resume', join(work, 'no-search')]);
    // Whole CIFAR-10 files are required unless --partial-data says otherwise.
    const partial = labkit(['search', '--data', fakeData, '--subset', '40', '--val-images', '40']);
    expect(partial.status).toBe(1);
    expect(partial.stderr).toMatch(
      /holds 40 records; every CIFAR-10 batch file holds exactly 10000/,
    );
    expect(resume.status).toBe(2);
    expect(resume.stderr).toMatch(/no-search: no such directory/);
    const missing = labkit(['diagnose', join(work, 'no-such-run')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no-such-run does not exist/);
    const notRun = labkit(['diagnose', fakeData]);
    expect(notRun.status).toBe(2);
    expect(notRun.stderr).toMatch(/is not a labkit run directory \(no run\.json\)/);
    const noArg = labkit(['report']);
    expect(noArg.status).toBe(2);
  });
});

describe.skipIf(!hasReal)('the recipe on real CIFAR-10 images', { timeout: 600_000 }, () => {
  it('the overfit check PASSes on 10 real images', () => {
    const r = labkit(['train', '--overfit', '10', '--data', realDir]);
    expect(r.stdout).toMatch(/Overfit check: PASS/);
    expect(r.status).toBe(0);
  });

  it('the overfit check FAILs on a broken pipeline: labels shifted by one record, one-step budget', () => {
    // The first 10 real records with each label moved to the next image (a misaligned label file).
    const bytes = readFileSync(join(realDir, 'data_batch_1.bin')).subarray(0, 10 * 3073);
    const broken = Buffer.from(bytes);
    for (let i = 0; i < 10; i++) broken[i * 3073] = bytes[((i + 1) % 10) * 3073] as number;
    const dir = join(work, 'broken');
    mkdirSync(dir, { recursive: true });
    for (const name of [
      'data_batch_1.bin',
      'data_batch_2.bin',
      'data_batch_3.bin',
      'data_batch_4.bin',
      'data_batch_5.bin',
      'test_batch.bin',
    ]) {
      writeFileSync(join(dir, name), broken);
    }
    const r = labkit([
      'train',
      '--overfit',
      '10',
      '--overfit-steps',
      '1',
      '--data',
      dir,
      '--partial-data',
    ]);
    expect(r.stdout).toMatch(/Overfit check: FAIL/);
    expect(r.stdout).toMatch(/labels that do not belong to their images/);
    expect(r.status).toBe(1);
  });

  it('a short real run gets a report that renders in Chromium with no console errors', async () => {
    const runDir = join(work, 'real-run');
    const trainArgs = ['--data', realDir, '--train-limit', '2000', '--hidden', '128'];
    const train = labkit(['train', ...trainArgs, '--epochs', '3', '--out', runDir]);
    expect(train.status).toBe(0);
    expect(train.stdout).toMatch(/^Diagnosis: /m);
    // Every optimizer step's loss: 1,800 training images in batches of 128 = 15 steps per epoch.
    const steps = readFileSync(join(runDir, 'steps.csv'), 'utf8').trim().split('\n');
    expect(steps).toHaveLength(3 * 15 + 1);
    const lrDir = join(work, 'real-lr-find');
    const lrFind = labkit([
      'lr-find',
      '--data',
      realDir,
      '--images',
      '500',
      '--steps',
      '30',
      '--hidden',
      '128',
      '--out',
      lrDir,
      '--json',
    ]);
    expect(lrFind.status).toBe(0);
    const report = labkit(['report', runDir, '--misclassified', '20', '--lr-find', lrDir]);
    expect(report.status).toBe(0);
    for (const f of [
      'report.html',
      'loss.svg',
      'accuracy.svg',
      'lr.svg',
      'confusion.svg',
      'confusion-counts.svg',
      'per-class.svg',
      'lr-find.svg',
    ]) {
      expect(existsSync(join(runDir, f))).toBe(true);
    }
    const shots = process.env.LABKIT_REPORT_SHOTS;
    const page = await checkPage(
      join(runDir, 'report.html'),
      shots ? join(shots, 'report-run-1280.png') : undefined,
      1280,
    );
    expect(page.problems).toEqual([]);
    expect(page.external).toEqual([]);
    expect(page.svgs).toBe(7);
    expect(page.images).toEqual(Array(20).fill(32));
    expect(page.diagnosis.length).toBeGreaterThan(20);
    expect(page.horizontalOverflow).toBe(0);
    // The loss plot draws every step, its smoothed curve and the validation loss.
    expect(page.linesPerPlot['loss.svg']).toBe(3);
    // The lr-find plot marks the steepest fall and the minimum the CLI printed.
    const printed = lastJson(lrFind.stdout);
    const lrSvg = readFileSync(join(runDir, 'lr-find.svg'), 'utf8');
    expect(lrSvg).toContain(`suggested ${printed.suggestedLr.toExponential(1)}`);
    expect(lrSvg).toContain(`minimum ${printed.minimumLr.toExponential(1)}`);

    // Row-normalised confusion matrix: 100 cells, each row's shares sum to 1, counts match evaluation.json.
    const evaluation = JSON.parse(readFileSync(join(runDir, 'evaluation.json'), 'utf8'));
    const cells = page.shareCells.map((label) => {
      const m = label.match(/^true (\w+), predicted (\w+): (\d+) images, share (.+)$/);
      expect(m, label).not.toBeNull();
      return { truth: m?.[1], count: Number(m?.[3]), share: Number(m?.[4]) };
    });
    expect(cells).toHaveLength(100);
    for (const [t, name] of (evaluation.classes as string[]).entries()) {
      const row = cells.filter((c) => c.truth === name);
      expect(row.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 12);
      expect(row.map((c) => c.count)).toEqual(evaluation.confusion[t]);
    }

    // Top losses: misclassified, highest loss first, p(true class) = the saved model's softmax.
    const nn = await import('../../packages/nn-core/dist/index.js');
    await nn.initBackend('cpu');
    const test = await nn.loadCifar10(realDir, 'test');
    const shown = page.topLosses;
    const subset = {
      count: shown.length,
      labels: Uint8Array.from(shown.map((s) => test.labels[s.index] as number)),
      images: new Uint8Array(
        shown.flatMap((s) => [...test.images.subarray(s.index * 3072, (s.index + 1) * 3072)]),
      ),
    };
    const trained = await nn.loadTrainedModel(join(runDir, 'model'));
    const softmax = nn.predictProbabilities(trained, subset);
    trained.model.dispose();
    shown.forEach((s, k) => {
      const p = softmax[k] as Float32Array;
      expect(s.trueLabel).toBe(subset.labels[k]);
      expect(p.indexOf(Math.max(...p))).not.toBe(s.trueLabel);
      expect(s.pTrue).toBeCloseTo(p[s.trueLabel] as number, 5);
      expect(s.loss).toBeCloseTo(-Math.log(s.pTrue), 9);
      if (k > 0) expect(s.loss).toBeLessThanOrEqual(shown[k - 1]?.loss as number);
    });

    // On a 390 px phone nothing makes the page scroll sideways.
    const phone = await checkPage(
      join(runDir, 'report.html'),
      shots ? join(shots, 'report-run-390.png') : undefined,
      390,
    );
    expect(phone.problems).toEqual([]);
    expect(phone.horizontalOverflow).toBe(0);

    // Two runs overlaid: one line per run in every chart, a legend by run name.
    const otherDir = join(work, 'real-run-lr');
    const other = labkit([
      'train',
      ...trainArgs,
      '--epochs',
      '2',
      '--lr',
      '0.003',
      '--out',
      otherDir,
    ]);
    expect(other.status).toBe(0);
    const compareDir = join(work, 'compare');
    const compare = labkit(['report', runDir, otherDir, '--out', compareDir]);
    expect(compare.status).toBe(0);
    const overlay = await checkPage(
      join(compareDir, 'report.html'),
      shots ? join(shots, 'report-compare-1280.png') : undefined,
      1280,
    );
    expect(overlay.problems).toEqual([]);
    expect(overlay.linesPerPlot).toEqual({
      'compare-train-loss.svg': 2,
      'compare-val-loss.svg': 2,
      'compare-val-accuracy.svg': 2,
    });
    expect(overlay.legend).toEqual(['real-run', 'real-run-lr']);
    if (shots)
      await checkPage(join(compareDir, 'report.html'), join(shots, 'report-compare-390.png'), 390);
  });
});
