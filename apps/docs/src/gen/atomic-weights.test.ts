import { ATOMIC_WEIGHTS_SOURCE, ELEMENTS } from '@labkit/epma-convert';
import { describe, expect, it } from 'vitest';
import { plainDecimal, renderAtomicWeights } from './atomic-weights.js';

describe('renderAtomicWeights', () => {
  const page = renderAtomicWeights(ELEMENTS, ATOMIC_WEIGHTS_SOURCE);
  const rows = page.split('\n').filter((line) => /^\| \d+ \|/.test(line));
  const row = (symbol: string) => rows.find((r) => r.split(' | ')[1] === symbol) ?? '';

  it('has one row per element, in order of Z', () => {
    expect(rows).toHaveLength(ELEMENTS.length);
    expect(rows.map((r) => Number(r.split(' | ')[0]?.slice(2)))).toEqual(ELEMENTS.map((e) => e.z));
  });

  it('states the source of the weights', () => {
    expect(page).toContain(`**Source:** ${ATOMIC_WEIGHTS_SOURCE}`);
  });

  it('shows the 2024 CIAAW revisions, intervals and missing weights as the data holds them', () => {
    expect(row('Zr')).toBe('| 40 | Zr | zirconium | 91.222 | ± 0.003 |');
    expect(row('Lu')).toContain('| 174.96669 | ± 0.00005 |');
    expect(row('O')).toBe('| 8 | O | oxygen | 15.999 | interval [15.99903, 15.99977] |');
    expect(row('Tc')).toContain('| — | no standard atomic weight');
  });

  it('never writes numbers in exponent notation', () => {
    expect(rows.join('\n')).not.toMatch(/\de-\d/);
    expect(row('Be')).toContain('± 0.0000005');
  });
});

describe('plainDecimal', () => {
  it('writes small values in decimals and trims trailing zeros', () => {
    expect(plainDecimal(5e-7, 7)).toBe('0.0000005');
    expect(plainDecimal(0.002, 6)).toBe('0.002');
    expect(plainDecimal(3, 0)).toBe('3');
  });
});
