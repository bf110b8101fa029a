import { convertText, describeStats, type TextConvertOptions } from '@labkit/epma-convert';
import { describe, expect, it } from 'vitest';
import type {
  ConvertRequest,
  DoneMessage,
  FailedMessage,
  HeaderMessage,
  PageOptions,
  RowsMessage,
  WorkerMessage,
} from './protocol.js';
import { convertRequest, decodeRequest } from './run-conversion.js';
import { StreamedRows } from './streamed-rows.js';

const ATOMIC: PageOptions = {
  mode: 'atomic',
  belowDetection: 'zero',
  blanks: 'not-analysed',
  passThrough: [],
  totalWindow: [98, 102],
};

function run(text: string, options: PageOptions = ATOMIC, extra: Partial<ConvertRequest> = {}) {
  const messages: WorkerMessage[] = [];
  convertRequest(
    {
      kind: 'convert',
      run: 7,
      text,
      source: 'test.csv',
      options,
      previewRows: 50,
      chunkRows: 500,
      ...extra,
    },
    (m) => messages.push(m),
  );
  const of = <K extends WorkerMessage['kind']>(kind: K) =>
    messages.filter((m): m is Extract<WorkerMessage, { kind: K }> => m.kind === kind);
  const header = of('header')[0] as HeaderMessage | undefined;
  const chunks = of('rows') as RowsMessage[];
  const table = new StreamedRows(header?.order ?? []);
  for (const c of chunks) table.add(c.first, c.lines, c.markdown);
  return {
    messages,
    header,
    chunks,
    table,
    done: of('done')[0] as DoneMessage | undefined,
    failed: of('failed')[0] as FailedMessage | undefined,
  };
}

function csvOf(rows: number): string {
  const lines = Array.from(
    { length: rows },
    (_, i) =>
      `p${i + 1},${(40 + (i % 7) * 0.13).toFixed(2)},${(49 - (i % 5) * 0.21).toFixed(2)},9.78`,
  );
  return `Point,SiO2,MgO,FeO\n${lines.join('\n')}\n`;
}

const libraryOptions = (options: PageOptions): TextConvertOptions => ({
  ...options,
  source: 'test.csv',
});

