/**
 * The docs site's in-browser recipe pages in headless Chromium, on the wasm backend: the training
 * page runs the overfit check (the same numbers as `labkit train --overfit 10`) and a few epochs
 * with a curve point per epoch and accuracy above chance; the model page classifies an image with
 * a model from a real `labkit train` run, with `labkit predict`'s probabilities.
 *
 * Needs the built site (`pnpm build`) and real CIFAR-10 (LABKIT_CIFAR10_DIR, else
 * ../shared/data/cifar10 beside the repository); skips with the reason when the data is absent.
 * LABKIT_DOCS_SHOTS=<dir> saves screenshots at 1280 and 390 px.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from '@labkit/test-chromium';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rgbToPngDataUri } from '../../packages/nn-core/dist/report/png.js';
import { serveStatic } from './docs-server.js';
import { labkit, repoRoot } from './labkit.js';
import { collectProblems } from './page-problems.js';

const siteDir = resolve(repoRoot, 'apps/docs/.vitepress/dist');
const shotsDir = process.env.LABKIT_DOCS_SHOTS;
const dataDir = process.env.LABKIT_CIFAR10_DIR || resolve(repoRoot, '../shared/data/cifar10');
const hasData =
  existsSync(join(dataDir, 'data_batch_1.bin')) && existsSync(join(dataDir, 'test_batch.bin'));
if (!hasData)
  console.warn(
    `skipping the in-browser recipe tests: no CIFAR-10 in ${dataDir} (set LABKIT_CIFAR10_DIR)`,
  );

const RECORD = 3073;
const work = mkdtempSync(join(tmpdir(), 'labkit-in-browser-'));
let server: Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  if (!hasData) return;
  if (!existsSync(join(siteDir, 'training/in-browser.html')))
    throw new Error(
      `the docs site is not built (no ${siteDir}/training/in-browser.html): run 'pnpm build' first`,
    );
  ({ server, baseUrl } = await serveStatic(siteDir));
  browser = await launchChromium();
  if (shotsDir) mkdirSync(shotsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise((done) => server.close(done));
  rmSync(work, { recursive: true, force: true });
});

/** A page that collects console errors and uncaught exceptions. */
async function openPage(path: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems = collectProblems(page);
  await page.goto(new URL(path, baseUrl).href, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() =>
    Boolean((document.querySelector('#app') as { __vue_app__?: unknown } | null)?.__vue_app__),
  );
  return { page, problems };
}

