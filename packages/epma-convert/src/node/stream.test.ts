import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { convertText } from '../convert/index.js';
import { EpmaInputError } from '../table/errors.js';
import { convertFile } from './file.js';
import { convertStream, type StreamConvertOptions } from './stream.js';

async function* chunks(text: string, size: number) {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function streamed(text: string, size: number, options: StreamConvertOptions = {}) {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  const result = await convertStream(chunks(text, size), out, options);
  return { ...result, output: Buffer.concat(parts).toString('utf8') };
}

const OLIVINE =
  'Point,Comment,SiO2,FeO,MnO,MgO,CaO,NiO,Total\n1,"core, grain 1",40.81,9.55,0.14,49.42,0.05,0.37,100.34\n\n2,rim,40.9,bdl,<0.02,49.2,-0.01,,90.1\n';

describe('convertStream', () => {
  it.each([1, 3, 7, 64, 1 << 20])(
    'gives the same output whatever the chunk size (%i bytes)',
    async (size) => {
      for (const format of ['csv', 'json', 'md', 'latex'] as const) {
        const { output } = await streamed(OLIVINE, size, { format });
        expect(output).toBe(convertText(OLIVINE, { format }).output);
      }
    },
  );

  it('reads a semicolon, decimal-comma file with a BOM and CRLF like its comma twin', async () => {
    const twin = '\uFEFFPoint;SiO2;MgO;FeO\r\n1;40,81;49,42;9,55\r\n';
    const plain = 'Point,SiO2,MgO,FeO\n1,40.81,49.42,9.55\n';
    const a = await streamed(twin, 5);
    expect(a.dialect).toEqual({ delimiter: ';', decimalComma: true });
    expect(a.output).toBe((await streamed(plain, 5)).output);
  });

  it('names file, line and column of a bad cell, counting blank lines', async () => {
    const bad = 'Point,SiO2,MgO\n1,40.8,49.4\n\n2,1.2.3,49.2\n';
    const error = await streamed(bad, 4, { source: 'data.csv' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EpmaInputError);
    expect((error as Error).message).toBe(
      'data.csv:4:2: expected a number or a below-detection marker in column "SiO2", got "1.2.3"',
    );
  });

  it('names the line of a row with too few fields', async () => {
    const error = await streamed('Point,SiO2,MgO\n1,40.8,49.4\n2,40.9\n', 100, {
      source: 'x.csv',
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('x.csv:3:3: expected 3 fields like the header, got 2');
  });

  it.each([
    [
      'a stray quote in an unquoted cell (inches)',
      'Point,SiO2,MgO\n1,40.8,49.4\nB x"y,40.5,48.1\n',
      'q.csv:3:1: a quote inside an unquoted cell (B x"…); quote the whole cell and double the quote inside ("B x""…"), or remove the quote',
    ],
    [
      'a stray quote in a later cell',
      'Point,SiO2,MgO\n1,40.8,4"9.4\n',
      'q.csv:2:3: a quote inside an unquoted cell (4"…)',
    ],
    [
      'text after a closing quote',
      'Point,SiO2,MgO\n"B x"y,40.5,48.1\n',
      'q.csv:2:1: text follows the closing quote of a quoted cell',
    ],
    [
      'a quote never closed',
      'Point,SiO2\n"1,40.8\n',
      'q.csv:2:1: a quoted cell is still open at the end of the input',
    ],
  ])('%s is a plain located message, in streams and in text', async (_, text, message) => {
    for (const size of [3, 100]) {
      const error = await streamed(text, size, { source: 'q.csv' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EpmaInputError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toMatch(/Invalid|Opening|Closing|field \d/);
    }
    const fromText = (() => {
      try {
        return convertText(text, { source: 'q.csv' });
      } catch (e) {
        return e;
      }
    })();
    expect(fromText).toBeInstanceOf(EpmaInputError);
    expect((fromText as Error).message).toContain(message);
  });

  it('refuses an empty input', async () => {
    await expect(streamed('', 10, { source: 'e.csv' })).rejects.toThrow(
      'e.csv:1:1: expected a header row',
    );
  });
});

describe('convertFile -o', () => {
  const dir = mkdtempSync(join(tmpdir(), 'epma-node-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the output file and leaves no temporary file', async () => {
    const input = join(dir, 'ok.csv');
    writeFileSync(input, OLIVINE);
    const out = join(dir, 'ok.out.csv');
    await convertFile(input, { outFile: out });
    expect(readFileSync(out, 'utf8')).toBe(convertText(OLIVINE, { source: input }).output);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves an existing output untouched and no temporary file when the input fails half-way', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => `${i},40.8,49.4`);
    rows.push('x,oops,49.4');
    const input = join(dir, 'bad.csv');
    writeFileSync(input, `Point,SiO2,MgO\n${rows.join('\n')}\n`);
    const out = join(dir, 'bad.out.csv');
    writeFileSync(out, 'previous result\n');
    await expect(convertFile(input, { outFile: out })).rejects.toThrow(`${input}:50002:2:`);
    expect(readFileSync(out, 'utf8')).toBe('previous result\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const fresh = join(dir, 'fresh.out.csv');
    await expect(convertFile(input, { outFile: fresh })).rejects.toThrow();
    expect(existsSync(fresh)).toBe(false);
  });
});
