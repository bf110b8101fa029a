import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/startup/select.js';
import { buildModel } from '../model/build.js';
import { validateSpec } from '../model/spec.js';
import * as tf from '../tfjs.js';
import { arraySource } from '../train/source.js';
import { evaluate, evaluateYielding } from './evaluate.js';
import { formatEvaluation } from './format.js';
import { hwcToChw, readPngImage, readPredictionInput, resizeTo32 } from './images.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('evaluate', () => {
  it('scores a model with known weights: confusion matrix, per-class accuracy, mean loss', () => {
    // No hidden layer and an identity kernel: the logits are the inputs, the prediction their argmax.
    const model = buildModel(validateSpec({ inputSize: 3, classes: 3, hidden: [], dropout: 0 }));
    model.getLayer('logits').setWeights([tf.eye(3), tf.zeros([3])]);
    const rows = [
      [2, 0, 0], // true 0, predicted 0
      [2, 0, 0], // true 1, predicted 0
      [0, 2, 0], // true 1, predicted 1
      [0, 0, 2], // true 2, predicted 2
      [0, 2, 0], // true 2, predicted 1
    ];
    const labels = [0, 1, 1, 2, 2];
    const result = evaluate(
      model,
      arraySource(Float32Array.from(rows.flat()), Int32Array.from(labels), 2),
      3,
    );
    expect(result.confusion).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 1],
    ]);
    expect(result.accuracy).toBe(3 / 5);
    expect(result.perClass).toEqual([1, 0.5, 0.5]);
    // A correct row costs log(1 + 2e^-2); a wrong one (logit 0 on the truth) log(e^2 + 2).
    const right = Math.log(1 + 2 * Math.exp(-2));
    const wrong = Math.log(Math.exp(2) + 2);
    expect(result.loss).toBeCloseTo((3 * right + 2 * wrong) / 5, 5);
    expect(result.count).toBe(5);

    const text = formatEvaluation(result, ['a', 'b', 'c']);
    expect(text).toContain('accuracy 60.00% on 5 images (3 correct)');
    expect(text).toMatch(/^ {2}b +50\.00%$/m);
    expect(text).toMatch(/^ {2}b +1 +1 +0$/m);
  });
});

