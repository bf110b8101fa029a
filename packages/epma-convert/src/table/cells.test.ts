import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal, readCell } from './cells.js';

describe('readCell', () => {
  it.each([
    ['45.2', 45.2],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['-0.03', -0.03],
    ['+1', 1],
    ['1e-3', 0.001],
    [' 12.5 ', 12.5],
  ])('reads %j as %d', (text, value) => {
    expect(readCell(text, false)).toEqual({ kind: 'number', value });
  });

  it('reads a decimal comma only when asked', () => {
    expect(readCell('12,5', true)).toEqual({ kind: 'number', value: 12.5 });
    expect(readCell('12,5', false)).toEqual({ kind: 'invalid' });
    expect(readCell('1,2,3', true)).toEqual({ kind: 'invalid' });
  });

  it.each([
    'bdl',
    'BDL',
    'b.d.l.',
    'n.d.',
    'N.D.',
    'nd',
    '-',
    '<DL',
    '<LOD',
    '< LOD',
    '<L.O.D.',
    '<LLD',
    '<MDL',
    'LLD',
  ])('%j is below detection', (text) => {
    expect(readCell(text, false)).toMatchObject({ kind: 'below' });
  });

  it.each(['n.a.', 'N.A.', 'NA', 'n/a', 'N/A', 'nan', 'NaN', ' n.a ', 'not analysed'])(
    '%j is not analysed, read like a blank cell',
    (text) => {
      expect(readCell(text, false)).toEqual({ kind: 'blank' });
    },
  );

  it.each(['', '   '])('%j is blank (not analysed), not below detection', (text) => {
    expect(readCell(text, false)).toEqual({ kind: 'blank' });
  });

  it('keeps the limit of <0.02', () => {
    expect(readCell('<0.02', false)).toEqual({ kind: 'below', marker: '<0.02', limit: 0.02 });
    expect(readCell('< 0,05', true)).toEqual({ kind: 'below', marker: '< 0,05', limit: 0.05 });
  });

  it.each(['1.2.3', 'abc', '0x10', 'Infinity', '1 2', '12%', 'NAN!', '<', '<LODx', '1,234'])(
    '%j is invalid',
    (text) => {
      expect(readCell(text, false)).toEqual({ kind: 'invalid' });
    },
  );

  it('reads any finite double printed by JavaScript back exactly', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(parseDecimal(String(x), false)).toBe(x === 0 ? 0 : x);
      }),
    );
  });
});
