import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { intListOption, numberOption } from './options.js';

describe('option readers', () => {
  it('reads numbers and enforces range and integrality', () => {
    expect(numberOption({ lr: '0.001' }, 'lr')).toBe(0.001);
    expect(numberOption({}, 'lr')).toBeUndefined();
    expect(() => numberOption({ lr: 'fast' }, 'lr')).toThrow(UsageError);
    expect(() => numberOption({ epochs: 2.5 }, 'epochs', { integer: true })).toThrow(
      /whole number/,
    );
    expect(() => numberOption({ valSplit: 1.5 }, 'valSplit', { max: 0.9 })).toThrow(
      /--val-split must be between/,
    );
  });

  it('reads comma-separated layer sizes', () => {
    expect(intListOption({ hidden: '1024, 512' }, 'hidden')).toEqual([1024, 512]);
    expect(() => intListOption({ hidden: '1024,x' }, 'hidden')).toThrow(/positive whole numbers/);
  });
});