describe('images', () => {
  it('hwcToChw moves interleaved RGB into three planes', () => {
    const rgb = new Uint8Array(32 * 32 * 3);
    rgb[0] = 10; // pixel 0 red
    rgb[1] = 20; // pixel 0 green
    rgb[5] = 30; // pixel 1 blue
    const chw = hwcToChw(rgb);
    expect([chw[0], chw[1024], chw[2048 + 1]]).toEqual([10, 20, 30]);
  });

  it('resizeTo32 halves a 64x64 image of constant 2x2 blocks exactly', () => {
    const rgb = new Uint8Array(64 * 64 * 3);
    const blockValue = (by: number, bx: number, c: number) => (by * 7 + bx * 3 + c * 50) % 256;
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 64; x++) {
        for (let c = 0; c < 3; c++) rgb[(y * 64 + x) * 3 + c] = blockValue(y >> 1, x >> 1, c);
      }
    }
    const out = resizeTo32(rgb, 64, 64);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) expect(out[(y * 32 + x) * 3 + c]).toBe(blockValue(y, x, c));
      }
    }
  });

  it('reads a 32x32 PNG into CIFAR layout byte for byte, and names a broken file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-png-'));
    const png = new PNG({ width: 32, height: 32 });
    for (let p = 0; p < 1024; p++)
      png.data.set([p % 256, (p * 3) % 256, (p * 5) % 256, 255], p * 4);
    writeFileSync(join(dir, 'a.png'), PNG.sync.write(png));
    const { image, width } = await readPngImage(join(dir, 'a.png'));
    expect(width).toBe(32);
    for (const p of [0, 1, 500, 1023]) {
      expect([image[p], image[1024 + p], image[2048 + p]]).toEqual([
        p % 256,
        (p * 3) % 256,
        (p * 5) % 256,
      ]);
    }
    writeFileSync(join(dir, 'bad.png'), 'not a png');
    await expect(readPngImage(join(dir, 'bad.png'))).rejects.toThrow(
      /bad\.png: not a readable PNG image/,
    );
  });

  it('reads inputs by content: JPEG and PNG whatever their names, and says what else it got', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-inputs-'));
    // A flat colour survives JPEG compression within a grey level or two.
    const rgba = new Uint8Array(40 * 40 * 4);
    for (let p = 0; p < 1600; p++) rgba.set([200, 100, 50, 255], p * 4);
    writeFileSync(
      join(dir, 'photo.bin'),
      jpeg.encode({ data: rgba, width: 40, height: 40 }, 95).data,
    );
    const jpg = await readPredictionInput(join(dir, 'photo.bin'));
    expect(jpg.note).toBe('JPEG image, resized 40x40 to 32x32 (bilinear)');
    expect(jpg.labelled).toBe(false);
    for (const [plane, value] of [
      [0, 200],
      [1, 100],
      [2, 50],
    ] as const)
      expect(Math.abs((jpg.set.images[plane * 1024 + 500] as number) - value)).toBeLessThanOrEqual(
        2,
      );

    const png = new PNG({ width: 32, height: 32 });
    writeFileSync(join(dir, 'image.jpg'), PNG.sync.write(png));
    expect((await readPredictionInput(join(dir, 'image.jpg'))).note).toBe('PNG image, 32x32');
    const whole = PNG.sync.write(png);
    writeFileSync(join(dir, 'cut.png'), whole.subarray(0, whole.length - 20));
    await expect(readPredictionInput(join(dir, 'cut.png'))).rejects.toThrow(
      /cut\.png: not a readable PNG image \(the file ends early or is damaged\)$/,
    );
    // Cut in the middle of its pixel data (not only its last chunk): still plain words.
    writeFileSync(join(dir, 'half.png'), whole.subarray(0, whole.length / 2));
    await expect(readPredictionInput(join(dir, 'half.png'))).rejects.toThrow(
      /half\.png: not a readable PNG image \(the file ends early or is damaged\)$/,
    );
    writeFileSync(join(dir, 'empty.png'), '');
    await expect(readPredictionInput(join(dir, 'empty.png'))).rejects.toThrow(
      /empty\.png is empty: not a PNG, a JPEG or a CIFAR-10 batch file$/,
    );
    await expect(readPredictionInput(dir)).rejects.toThrow(
      /: a directory, not an image or batch file$/,
    );
    // Named by signature whatever their size, also a whole number of 3,073-byte records.
    const sized = (signature: string, length: number) => {
      const bytes = Buffer.alloc(length, 7);
      bytes.write(signature, 'latin1');
      return bytes;
    };
    for (const [name, signature, kind] of [
      ['anim.gif', 'GIF89a', 'a GIF image'],
      ['photo.webp', 'RIFF\x00\x00\x00\x00WEBP', 'a WebP image'],
      ['scan.bmp', 'BM', 'a BMP image'],
      ['scan.tif', 'II*\x00', 'a TIFF image'],
      ['phone.heic', '\x00\x00\x00\x18ftypheic', 'a HEIC/HEIF image'],
    ]) {
      for (const length of [16, 3073, 2 * 3073]) {
        writeFileSync(join(dir, name as string), sized(signature as string, length));
        await expect(readPredictionInput(join(dir, name as string))).rejects.toThrow(
          `${name} is ${kind}: predict reads PNG and JPEG images and CIFAR-10 batch files`,
        );
      }
    }
    await expect(readPredictionInput(join(dir, 'missing.png'))).rejects.toThrow(
      /missing\.png: file not found/,
    );
  });
});

describe('evaluateYielding', () => {
  it('lets the event loop in during a long pass (where Ctrl-C is handled) and scores as evaluate does', async () => {
    const model = buildModel(validateSpec({ inputSize: 3, classes: 3, hidden: [], dropout: 0 }));
    const batchesTotal = 30;
    let pulled = 0;
    const slowSource = {
      count: batchesTotal,
      batchesPerEpoch: batchesTotal,
      *batches() {
        for (let b = 0; b < batchesTotal; b++) {
          const until = performance.now() + 10; // a batch that keeps the thread busy for 10 ms
          while (performance.now() < until) {}
          pulled++;
          yield { x: Float32Array.of(b % 3, 1, 0), y: Int32Array.of(b % 3), size: 1 };
        }
      },
    };
    let pulledWhenLoopRan: number | undefined;
    setImmediate(() => {
      pulledWhenLoopRan = pulled;
    });
    const yielding = await evaluateYielding(model, slowSource, 3);
    expect(pulledWhenLoopRan).toBeLessThan(batchesTotal);
    expect(yielding).toEqual(evaluate(model, slowSource, 3));
  });
});
