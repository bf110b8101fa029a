import { describe, expect, it } from 'vitest';
import {
  ATOMIC_WEIGHTS_SOURCE,
  AtomicWeightError,
  AtomicWeights,
  ELEMENTS,
  isElementSymbol,
  parseWeightOverrides,
} from './index.js';

describe('ELEMENTS table', () => {
  it('has Z = 1..118 in order with unique symbols', () => {
    expect(ELEMENTS).toHaveLength(118);
    expect(ELEMENTS.map((e) => e.z)).toEqual(Array.from({ length: 118 }, (_, i) => i + 1));
    expect(new Set(ELEMENTS.map((e) => e.symbol)).size).toBe(118);
    expect(ELEMENTS[0]?.symbol).toBe('H');
    expect(ELEMENTS[25]?.symbol).toBe('Fe');
    expect(ELEMENTS[117]?.symbol).toBe('Og');
  });

  it('carries the 2024 CIAAW revisions of Zr, Gd and Lu', () => {
    const weight = (s: string) => ELEMENTS.find((e) => e.symbol === s)?.weight;
    expect(weight('Zr')).toBe(91.222);
    expect(weight('Gd')).toBe(157.249);
    expect(weight('Lu')).toBe(174.96669);
    expect(ATOMIC_WEIGHTS_SOURCE).toMatch(/CIAAW 2021.*2024.*Zr, Gd, Lu/);
  });

  it('gives 84 elements a standard weight and marks the other 34 as null', () => {
    const missing = ELEMENTS.filter((e) => e.weight === null).map((e) => e.symbol);
    expect(missing).toHaveLength(34);
    expect(missing.slice(0, 8)).toEqual(['Tc', 'Pm', 'Po', 'At', 'Rn', 'Fr', 'Ra', 'Ac']);
    expect(ELEMENTS.filter((e) => e.z >= 93).every((e) => e.weight === null)).toBe(true);
    for (const s of ['Th', 'Pa', 'U'])
      expect(ELEMENTS.find((e) => e.symbol === s)?.weight).not.toBeNull();
  });

  // CIAAW rounds conventional values: O 15.999 and Tl 204.38 lie just below their intervals
  // [15.99903, 15.99977] and [204.382, 204.385]; they lie inside once the bounds are rounded alike.
  it('keeps the 14 interval elements with their conventional value inside the rounded interval', () => {
    const withInterval = ELEMENTS.filter((e) => e.interval);
    expect(withInterval.map((e) => e.symbol)).toEqual([
      'H',
      'Li',
      'B',
      'C',
      'N',
      'O',
      'Mg',
      'Si',
      'S',
      'Cl',
      'Ar',
      'Br',
      'Tl',
      'Pb',
    ]);
    for (const e of withInterval) {
      const [low, high] = e.interval as [number, number];
      expect(low).toBeLessThan(high);
      const decimals = String(e.weight).split('.')[1]?.length ?? 0;
      const round = (x: number) => Number(x.toFixed(decimals));
      expect(e.weight, e.symbol).toBeGreaterThanOrEqual(round(low));
      expect(e.weight, e.symbol).toBeLessThanOrEqual(round(high));
      expect(e.uncertainty).toBeUndefined();
    }
  });

  it('has weights that grow with Z except the known inversions (Ar/K, Co/Ni, Te/I, Th/Pa)', () => {
    const weighted = ELEMENTS.filter((e) => e.weight !== null);
    const inversions: string[] = [];
    for (let i = 1; i < weighted.length; i++) {
      const prev = weighted[i - 1];
      const cur = weighted[i];
      if (prev && cur && (cur.weight as number) < (prev.weight as number))
        inversions.push(`${prev.symbol}/${cur.symbol}`);
    }
    expect(inversions).toEqual(['Ar/K', 'Co/Ni', 'Te/I', 'Th/Pa']);
  });

  it('gives a positive uncertainty to every single-valued weight', () => {
    for (const e of ELEMENTS.filter((x) => x.weight !== null && !x.interval)) {
      expect(e.uncertainty, e.symbol).toBeGreaterThan(0);
      expect(e.uncertainty as number, e.symbol).toBeLessThan((e.weight as number) * 1e-3);
    }
  });
});

