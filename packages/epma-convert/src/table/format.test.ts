import { describe, expect, it } from 'vitest';
import { formatTable, latexText, type OutputColumn } from './format.js';

const columns: OutputColumn[] = [
  { name: 'Point', kind: 'text' },
  { name: 'Si at%', kind: 'at%' },
  { name: 'Fe2+ apfu', kind: 'apfu' },
  { name: 'flags', kind: 'flags' },
];
const rows = [
  ['1, rim', 14.285714285714286, 0.18049, ['MnO:bdl->0', 'total 97.10 outside 98-102']],
  ['2 "core"', -0.0001, null, []],
] as const;

describe('formatTable', () => {
  it('writes CSV with full precision, quoting only where needed', () => {
    expect(formatTable('csv', columns, rows)).toBe(
      'Point,Si at%,Fe2+ apfu,flags\n"1, rim",14.285714285714286,0.18049,MnO:bdl->0; total 97.10 outside 98-102\n"2 ""core""",-0.0001,,\n',
    );
  });

  it('rounds CSV to --decimals', () => {
    expect(formatTable('csv', columns, rows, { decimals: 2 }).split('\n')[1]).toBe(
      '"1, rim",14.29,0.18,MnO:bdl->0; total 97.10 outside 98-102',
    );
  });

  it('writes JSON that parses back to the same values, flags as a list', () => {
    const parsed = JSON.parse(formatTable('json', columns, rows));
    expect(parsed).toEqual([
      {
        Point: '1, rim',
        'Si at%': 14.285714285714286,
        'Fe2+ apfu': 0.18049,
        flags: ['MnO:bdl->0', 'total 97.10 outside 98-102'],
      },
      { Point: '2 "core"', 'Si at%': -0.0001, 'Fe2+ apfu': null, flags: [] },
    ]);
    expect(JSON.parse(formatTable('json', columns, []))).toEqual([]);
  });

  it('writes Markdown rounded per kind, numbers right-aligned, no -0.00', () => {
    expect(formatTable('md', columns, rows, { caption: 'weights: CIAAW' })).toBe(
      [
        '| Point | Si at% | Fe2+ apfu | flags |',
        '| --- | ---: | ---: | --- |',
        '| 1, rim | 14.29 | 0.180 | MnO:bdl->0; total 97.10 outside 98-102 |',
        '| 2 "core" | 0.00 |  |  |',
        '',
        'weights: CIAAW',
        '',
      ].join('\n'),
    );
  });

  it('writes a booktabs LaTeX tabular with escaped headers', () => {
    const tex = formatTable('latex', columns, rows);
    expect(tex).toContain('\\begin{tabular}{lrrl}');
    expect(tex).toContain('Point & Si at\\% & Fe\\textsuperscript{2+} apfu & flags \\\\');
    expect(tex).toContain(
      '1, rim & 14.29 & 0.180 & MnO:bdl-\\textgreater{}0; total 97.10 outside 98-102 \\\\',
    );
    expect(tex.indexOf('\\toprule')).toBeLessThan(tex.indexOf('\\midrule'));
    expect(tex.trimEnd().endsWith('\\end{tabular}')).toBe(true);
  });

  it('escapes LaTeX specials', () => {
    expect(latexText('a_b & 5% #1 {x} Si at% 1σ')).toBe(
      'a\\_b \\& 5\\% \\#1 \\{x\\} Si at\\% 1\\ensuremath{\\sigma}',
    );
  });
});
