import { readFileSync } from 'node:fs';
import { decodeBytes } from '@labkit/epma-convert';
import { describe, expect, it } from 'vitest';
import { BinaryInputError, checkTextual, looksBinary } from './binary.js';

const favicon = new URL('../../public/favicon.svg', import.meta.url);

/** A minimal real PNG: signature, IHDR of a 1x1 image (the bytes every PNG starts with). */
const PNG_HEAD = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
  0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
]);

/** Deterministic pseudo-random bytes (a linear congruential generator), so the test cannot flake. */
function randomBytes(n: number, seed = 12345): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('looksBinary', () => {
  it('takes CSV text, decimal commas, accents and a DOS end-of-file mark as text', () => {
    expect(looksBinary('Point,SiO2,MgO\nol-1,40.87,49.35\n')).toBe(false);
    expect(looksBinary('Punkt;SiO2;MgO\r\nOlivin ü;40,87;49,35\r\n\x1a')).toBe(false);
    expect(looksBinary(readFileSync(favicon, 'utf8'))).toBe(false);
    expect(looksBinary('')).toBe(false);
  });

  it('takes a PNG and random bytes, decoded as the converter decodes files, as binary', () => {
    expect(looksBinary(decodeBytes(PNG_HEAD).text)).toBe(true);
    for (const seed of [1, 2, 3])
      expect(looksBinary(decodeBytes(randomBytes(4096, seed)).text)).toBe(true);
  });

  it('takes text full of replacement characters (binary pasted as text) as binary', () => {
    expect(looksBinary(`Point,SiO2\n${'\ufffd'.repeat(40)}abc\n`)).toBe(true);
  });
});

describe('checkTextual', () => {
  it('throws a typed error with one sentence naming the input', () => {
    expect(() => checkTextual('a,b\n1,2\n', 'x.csv')).not.toThrow();
    try {
      checkTextual(decodeBytes(PNG_HEAD).text, 'photo.png');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BinaryInputError);
      const message = (error as Error).message;
      expect(message).toMatch(/^photo\.png looks like a binary file/);
      expect(message).not.toContain('\n');
      expect(message.split(/[.!?] /).length).toBe(1);
    }
  });
});