describe('isElementSymbol', () => {
  it('is case-sensitive', () => {
    expect(isElementSymbol('Si')).toBe(true);
    expect(isElementSymbol('SI')).toBe(false);
    expect(isElementSymbol('si')).toBe(false);
    expect(isElementSymbol('Og')).toBe(true);
    expect(isElementSymbol('Xx')).toBe(false);
    expect(isElementSymbol('')).toBe(false);
  });
});

describe('AtomicWeights', () => {
  it('returns table weights and applies overrides', () => {
    const standard = new AtomicWeights();
    expect(standard.get('Fe')).toBe(55.845);
    expect(standard.get('O')).toBe(15.999);
    const custom = new AtomicWeights({ Tc: 97.9, O: 16 });
    expect(custom.get('Tc')).toBe(97.9);
    expect(custom.get('O')).toBe(16);
    expect(custom.get('Si')).toBe(28.085);
    expect(custom.source).toContain('user-supplied: Tc 97.9, O 16');
  });

  it('refuses an element without a standard weight and says how to supply one', () => {
    const weights = new AtomicWeights();
    expect(weights.has('Tc')).toBe(false);
    expect(() => weights.get('Tc')).toThrow(AtomicWeightError);
    expect(() => weights.get('Tc')).toThrow(
      /technetium \(Tc\) has no standard atomic weight.*supply one.*"Tc"/,
    );
    expect(new AtomicWeights({ Tc: 98 }).has('Tc')).toBe(true);
  });

  it('refuses unknown symbols, hinting at the capitalisation', () => {
    const weights = new AtomicWeights();
    expect(weights.has('Xx')).toBe(false);
    expect(() => weights.get('Xx')).toThrow("unknown element symbol 'Xx'");
    expect(() => weights.get('SI')).toThrow("did you mean 'Si'?");
  });

  it('validates overrides', () => {
    expect(() => new AtomicWeights({ Qq: 1 })).toThrow(/override.*unknown element symbol 'Qq'/);
    expect(() => new AtomicWeights({ Fe: -1 })).toThrow(
      /override for Fe: expected a finite positive number, got -1/,
    );
    expect(() => new AtomicWeights({ Fe: Number.NaN })).toThrow(/override for Fe/);
    expect(() => new AtomicWeights({ Fe: 0 })).toThrow(/override for Fe/);
  });

  it('cannot be changed after construction', () => {
    const overrides: Record<string, number> = { Tc: 97.9 };
    const weights = new AtomicWeights(overrides);
    overrides.Tc = 1;
    expect(weights.get('Tc')).toBe(97.9);
    expect(() => {
      (weights.overrides as Record<string, number>).Tc = 2;
    }).toThrow(TypeError);
  });
});

describe('parseWeightOverrides', () => {
  it('reads a JSON object of symbol -> mass', () => {
    expect(parseWeightOverrides('{"Tc": 97.9, "Pm": 144.91}')).toEqual({ Tc: 97.9, Pm: 144.91 });
    expect(parseWeightOverrides('{}')).toEqual({});
  });

  it('names the source and the bad key in errors', () => {
    expect(() => parseWeightOverrides('{"Tc": 97.9,', 'w.json')).toThrow(
      /^w\.json: not valid JSON/,
    );
    expect(() => parseWeightOverrides('[1]', 'w.json')).toThrow('w.json: expected a JSON object');
    expect(() => parseWeightOverrides('{"tc": 97.9}', 'w.json')).toThrow(
      /w\.json: key "tc": unknown element symbol 'tc' \(did you mean 'Tc'/,
    );
    expect(() => parseWeightOverrides('{"Tc": "97.9"}', 'w.json')).toThrow(
      'w.json: key "Tc": expected a positive number',
    );
    expect(() => parseWeightOverrides('{"Tc": -3}')).toThrow(/^atomic weights JSON: key "Tc"/);
  });
});