/** Screenshots of the page as it is now, at 1280 and 390 px wide. */
async function shoot(page: Page, name: string): Promise<void> {
  if (!shotsDir) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(shotsDir, `browser-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A CIFAR-10 test record as a PNG twice its size (nearest neighbour), so the page must resize it. */
function pngOfTestImage(index: number): Buffer {
  const batch = readFileSync(join(dataDir, 'test_batch.bin'));
  const chw = batch.subarray(index * RECORD + 1, (index + 1) * RECORD);
  const side = 64;
  const big = new Uint8Array(side * side * 3);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++)
        big[c * side * side + y * side + x] = chw[c * 1024 + (y >> 1) * 32 + (x >> 1)] as number;
  const uri = rgbToPngDataUri(big, side, side, 'chw');
  return Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64');
}

describe.skipIf(!hasData)(
  'the recipe in the browser (headless Chromium, wasm)',
  { timeout: 600_000 },
  () => {
    it('passes the overfit check as labkit train --overfit 10 does, then trains with a curve point per epoch', async () => {
      const cli = labkit([
        'train',
        '--overfit',
        '10',
        '--data',
        dataDir,
        '--backend',
        'wasm',
        '--json',
      ]);
      expect(cli.status, cli.stderr).toBe(0);
      const expected = JSON.parse(cli.stdout.trim().split('\n').at(-1) as string);

      const { page, problems } = await openPage('/training/in-browser.html');
      const manifest = await (
        await page.request.get(new URL('/cifar10-sample.json', baseUrl).href)
      ).json();
      if (!manifest.available) {
        // A site built without the data: the page offers a file picker for the user's own batch.
        await expect(page.getByTestId('no-sample').textContent()).resolves.toContain('no CIFAR-10');
        await page.getByTestId('batch-file').setInputFiles(join(dataDir, 'data_batch_1.bin'));
      }
      const epochs = 3;
      await page.getByTestId('train-images').fill('1000');
      await page.getByTestId('epochs').fill(String(epochs));
      await page.getByTestId('run').click();

      await page.getByTestId('overfit-verdict').waitFor({ timeout: 300_000 });
      expect(await page.getByTestId('overfit-verdict').textContent()).toContain('PASS');
      expect(await page.getByTestId('backend').textContent()).toMatch(
        /Backend: wasm, 1 thread, labkit's kernels for \w+/,
      );
      const report = (await page.getByTestId('overfit-report').textContent()) ?? '';
      // The same check, the same code, the same wasm kernels: the same steps and losses.
      expect(report).toContain(`memorised 10 images in ${expected.passedAtStep} of 300 steps`);
      expect(report).toContain(
        `training loss ${expected.initialLoss.toFixed(4)} -> ${expected.finalLoss.toFixed(4)}`,
      );

      // A live run: the batch counter moves before the first epoch ends.
      await page.getByTestId('batch').waitFor({ timeout: 120_000 });
      await page
        .locator('[data-testid=epochs] tbody tr')
        .nth(epochs - 1)
        .waitFor({ timeout: 600_000 });
      await page.getByTestId('diagnosis').waitFor({ timeout: 60_000 });

      for (const chart of ['loss', 'accuracy']) {
        for (const series of ['train', 'val']) {
          const points = page.locator(`[data-chart=${chart}] .series.${series} circle`);
          expect(await points.count()).toBe(epochs);
          const numbers = await points.evaluateAll((cs) =>
            cs.map((c) => Number(c.getAttribute('data-epoch'))),
          );
          expect(numbers).toEqual([1, 2, 3]);
        }
      }
      const valAccuracy = await page
        .locator('[data-val-accuracy]')
        .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-val-accuracy'))));
      expect(valAccuracy).toHaveLength(epochs);
      // Chance is 10%; 1,000 validation images put 15% five standard errors above it.
      expect(Math.max(...valAccuracy)).toBeGreaterThan(0.15);
      const diagnosis = (await page.getByTestId('diagnosis').textContent()) ?? '';
      expect(diagnosis.length).toBeGreaterThan(20);
      expect(problems).toEqual([]);
      await shoot(page, 'training');
      await page.close();
    });

    it("classifies a dropped image with a labkit train run's model, with labkit predict's probabilities", async () => {
      const run = join(work, 'run');
      const trained = labkit([
        'train',
        '--data',
        dataDir,
        '--train-limit',
        '500',
        '--epochs',
        '1',
        '--partial-data',
        '--backend',
        'wasm',
        '--out',
        run,
      ]);
      expect(trained.status, trained.stderr).toBe(0);
      const image = join(work, 'test-image-64.png');
      writeFileSync(image, pngOfTestImage(0));
      const predicted = labkit([
        'predict',
        run,
        image,
        '--top',
        '10',
        '--json',
        '--backend',
        'wasm',
      ]);
      expect(predicted.status, predicted.stderr).toBe(0);
      const top = JSON.parse(predicted.stdout.trim()).top as {
        class: string;
        probability: number;
      }[];

      const { page, problems } = await openPage('/training/classify.html');
      await page
        .getByTestId('model-files')
        .setInputFiles([join(run, 'model/model.json'), join(run, 'model/weights.bin')]);
      await page.getByTestId('image-file').setInputFiles(image);
      await page.getByTestId('classified').waitFor({ timeout: 120_000 });
      const shown = await page
        .locator('[data-testid=classified] tr[data-class]')
        .evaluateAll((rows) =>
          rows.map((r) => ({
            class: r.getAttribute('data-class'),
            probability: Number(r.getAttribute('data-probability')),
          })),
        );
      expect(shown).toHaveLength(5);
      shown.forEach((row, i) => {
        expect(row.class).toBe(top[i]?.class);
        expect(Math.abs(row.probability - (top[i]?.probability ?? Number.NaN))).toBeLessThan(1e-4);
      });
      expect(problems).toEqual([]);
      await shoot(page, 'classify');

      // A file that is not an image gets a plain error, not a stack trace.
      await page.getByTestId('image-file').setInputFiles({
        name: 'notes.png',
        mimeType: 'image/png',
        buffer: Buffer.from('not a picture'),
      });
      await expect(page.getByTestId('classify-error').textContent()).resolves.toBe(
        'notes.png is not a PNG or JPEG image',
      );
      await page.close();
    });
  },
);
