import { describe, expect, it } from 'vitest';
import {
  checkEncoding,
  createDecoder,
  decodeBytes,
  detectEncoding,
  firstInvalidUtf8,
} from './encoding.js';
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

  it.each([
    ['cp932', 'shift_jis'],
    ['CP932', 'shift_jis'],
    ['utf-8-sig', 'utf-8'],
    ['latin-1', 'windows-1252'],
    ['cp1252', 'windows-1252'],
    ['cp950', 'big5'],
  ])('takes the Python/Windows name %s for %s', (label, encoding) => {
    expect(checkEncoding(label)).toBe(encoding);
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
    ).toThrow('x.csv:1:1: the input is not valid UTF-8: byte 0xFC (byte 1 of the file)');
  });

  it('locates the bad byte by line and column, also across chunks and inside a split character', () => {
    const text = Buffer.concat([
      Buffer.from('Point,SiO2\nα-1,40\nMü,'),
      Buffer.from([0xe9]), // é in Windows-1252, not UTF-8
      Buffer.from('x,41\n'),
    ]);
    const at = text.indexOf(0xe9);
    for (const size of [1, 2, 3, 5, 64]) {
      const decoder = createDecoder({ encoding: 'utf-8', reason: '', fallback: false }, 'y.csv');
      let message = '';
      try {
        for (let i = 0; i < text.length; i += size) decoder.decode(text.subarray(i, i + size));
        decoder.end();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, `chunks of ${size}`).toBe(
        `y.csv:3:4: the input is not valid UTF-8: byte 0xE9 (byte ${at + 1} of the file) is not UTF-8 text; give its encoding with --encoding, e.g. windows-1252 or shift_jis`,
      );
    }
    const cut = createDecoder({ encoding: 'utf-8', reason: '', fallback: false }, 'z.csv');
    cut.decode(Buffer.from([0x61, 0x0a, 0x62, 0xe6, 0x97]));
    expect(() => cut.end()).toThrow(
      'z.csv:2:2: the input is not valid UTF-8: the file ends inside a character (byte 4)',
    );
  });

  it.each([
    [[0x61, 0xc3, 0xa9, 0x62], 4],
    [[0xc0, 0x80], 0],
    [[0xed, 0xa0, 0x80], 0],
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0xe0, 0x80, 0x80], 0],
    [[0x61, 0xe6, 0x97], 3],
    [[0x61, 0xe6, 0x41], 1],
    [[0xf0, 0x9f, 0x98, 0x80, 0xff], 4],
  ])('firstInvalidUtf8(%j) is %i, as a fatal TextDecoder judges', (bytes, index) => {
    const data = Uint8Array.from(bytes);
    expect(firstInvalidUtf8(data)).toBe(index);
    const valid = () =>
      new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, index), { stream: true });
    expect(valid).not.toThrow();
  });
});
