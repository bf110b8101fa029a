import { describe, expect, it } from 'vitest';
import { AtomicWeights } from '../elements/index.js';
import { FormulaError, molarMass, parseFormula } from './index.js';

const entries = (formula: string) => [...parseFormula(formula)];

describe('parseFormula', () => {
  it('parses the usual EPMA oxides', () => {
    expect(entries('SiO2')).toEqual([
      ['Si', 1],
      ['O', 2],
    ]);
    expect(entries('Al2O3')).toEqual([
      ['Al', 2],
      ['O', 3],
    ]);
    expect(entries('Fe2O3')).toEqual([
      ['Fe', 2],
      ['O', 3],
    ]);
    expect(entries('FeO')).toEqual([
      ['Fe', 1],
      ['O', 1],
    ]);
    expect(entries('Na2O')).toEqual([
      ['Na', 2],
      ['O', 1],
    ]);
    expect(entries('P2O5')).toEqual([
      ['P', 2],
      ['O', 5],
    ]);
    expect(entries('Cr2O3')).toEqual([
      ['Cr', 2],
      ['O', 3],
    ]);
    expect(entries('H2O')).toEqual([
      ['H', 2],
      ['O', 1],
    ]);
    expect(entries('CO2')).toEqual([
      ['C', 1],
      ['O', 2],
    ]);
    expect(entries('CoO')).toEqual([
      ['Co', 1],
      ['O', 1],
    ]);
  });

  it('handles groups, decimals, repeats and outer whitespace', () => {
    expect(entries('Ca(OH)2')).toEqual([
      ['Ca', 1],
      ['O', 2],
      ['H', 2],
    ]);
    expect(entries('Fe0.5Mg1.5SiO4')).toEqual([
      ['Fe', 0.5],
      ['Mg', 1.5],
      ['Si', 1],
      ['O', 4],
    ]);
    expect(entries('CH3COOH')).toEqual([
      ['C', 2],
      ['H', 4],
      ['O', 2],
    ]);
    expect(entries('Ca5(PO4)3(OH)')).toEqual([
      ['Ca', 5],
      ['P', 3],
      ['O', 13],
      ['H', 1],
    ]);
    expect(entries('K[AlSi3O8]')).toEqual([
      ['K', 1],
      ['Al', 1],
      ['Si', 3],
      ['O', 8],
    ]);
    expect(entries('Mg3(Si2(O5))2')).toEqual([
      ['Mg', 3],
      ['Si', 4],
      ['O', 10],
    ]);
    expect(entries(' SiO2 ')).toEqual([
      ['Si', 1],
      ['O', 2],
    ]);
  });

  const failsAt = (formula: string, position: number, message: RegExp) => {
    let error: unknown;
    try {
      parseFormula(formula);
    } catch (e) {
      error = e;
    }
    expect(error, formula).toBeInstanceOf(FormulaError);
    const fe = error as FormulaError;
    expect(fe.formula).toBe(formula);
    expect(fe.position, formula).toBe(position);
    expect(fe.message).toMatch(message);
  };

  it('points at the offending character', () => {
    failsAt('', 0, /empty formula/);
    failsAt('   ', 0, /empty formula/);
    failsAt('SiQ2', 2, /at position 3: unknown element 'Q'/);
    failsAt('XxO', 0, /unknown element 'Xx'/);
    failsAt('sio2', 0, /capital letter/);
    failsAt('SiO2)', 4, /unexpected '\)'/);
    failsAt('Ca(OH2', 2, /'\(' is never closed/);
    failsAt('Ca(OH]2', 5, /expected '\)' but found '\]'/);
    failsAt('Ca()2', 2, /empty group/);
    failsAt('Si O2', 2, /unexpected character ' '/);
    failsAt('SiO2-', 4, /unexpected character '-'/);
    failsAt('Fe.5O', 2, /must start with a digit/);
    failsAt('Fe0O', 2, /count of zero/);
    failsAt('SiO2.', 4, /unexpected character '\.'|must start with a digit/);
  });
});

describe('molarMass', () => {
  it('matches hand sums with the CIAAW weights', () => {
    // SiO2 = 28.085 + 2 * 15.999
    expect(molarMass('SiO2')).toBeCloseTo(60.083, 12);
    // Al2O3 = 2 * 26.9815384 + 3 * 15.999 = 53.9630768 + 47.997
    expect(molarMass('Al2O3')).toBeCloseTo(101.9600768, 12);
    // Fe2O3 = 2 * 55.845 + 3 * 15.999 = 111.69 + 47.997
    expect(molarMass('Fe2O3')).toBeCloseTo(159.687, 12);
    // Ca(OH)2 = 40.078 + 2 * (15.999 + 1.008)
    expect(molarMass('Ca(OH)2')).toBeCloseTo(74.092, 12);
    expect(
      molarMass(
        new Map([
          ['Fe', 0.5],
          ['Mg', 1.5],
        ]),
      ),
    ).toBeCloseTo(0.5 * 55.845 + 1.5 * 24.305, 12);
  });

  it('uses the weights given and refuses elements without one', () => {
    expect(molarMass('TcO2', new AtomicWeights({ Tc: 98 }))).toBeCloseTo(98 + 2 * 15.999, 12);
    expect(() => molarMass('TcO2')).toThrow(/no standard atomic weight/);
  });
});
