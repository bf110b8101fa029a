import { describe, expect, it } from 'vitest';
import { parseMarkdownTable, splitRow } from './markdown-table.js';

describe('splitRow', () => {
  it('splits on pipes, keeps escaped pipes and empty cells', () => {
    expect(splitRow('| a | b \\| c |  | d |')).toEqual(['a', 'b | c', '', 'd']);
  });
});

describe('parseMarkdownTable', () => {
  const md = [
    '| Point | Si at% | flags |',
    '| --- | ---: | --- |',
    '| ol-1 | 14.28 | total 97.2 \\| low |',
    '| ol-2 | 14.30 |  |',
    '',
    'Atomic weights: CIAAW 2021',
  ].join('\n');

  it('reads the header, which columns are numeric, and every row', () => {
    const table = parseMarkdownTable(md);
    expect(table.header).toEqual(['Point', 'Si at%', 'flags']);
    expect(table.numeric).toEqual([false, true, false]);
    expect(table.rows).toEqual([
      ['ol-1', '14.28', 'total 97.2 | low'],
      ['ol-2', '14.30', ''],
    ]);
  });

  it('refuses text that is not a table', () => {
    expect(() => parseMarkdownTable('no table here')).toThrow(/found none/);
    expect(() => parseMarkdownTable('| a |\n| b |')).toThrow(/separator/);
  });
});
