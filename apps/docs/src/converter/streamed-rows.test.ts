import { describe, expect, it } from 'vitest';
import { StreamedRows } from './streamed-rows.js';

describe('StreamedRows', () => {
  const rows = new StreamedRows([2, 0, 1]);
  rows.add(0, Int32Array.from([2, 3]), '| a | 1 | x |\n| b | 2 | y \\| z |\n');
  rows.add(2, Int32Array.from([5]), '| c | 3 |  |\n');

  it('finds each row in its chunk, with its line, and its cells in display order', () => {
    expect(rows.count).toBe(3);
    expect([0, 1, 2].map((r) => rows.line(r))).toEqual([2, 3, 5]);
    expect(rows.cells(0)).toEqual(['x', 'a', '1']);
    expect(rows.cells(1)).toEqual(['y | z', 'b', '2']);
    expect(rows.cells(2)).toEqual(['', 'c', '3']);
  });

  it('has nothing for rows not received, and refuses chunks out of order', () => {
    expect(rows.line(3)).toBeUndefined();
    expect(rows.cells(-1)).toEqual([]);
    expect(() => rows.add(7, Int32Array.from([9]), '| d | 4 | w |\n')).toThrow(/out of order/);
  });
});
