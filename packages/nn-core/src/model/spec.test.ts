import { describe, expect, it } from 'vitest';
import { countParameters, DEFAULT_SPEC, parseSpecJson, SpecError, validateSpec } from './spec.js';

describe('validateSpec', () => {
  it('fills missing fields from the defaults and keeps given ones', () => {
    const spec = validateSpec({ hidden: [64, 32], dropout: 0.5, batchNorm: 'after' });
    expect(spec).toEqual({ ...DEFAULT_SPEC, hidden: [64, 32], dropout: 0.5, batchNorm: 'after' });
  });

  it('names the file and the offending field', () => {
    expect(() => validateSpec({ hidden: [64, -3] }, 'wide.json')).toThrow(
      'wide.json: hidden[1]: expected a positive whole number, got -3',
    );
    expect(() => validateSpec({ dropout: 1 }, 'a.json')).toThrow(
      'a.json: dropout: expected a number in [0, 1), got 1',
    );
    expect(() => validateSpec({ batchNorm: 'yes' }, 'a.json')).toThrow(
      /batchNorm: expected one of none, before, after/,
    );
    expect(() => validateSpec({ hiden: [1] }, 'a.json')).toThrow(/a.json: hiden: unknown field/);
    expect(() => validateSpec({ hidden: [8, 8], bottleneck: [4] }, 'a.json')).toThrow(
      'a.json: bottleneck: expected 2 widths, one per hidden layer, got 1',
    );
    expect(() => validateSpec([1, 2], 'a.json')).toThrow(SpecError);
  });

  it('accepts 0 as "no bottleneck" for a layer', () => {
    expect(validateSpec({ hidden: [8, 8], bottleneck: [0, 4] }).bottleneck).toEqual([0, 4]);
  });
});

describe('parseSpecJson', () => {
  it('reports the line and column of a JSON syntax error', () => {
    const text = '{\n  "hidden": [64, 32],\n  "dropout": 0.3,,\n}';
    // The stray second comma is line 3, column 18 (two spaces, `"dropout":`, space, `0.3,`).
    expect(() => parseSpecJson(text, 'spec.json')).toThrow(/^spec\.json:3:18: invalid JSON/);
  });
});

describe('countParameters', () => {
  it('counts dense weights and biases, batch-norm scales and shifts, and bottlenecks', () => {
    // 3072*1024+1024 + 2*1024 + 1024*512+512 + 2*512 + 512*10+10
    expect(countParameters(DEFAULT_SPEC)).toBe(3146752 + 2048 + 524800 + 1024 + 5130);
    // 3072*256 (no bias) + 256*1024+1024 + 1024*10+10, no batch norm
    const spec = validateSpec({ hidden: [1024], bottleneck: [256], batchNorm: 'none' });
    expect(countParameters(spec)).toBe(786432 + 263168 + 10250);
  });
});
