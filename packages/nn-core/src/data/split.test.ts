import { describe, expect, it } from 'vitest';
import { IMAGE_SIZE, parseCifarBatch } from './cifar10.js';
import { splitValidation, subset } from './split.js';
import { makeCifarBatch } from './testing.js';

const labels = Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : i < 160 ? 1 : 2 + (i % 8)));
const set = parseCifarBatch(makeCifarBatch(200, { labels, seed: 9 }), 'gen');

const imageOf = (s: typeof set, i: number) =>
  s.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);

describe('subset', () => {
  it('copies the chosen images and labels in the given order', () => {
    const picked = subset(set, [5, 150, 5]);
    expect(picked.count).toBe(3);
    expect([...picked.labels]).toEqual([labels[5], labels[150], labels[5]]);
    expect(imageOf(picked, 1)).toEqual(imageOf(set, 150));
    expect(imageOf(picked, 2)).toEqual(imageOf(set, 5));
  });

  it('refuses an index outside the set', () => {
    expect(() => subset(set, [0, 200])).toThrow(
      'subset: index 200 at position 1 is outside 0..199',
    );
  });
});

describe('splitValidation', () => {
  const count = (s: typeof set, label: number) => s.labels.filter((l) => l === label).length;

  it('takes the fraction from every class and keeps every image exactly once', () => {
    const { train, val } = splitValidation(set, 0.1, 1);
    expect(count(val, 0)).toBe(10);
    expect(count(val, 1)).toBe(6);
    expect(train.count + val.count).toBe(200);
    const key = (s: typeof set, i: number) => Buffer.from(imageOf(s, i)).toString('base64');
    const all = new Set(Array.from({ length: 200 }, (_, i) => key(set, i)));
    const seen = [
      ...Array.from({ length: train.count }, (_, i) => key(train, i)),
      ...Array.from({ length: val.count }, (_, i) => key(val, i)),
    ];
    expect(new Set(seen).size).toBe(200);
    for (const k of seen) expect(all.has(k)).toBe(true);
  });

  it('is reproducible for a seed and different for another', () => {
    const a = splitValidation(set, 0.2, 5).val;
    const b = splitValidation(set, 0.2, 5).val;
    const c = splitValidation(set, 0.2, 6).val;
    expect(Buffer.compare(a.images, b.images)).toBe(0);
    expect(Buffer.compare(a.images, c.images)).not.toBe(0);
  });

  it('gives an empty validation set for fraction 0 and refuses 1', () => {
    expect(splitValidation(set, 0, 1).val.count).toBe(0);
    expect(() => splitValidation(set, 1, 1)).toThrow(/\[0, 1\)/);
  });
});
