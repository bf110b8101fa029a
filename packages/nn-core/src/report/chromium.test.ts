import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '@labkit/test-chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIFAR10_CLASSES } from '../data/cifar10.js';
import { diagnose } from '../recipe/diagnose.js';
import { type ReportEpoch, renderReport } from './html.js';

const epochs: ReportEpoch[] = Array.from({ length: 10 }, (_, i) => ({
  epoch: i + 1,
  trainLoss: 2 * Math.exp(-0.25 * (i + 1)),
  valLoss: 1.3 + 0.015 * (i + 1 - 5) ** 2,
  trainAccuracy: 0.35 + 0.06 * i,
  valAccuracy: 0.48 + 0.01 * Math.min(i, 4),
  learningRate: 0.001,
}));
const classes = [...CIFAR10_CLASSES];
const confusion = classes.map((_, t) => classes.map((__, p) => (t === p ? 60 : (t * 3 + p) % 7)));
const gradient = (k: number) =>
  Uint8Array.from({ length: 3072 }, (_, i) => ((i % 1024) * (k + 1) + (i >> 10) * 80) % 256);

describe('report page in headless Chromium', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labkit-report-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders with no console errors, every plot and every image', async () => {
    const { html } = await renderReport({
      title: 'Synthetic run',
      epochs,
      classNames: classes,
      diagnosis: diagnose(epochs),
      confusion,
      testAccuracy: 0.5,
      misclassified: Array.from({ length: 12 }, (_, k) => ({
        pixels: gradient(k),
        trueLabel: k % 10,
        predictedLabel: (k + 3) % 10,
        loss: 5 - k / 4,
        trueProbability: Math.exp(-(5 - k / 4)),
      })),
      steps: {
        losses: Array.from({ length: 200 }, (_, i) => 2.3 * Math.exp(-i / 80)),
        stepsPerEpoch: 20,
      },
      spec: { hidden: [128] },
      backend: 'cpu',
    });
    const file = join(dir, 'report.html');
    await writeFile(file, html);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning')
          problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const facts = await page.evaluate(() => ({
        svgs: Array.from(document.querySelectorAll('svg')).map(
          (s) => s.getBoundingClientRect().width,
        ),
        images: Array.from(document.images).map((i) => (i.complete ? i.naturalWidth : -1)),
        heading: document.querySelector('h1')?.textContent,
        tooltips: Array.from(
          document.querySelectorAll('.cm-shares path[aria-label] > title'),
          (t) => t.textContent,
        ),
      }));
      expect(problems).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
      expect(facts.heading).toBe('Synthetic run');
      // Six plots, the counts view of the confusion matrix hidden behind its toggle.
      expect(facts.svgs).toHaveLength(6);
      expect(facts.svgs.filter((w) => w > 100)).toHaveLength(5);
      expect(facts.images).toEqual(Array(12).fill(32));
      // Hovering a cell names its count and share: airplane row = 60 + (0..9 * 1 % 7 skipping 0).
      const airplaneRow = confusion[0] as number[];
      const total = airplaneRow.reduce((a, b) => a + b, 0);
      expect(facts.tooltips).toHaveLength(100);
      expect(facts.tooltips[0]).toBe(
        `true airplane, predicted airplane: 60 images (${((100 * 60) / total).toFixed(1)}% of the true class)`,
      );
      // The toggle swaps the shares for the counts.
      await page.click('label[for="cm-counts"]');
      const visible = await page.evaluate(() =>
        ['.cm-shares', '.cm-counts'].map(
          (s) => (document.querySelector(s) as HTMLElement).getBoundingClientRect().width > 0,
        ),
      );
      expect(visible).toEqual([false, true]);
      // The class filter shows only the chosen true class.
      await page.selectOption('#top-loss-class', '1');
      const shown = await page.evaluate(() => ({
        trueClasses: Array.from(
          document.querySelectorAll<HTMLElement>('.top-losses figure:not([hidden])'),
          (f) => f.dataset.true,
        ),
        count: document.getElementById('top-loss-count')?.textContent,
      }));
      expect(shown.trueClasses).toEqual(['1', '1']);
      expect(shown.count).toBe('2 of 12 shown');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