describe('convertRequest', () => {
  it('streams the rows in chunks, in order, with their input lines', () => {
    const { chunks, done, messages } = run(csvOf(1234));
    expect(messages[0]?.kind).toBe('header');
    expect(chunks.map((c) => [c.first, c.lines.length])).toEqual([
      [0, 500],
      [500, 500],
      [1000, 234],
    ]);
    expect(chunks.flatMap((c) => [...c.lines])).toEqual(
      Array.from({ length: 1234 }, (_, i) => i + 2),
    );
    expect(messages.at(-1)).toBe(done);
    expect(done?.rowCount).toBe(1234);
    expect(messages.every((m) => m.run === 7)).toBe(true);
  });

  it.each([
    ['atomic', ATOMIC],
    ['atomic, 4 decimals, omit', { ...ATOMIC, decimals: 4, belowDetection: 'omit' as const }],
    [
      'formula on 4 O, droop',
      {
        ...ATOMIC,
        mode: 'formula' as const,
        formula: { oxygens: 4, fe3: 'droop' as const, cations: 3 },
      },
    ],
  ])('gives the CSV, Markdown and LaTeX of convertText byte for byte (%s)', (_, options) => {
    const text = `${csvOf(120)}p121,40.1,bdl,9.7\n`;
    const { done } = run(text, options);
    const { decimals: _rounding, ...fullPrecision } = libraryOptions(options);
    const utf8 = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
    expect(utf8(done?.csv)).toBe(convertText(text, { ...fullPrecision, format: 'csv' }).output);
    expect(utf8(done?.markdown)).toBe(
      convertText(text, { ...libraryOptions(options), format: 'md' }).output,
    );
    expect(utf8(done?.latex)).toBe(
      convertText(text, { ...libraryOptions(options), format: 'latex' }).output,
    );
  });

  it('previews the first 50 rows as a table of their own', () => {
    const text = csvOf(80);
    const { done } = run(text);
    const first50 = text.split('\n').slice(0, 51).join('\n');
    expect(done?.markdownPreview).toBe(
      convertText(first50, { ...libraryOptions(ATOMIC), format: 'md' }).output,
    );
    expect(done?.latexPreview).toBe(
      convertText(first50, { ...libraryOptions(ATOMIC), format: 'latex' }).output,
    );
    const short = run(csvOf(3)).done;
    expect(short?.markdownPreview).toBe(new TextDecoder().decode(short?.markdown));
  });

  it('puts the results first, text columns after them, flags last, with the Markdown rounding', () => {
    const { header, table, done } = run('Point,Comment,SiO2,MgO,FeO\nol-1,rim,40.87,49.35,9.78\n');
    expect(header?.columns.map((c) => `${c.role}:${c.name}`)).toEqual([
      'result:Si at%',
      'result:Mg at%',
      'result:Fe at%',
      'result:O at%',
      'result:Total wt%',
      'text:Point',
      'text:Comment',
      'flags:flags',
    ]);
    expect(header?.textColumns).toEqual(['Point', 'Comment']);
    const markdownRow = done?.markdownPreview.split('\n')[2] ?? '';
    const [si, mg, fe, o, total] = table.cells(0);
    expect(markdownRow).toBe(`| ol-1 | rim | ${si} | ${mg} | ${fe} | ${o} | ${total} |  |`);
  });

  it("pairs each of the CLI's summary lines with the rows it concerns", () => {
    const text = [
      'Point,SiO2,MgO,FeO,NiO,Total',
      'a,40.87,49.35,9.78,bdl,100',
      'b,40.87,49.35,9.78,0.3,100.3',
      'c,40.87,40,9.78,bdl,90.65',
      'd,40.87,49.35,9.78,,100',
    ].join('\n');
    const { done } = run(text);
    const { stats } = convertText(text, libraryOptions(ATOMIC));
    expect(done?.notes.map((n) => n.text)).toEqual(describeStats(stats, [98, 102]));
    const rowsOf = (pattern: RegExp) => done?.notes.find((n) => pattern.test(n.text))?.rows;
    expect(rowsOf(/^NiO:/)).toEqual([0, 2, 3]);
    expect(rowsOf(/outside 98-102/)).toEqual([2]);
  });

  it('gives each row the oxygens of its basis column, as with that basis fixed', () => {
    const text = [
      'Point,Basis_O,SiO2,Al2O3,FeO,MgO,CaO',
      'ol,4,40.87,,9.78,49.35,',
      'px,6,50.73,7.86,3.45,16.65,15.82',
    ].join('\n');
    const perRow = run(text, { ...ATOMIC, mode: 'formula', formula: { oxygensColumn: 'Basis_O' } });
    const fixed = (oxygens: number) =>
      run(text, { ...ATOMIC, mode: 'formula', passThrough: ['Basis_O'], formula: { oxygens } });
    expect(perRow.table.cells(0)).toEqual(fixed(4).table.cells(0));
    expect(perRow.table.cells(1)).toEqual(fixed(6).table.cells(1));
    expect(perRow.table.cells(0)).not.toEqual(fixed(6).table.cells(0));
  });

  it('keeps a measured FeO/Fe2O3 split in formula mode (magnetite: Fe2+ 1, Fe3+ 2), as the CLI does', () => {
    const text = 'Point,FeO,Fe2O3\nmag,31.03,68.97\n';
    const formula = {
      mode: 'formula' as const,
      formula: { oxygens: 4 },
      totalWindow: [0, 200] as [number, number],
    };
    const { header, table, done } = run(text, { ...ATOMIC, ...formula });
    const names = header?.columns.map((c) => c.name) ?? [];
    expect(names).toContain('Fe2+ apfu');
    expect(names).toContain('Fe3+ apfu');
    expect(names).not.toContain('Fe apfu');
    const [row] = JSON.parse(convertText(text, { ...formula, format: 'json' }).output) as Record<
      string,
      number
    >[];
    expect(row?.['Fe2+ apfu']).toBeCloseTo(1, 3);
    expect(row?.['Fe3+ apfu']).toBeCloseTo(2, 3);
    const shown = table.cells(0);
    expect(shown[names.indexOf('Fe2+ apfu')]).toBe('1.000');
    expect(shown[names.indexOf('Fe3+ apfu')]).toBe('2.000');
    expect(new TextDecoder().decode(done?.csv)).toBe(
      convertText(text, { ...formula, format: 'csv' }).output,
    );
  });

  it('reports typed failures: unrecognised columns by name, a bad cell by line and column, binary input', () => {
    const unrecognised = run('Point,SiO2,MgOt\n1,40,50\n').failed;
    expect(unrecognised?.failure).toBe('unrecognised');
    expect(unrecognised?.columns).toEqual(['MgOt']);
    const bad = run('Point,SiO2,MgO\np1,40.1,abc\n').failed;
    expect(bad?.failure).toBe('input');
    expect(bad?.message).toMatch(/^test\.csv:2:3: /);
    const binary = run('\x89PNG\r\n\x1a\n\0\0\0\rIHDR').failed;
    expect(binary?.failure).toBe('binary');
    expect(binary?.message).not.toContain('\n');
  });
});

describe('decodeRequest', () => {
  it('decodes Windows-1252 like the CLI and says so; refuses binary bytes in one sentence', () => {
    const messages: WorkerMessage[] = [];
    const latin = Uint8Array.from(
      [...'Punkt;SiO2\nOlivin '].map((c) => c.charCodeAt(0)).concat([0xfc, 0x3b, 0x34, 0x30]),
    );
    decodeRequest({ kind: 'decode', run: 1, bytes: latin.buffer, source: 'a.csv' }, (m) =>
      messages.push(m),
    );
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 0x1a, 10, 0, 0, 0, 13]);
    decodeRequest({ kind: 'decode', run: 2, bytes: png.buffer, source: 'b.png' }, (m) =>
      messages.push(m),
    );
    const [decoded, refused] = messages;
    expect(decoded).toMatchObject({ kind: 'decoded', text: 'Punkt;SiO2\nOlivin ü;40' });
    expect(decoded?.kind === 'decoded' && decoded.encodingNote).toMatch(
      /^a\.csv was read as windows-1252/,
    );
    expect(refused).toMatchObject({ kind: 'failed', failure: 'binary' });
  });
});
