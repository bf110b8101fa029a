import { describe, expect, it } from 'vitest';
import { detectDialect } from './detect.js';

describe('detectDialect', () => {
  it('finds commas with decimal points', () => {
    expect(detectDialect('Point,SiO2,MgO\n1,40.8,49.4\n2,40.9,49.2\n')).toEqual({
      delimiter: ',',
      decimalComma: false,
    });
  });

  it('finds semicolons with decimal commas', () => {
    expect(detectDialect('Point;SiO2;MgO\n1;40,8;49,4\n2;40,9;49,2\n')).toEqual({
      delimiter: ';',
      decimalComma: true,
    });
  });

  it('finds semicolons with decimal points', () => {
    expect(detectDialect('Point;SiO2;MgO\n1;40.8;49.4\n')).toEqual({
      delimiter: ';',
      decimalComma: false,
    });
  });

  it('finds tabs, with a BOM and CRLF line ends', () => {
    expect(detectDialect('\uFEFFPoint\tSiO2\tMgO\r\n1\t40,8\t49,4\r\n')).toEqual({
      delimiter: '\t',
      decimalComma: true,
    });
  });

  it('is not fooled by commas inside quoted comments', () => {
    expect(detectDialect('Point;Comment;SiO2\n1;"rim, near crack";40.8\n2;"core";41.0\n')).toEqual({
      delimiter: ';',
      decimalComma: false,
    });
  });

  it('ignores a final line cut off by the sample size', () => {
    expect(detectDialect('a;b;c\n1;2;3\n4;5')).toEqual({ delimiter: ';', decimalComma: false });
  });

  it('obeys forced settings', () => {
    expect(detectDialect('a;b\n1,5;2,5\n', { delimiter: ';', decimalComma: false })).toEqual({
      delimiter: ';',
      decimalComma: false,
    });
    expect(detectDialect('a,b\n1.5,2\n', { delimiter: ';' })).toEqual({
      delimiter: ';',
      decimalComma: false,
    });
    expect(detectDialect('a;b\n1.5;2.5\n', { decimalComma: true })).toEqual({
      delimiter: ';',
      decimalComma: true,
    });
  });
});
