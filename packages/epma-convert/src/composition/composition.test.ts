import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtomicWeights } from '../elements/index.js';
import {
  atomicToWeight,
  CompositionError,
  normalise,
  oxidesToElements,
  total,
  weightToAtomic,
} from './index.js';

const MAJOR_ELEMENTS = [
  'Si',
  'Ti',
  'Al',
  'Cr',
  'Fe',
  'Mn',
  'Mg',
  'Ni',
  'Ca',
  'Na',
  'K',
  'P',
  'O',
] as const;
const OXIDES = [
  'SiO2',
  'TiO2',
  'Al2O3',
  'Cr2O3',
  'Fe2O3',
  'FeO',
  'MnO',
  'MgO',
  'NiO',
  'CaO',
  'Na2O',
  'K2O',
  'P2O5',
];

/** Random compositions: 1..all keys, each 0.001..100 wt%. */
const compositionOf = (keys: readonly string[]) =>
  fc
    .subarray([...keys], { minLength: 1 })
    .chain((chosen) =>
      fc
        .tuple(...chosen.map(() => fc.double({ min: 0.001, max: 100, noNaN: true })))
        .map((values) => Object.fromEntries(chosen.map((k, i) => [k, values[i] as number]))),
    );

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

describe('weightToAtomic: hand calculations', () => {
  it('converts 50 wt% Fe + 50 wt% O', () => {
    // n(Fe) = 50 / 55.845 = 0.895335303071, n(O) = 50 / 15.999 = 3.125195324708
    // at% Fe = 100 * 0.895335303071 / 4.020530627779 = 22.269083013195
    const at = weightToAtomic({ Fe: 50, O: 50 });
    expect(at.Fe).toBeCloseTo(22.269083013195, 10);
    expect(at.O).toBeCloseTo(77.730916986805, 10);
    expect(Object.keys(at)).toEqual(['Fe', 'O']);
  });

  it('gives 2:1:4 for forsterite Mg2SiO4 entered as oxides', () => {
    // M(MgO) = 24.305 + 15.999 = 40.304; M(SiO2) = 28.085 + 2 * 15.999 = 60.083
    // M(Mg2SiO4) = 2 * 40.304 + 60.083 = 140.691
    // MgO = 100 * 80.608 / 140.691 = 57.294354294162 wt%, SiO2 = 42.705645705838 wt%
    const elements = oxidesToElements({ SiO2: 42.705645705838, MgO: 57.294354294162 });
    expect(Object.keys(elements)).toEqual(['Si', 'Mg', 'O']);
    // Si = 42.705645705838 * 28.085 / 60.083 = 19.962..., Mg = 57.294354294162 * 24.305 / 40.304
    expect(elements.Si).toBeCloseTo((42.705645705838 * 28.085) / 60.083, 12);
    expect(elements.Mg).toBeCloseTo((57.294354294162 * 24.305) / 40.304, 12);
    const at = weightToAtomic(elements);
    expect(at.Mg).toBeCloseTo((100 * 2) / 7, 9);
    expect(at.Si).toBeCloseTo((100 * 1) / 7, 9);
    expect(at.O).toBeCloseTo((100 * 4) / 7, 9);
  });

  it('uses the weights it is given', () => {
    const heavyO = new AtomicWeights({ O: 16 });
    const at = weightToAtomic({ Fe: 50, O: 50 }, heavyO);
    expect(at.Fe).toBeCloseTo((100 * (50 / 55.845)) / (50 / 55.845 + 50 / 16), 12);
  });
});

