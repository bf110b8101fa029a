import { describe, expect, it } from 'vitest';
import { createDecoder, decodeBytes, detectEncoding } from './encoding.js';
import { EpmaDecodeError, EpmaOptionError } from './errors.js';

const TEXT = 'Point,Comment,SiO2\n1,Mü 5µm 20°C,40\n';

describe('detectEncoding', () => {
  it.each([
    ['UTF-8 without BOM', Buffer.from(TEXT), 'utf-8', false],
    ['UTF-8 with BOM', Buffer.from(`\uFEFF${TEXT}`), 'utf-8', false],
    ['UTF-16LE with BOM', Buffer.from(`\uFEFF${TEXT}`, 'utf16le'), 'utf-16le', false],
    ['UTF-16LE without BOM', Buffer.from(TEXT, 'utf16le'), 'utf-16le', false],
    ['UTF-16BE with BOM', Buffer.from(`\uFEFF${TEXT}`, 'utf16le').swap16(), 'utf-16be', false],
    ['Windows-1252', Buffer.from(TEXT, 'latin1'), 'windows-1252', true],
  ] as const)('%s', (_, bytes, encoding, fallback) => {
    const detected = detectEncoding(bytes);
    expect(detected).toMatchObject({ encoding, fallback });
    expect(decodeBytes(bytes).text).toBe(TEXT);
  });

  it('decodes Shift_JIS when asked, and refuses an unknown encoding as an option error', () => {
    const bytes = Buffer.from([0x93, 0xfa, 0x96, 0x7b]);
    expect(decodeBytes(bytes, { encoding: 'Shift_JIS' }).text).toBe('日本');
    expect(() => detectEncoding(bytes, 'klingon')).toThrow(EpmaOptionError);
  });

  it('does not split a multi-byte character across chunks', () => {
    const decoder = createDecoder({ encoding: 'utf-8', reason: '', fallback: false }, 'x.csv');
    const bytes = Buffer.from('ü');
    expect(
      decoder.decode(bytes.subarray(0, 1)) + decoder.decode(bytes.subarray(1)) + decoder.end(),
    ).toBe('ü');
  });

  it('refuses bytes that turn out not to be UTF-8 after the sampled head, naming the byte', () => {
    const decoder = createDecoder({ encoding: 'utf-8', reason: '', fallback: false }, 'x.csv');
    decoder.decode(Buffer.from('Point,SiO2\n'));
    expect(() => decoder.decode(Buffer.from([0x4d, 0xfc, 0x2c]))).toThrow(EpmaDecodeError);
    expect(() =>
      createDecoder({ encoding: 'utf-8', reason: '', fallback: false }, 'x.csv').decode(
        Buffer.from([0xfc]),
      ),
    ).toThrow('x.csv: the input is not valid UTF-8 (in the bytes after byte 0)');
  });
});
