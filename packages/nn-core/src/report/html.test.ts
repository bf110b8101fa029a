import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../recipe/diagnose.js';
import { firstEpochNote, perClassAccuracy, type ReportEpoch, renderReport } from './html.js';
import { rgbToPngDataUri } from './png.js';

const classes = ['a', 'b', 'c'];
const epochs: ReportEpoch[] = Array.from({ length: 8 }, (_, i) => ({
  epoch: i + 1,
  trainLoss: 2 * Math.exp(-0.3 * (i + 1)),
  valLoss: 1.2 + 0.02 * (i + 1 - 4) ** 2,
  trainAccuracy: 0.4 + 0.07 * i,
  valAccuracy: 0.5,
  learningRate: 0.001 * 0.5 ** Math.floor(i / 3),
  seconds: 3,
  samplesPerSec: 500,
}));

function image(seed: number): Uint8Array {
  return Uint8Array.from({ length: 3072 }, (_, k) => (k * 7 + seed * 13) % 256);
}

describe('perClassAccuracy', () => {
  it('is the diagonal over the row sum', () => {
    expect(
      perClassAccuracy([
        [3, 1],
        [2, 2],
      ]),
    ).toEqual([0.75, 0.5]);
    expect(
      perClassAccuracy([
        [0, 0],
        [1, 1],
      ])[0],
    ).toBeNaN();
  });
});

describe('rgbToPngDataUri', () => {
  it('encodes CHW bytes so that decoding gives back the same RGB pixels', () => {
    const pixels = image(3);
    const uri = rgbToPngDataUri(pixels, 32, 32, 'chw');
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    const png = PNG.sync.read(Buffer.from(uri.split(',')[1] as string, 'base64'));
    expect([png.width, png.height]).toEqual([32, 32]);
    for (const i of [0, 100, 1023]) {
      expect([png.data[i * 4], png.data[i * 4 + 1], png.data[i * 4 + 2]]).toEqual([
        pixels[i],
        pixels[1024 + i],
        pixels[2048 + i],
      ]);
    }
  });
  it('refuses the wrong number of bytes', () => {
    expect(() => rgbToPngDataUri(new Uint8Array(10), 32, 32)).toThrow(/expected 3072 bytes/);
  });
});

describe('renderReport', () => {
  it('builds a self-contained page with every section and standalone SVGs', async () => {
    const diagnosis = diagnose(epochs);
    const { html, svgs } = await renderReport({
      title: 'run <test> & co',
      epochs,
      classNames: classes,
      diagnosis,
      confusion: [
        [8, 1, 1],
        [2, 6, 2],
        [0, 0, 10],
      ],
      testAccuracy: 0.8,
      misclassified: [
        {
          pixels: image(1),
          index: 7,
          trueLabel: 0,
          predictedLabel: 1,
          loss: -Math.log(0.2),
          trueProbability: 0.2,
          confidence: 0.7,
        },
        { pixels: image(2), trueLabel: 1, predictedLabel: 2 },
      ],
      steps: { losses: Array.from({ length: 16 }, (_, i) => 2 - i / 10), stepsPerEpoch: 2 },
      spec: { hidden: [64], dropout: 0 },
      backend: 'cpu',
      facts: { 'wall time': '24.0 s' },
    });
    expect(Object.keys(svgs).sort()).toEqual([
      'accuracy.svg',
      'confusion-counts.svg',
      'confusion.svg',
      'loss.svg',
      'lr.svg',
      'per-class.svg',
    ]);
    for (const svg of Object.values(svgs))
      expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // Title is escaped; nothing is fetched from elsewhere.
    expect(html).toContain('run &lt;test&gt; &amp; co');
    expect(html).not.toMatch(/<link rel="stylesheet"|src="http|href="http|<script src/);
    // The one script is the top-loss class filter, inline.
    expect(html.match(/<script>/g)?.length).toBe(1);
    expect(html.match(/<svg /g)?.length).toBe(6);
    expect(html.match(/<img src="data:image\/png;base64,/g)?.length).toBe(2);
    expect(html).toContain(
      'true <b>a</b><br>pred <b class="wrong">b</b><br><span class="num">loss 1.61<br>p(a) 20.0%<br>p(b) 70.0%</span>',
    );
    expect(html).toContain('data-index="7"');
    expect(html).toContain('<option value="0">a</option><option value="1">b</option>');
    // Most confused pairs: b -> a (2 of 10) and b -> c (2 of 10) lead; 0-count cells are absent.
    expect(html).toMatch(
      /<tr><td>b<\/td><td>&rarr; a<\/td><td>2<\/td><td>20\.0%<\/td><\/tr><tr><td>b<\/td><td>&rarr; c<\/td><td>2<\/td><td>20\.0%<\/td><\/tr>/,
    );
    expect(html).not.toContain('&rarr; a</td><td>0<');
    // The diagnosis summary is printed once, not after a repeated verdict label.
    expect(html).not.toMatch(/overfit<\/b>:/i);
    // Diagnosis (validation loss lowest at epoch 4) and facts are on the page.
    expect(diagnosis.verdict).toBe('overfit');
    expect(html).toContain('stopped improving after epoch 4');
    expect(html).toContain('TF.js backend</th><td>cpu');
    expect(html).toContain('test accuracy</th><td>80.00%');
    // Per-class accuracy: 8/10, 6/10, 10/10 as bar labels; confusion counts as cell text.
    expect(svgs['per-class.svg']).toContain('80.0%');
    expect(svgs['per-class.svg']).toContain('60.0%');
    expect(svgs['per-class.svg']).toContain('100.0%');
    expect(svgs['loss.svg']).toContain('validation');
    expect(svgs['loss.svg']).toContain('train, smoothed');
    expect(svgs['loss.svg']).toContain('best val (epoch 4)');
    // Row-normalised matrix: cell labels are % of the row (8/10 -> 80); the counts view has 8.
    expect(svgs['confusion.svg']).toContain('>80<');
    expect(svgs['confusion-counts.svg']).toContain('>8<');
    expect(svgs['accuracy.svg']).toContain('50%');
  });

  it('omits test-set sections when there is no evaluation', async () => {
    const { html, svgs } = await renderReport({
      title: 't',
      epochs,
      classNames: classes,
      diagnosis: diagnose(epochs),
    });
    expect(Object.keys(svgs).sort()).toEqual(['accuracy.svg', 'loss.svg', 'lr.svg']);
    expect(html).not.toContain('Confusion');
    expect(html).not.toContain('Top losses');
    expect(svgs['loss.svg']).toContain('Loss per epoch');
  });
});

describe('firstEpochNote', () => {
  const epoch1 = (valLoss: number, valAccuracy: number): ReportEpoch[] => [
    { epoch: 1, trainLoss: 2.1, trainAccuracy: 0.25, valLoss, valAccuracy },
  ];
  it('explains a validation loss above ln(classes) and validation accuracy above training', () => {
    const note = firstEpochNote(epoch1(2.9, 0.31), 10);
    expect(note).toContain('above ln 10 = 2.303');
    expect(note).toContain('batch normalisation uses its moving averages');
    expect(note).toContain(
      'Validation accuracy in epoch 1 (31.0%) is above training accuracy (25.0%)',
    );
  });
  it('says nothing when epoch 1 shows neither', () => {
    expect(firstEpochNote(epoch1(2.0, 0.2), 10)).toBe('');
  });
});