describe('oxidesToElements', () => {
  it('splits an oxide by stoichiometry', () => {
    // Al2O3: Al fraction = 2 * 26.9815384 / 101.9600768 = 0.529251...
    const e = oxidesToElements({ Al2O3: 10 });
    expect(e.Al).toBeCloseTo((10 * 2 * 26.9815384) / 101.9600768, 12);
    expect(e.O).toBeCloseTo((10 * 3 * 15.999) / 101.9600768, 12);
  });

  it('adds FeO and Fe2O3 into one Fe and lets element keys pass through', () => {
    const e = oxidesToElements({ FeO: 10, Fe2O3: 5, F: 0.3, Cl: 0.1 });
    expect(Object.keys(e)).toEqual(['Fe', 'F', 'Cl', 'O']);
    expect(e.Fe).toBeCloseTo((10 * 55.845) / 71.844 + (5 * 2 * 55.845) / 159.687, 12);
    expect(e.F).toBe(0.3);
    expect(e.Cl).toBe(0.1);
  });

  it('conserves mass: element wt% sum to the oxide total', () => {
    fc.assert(
      fc.property(compositionOf(OXIDES), (oxides) => {
        expect(sum(oxidesToElements(oxides))).toBeCloseTo(total(oxides), 9);
      }),
    );
  });

  it('rejects bad keys and values with the key named', () => {
    expect(() => oxidesToElements({ SiQ2: 1 })).toThrow(
      /invalid formula 'SiQ2' at position 3: unknown element 'Q'/,
    );
    expect(() => oxidesToElements({ SiO2: Number.NaN })).toThrow(
      new CompositionError("oxide wt%: value of 'SiO2' is not a finite number (NaN)"),
    );
    expect(() => oxidesToElements({ TcO2: 1 })).toThrow(
      /technetium \(Tc\) has no standard atomic weight/,
    );
  });
});

describe('weightToAtomic and atomicToWeight: properties', () => {
  it('at% sums to 100', () => {
    fc.assert(
      fc.property(compositionOf(MAJOR_ELEMENTS), (wt) => {
        expect(sum(weightToAtomic(wt))).toBeCloseTo(100, 10);
      }),
    );
  });

  it('scaling all wt% leaves at% unchanged', () => {
    fc.assert(
      fc.property(
        compositionOf(MAJOR_ELEMENTS),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (wt, k) => {
          const scaled = Object.fromEntries(Object.entries(wt).map(([s, v]) => [s, v * k]));
          const a = weightToAtomic(wt);
          const b = weightToAtomic(scaled);
          for (const s of Object.keys(wt)) expect(b[s]).toBeCloseTo(a[s] as number, 10);
        },
      ),
    );
  });

  it('wt% -> at% -> wt% round-trips to the normalised wt%', () => {
    fc.assert(
      fc.property(compositionOf(MAJOR_ELEMENTS), (wt) => {
        const back = atomicToWeight(weightToAtomic(wt));
        const expected = normalise(wt);
        for (const s of Object.keys(wt)) expect(back[s]).toBeCloseTo(expected[s] as number, 10);
      }),
    );
  });

  it('rejects oxide keys, non-numbers and all-zero rows', () => {
    expect(() => weightToAtomic({ SiO2: 50 })).toThrow(
      "element wt%: 'SiO2' is not an element symbol (convert oxide wt% with oxidesToElements first)",
    );
    expect(() => weightToAtomic({ Si: Number.POSITIVE_INFINITY })).toThrow(
      /value of 'Si' is not a finite number/,
    );
    expect(() => weightToAtomic({ Si: 0, O: 0 })).toThrow('element wt%: the moles sum to zero');
    expect(() => atomicToWeight({ Xx: 1 })).toThrow("at%: 'Xx' is not an element symbol");
  });
});

describe('normalise and total', () => {
  it('scales to the target', () => {
    expect(normalise({ a: 1, b: 3 })).toEqual({ a: 25, b: 75 });
    expect(normalise({ a: 1, b: 3 }, 1)).toEqual({ a: 0.25, b: 0.75 });
    expect(total({ SiO2: 40.5, MgO: 49.5, FeO: 9.5 })).toBeCloseTo(99.5, 12);
    expect(total({})).toBe(0);
  });

  it('sums to the target for any composition', () => {
    fc.assert(
      fc.property(
        compositionOf(OXIDES),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        (v, target) => {
          expect(total(normalise(v, target))).toBeCloseTo(target, 9);
        },
      ),
    );
  });

  it('refuses a zero total', () => {
    expect(() => normalise({ a: 0 })).toThrow('normalise: the values sum to zero');
  });
});
