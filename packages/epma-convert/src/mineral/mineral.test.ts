import { describe, expect, it } from 'vitest';
import { molarMass } from '../formula/index.js';
import { formulaPerOxygens } from './index.js';

/** Oxide wt% of a formula given as moles of each oxide per formula unit (independent of the code under test). */
function oxideWtOf(moles: Record<string, number>): Record<string, number> {
  const grams = Object.fromEntries(
    Object.entries(moles).map(([oxide, n]) => [oxide, n * molarMass(oxide)]),
  );
  const sum = Object.values(grams).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(grams).map(([oxide, g]) => [oxide, (100 * g) / sum]));
}

/** Oxygens carried by a formula, with O per cation of each oxide: checks the oxygen basis. */
const OXYGEN_PER_CATION: Record<string, number> = {
  Si: 2,
  Ti: 2,
  Al: 1.5,
  Cr: 1.5,
  Mg: 1,
  Fe: 1,
  Mn: 1,
  Ni: 1,
  Ca: 1,
  Na: 0.5,
};
function oxygensOf(apfu: Record<string, number>): number {
  let o = 0;
  for (const [s, n] of Object.entries(apfu)) {
    if (s === 'Fe3+') o += 1.5 * n;
    else o += n * (OXYGEN_PER_CATION[s === 'Fe2+' ? 'Fe' : s] as number);
  }
  return o;
}

describe('formulaPerOxygens without Fe3+', () => {
  it('gives Mg2SiO4 for forsterite (hand calculation)', () => {
    // MgO 57.294354294162 wt% / 40.304 g/mol = 1.421555039 mol; SiO2 42.705645706 / 60.083 = 0.710777520 mol
    // oxygen moles = 1.421555039 + 2 * 0.710777520 = 2.843110078; factor = 4 / 2.843110078 = 1.40691
    // Mg = 1.421555039 * 1.40691 = 2.0000, Si = 0.710777520 * 1.40691 = 1.0000
    const f = formulaPerOxygens({ SiO2: 42.705645705838, MgO: 57.294354294162 }, { oxygens: 4 });
    expect(Object.keys(f.apfu)).toEqual(['Si', 'Mg']);
    expect(f.apfu.Mg).toBeCloseTo(2, 10);
    expect(f.apfu.Si).toBeCloseTo(1, 10);
    expect(f.cationSum).toBeCloseTo(3, 10);
    expect(f.oxygens).toBe(4);
  });

  it('keeps the measured split of magnetite entered as FeO + Fe2O3: Fe2+ 1, Fe3+ 2', () => {
    // Fe3O4 = FeO.Fe2O3: FeO 31.029970 wt%, Fe2O3 68.970030 wt%
    const f = formulaPerOxygens(
      { FeO: 31.02997006880288, Fe2O3: 68.97002993119712 },
      { oxygens: 4 },
    );
    expect(f.apfu).toEqual({ 'Fe2+': expect.closeTo(1, 10), 'Fe3+': expect.closeTo(2, 10) });
    expect(f.fe3OverFeTotal).toBeCloseTo(2 / 3, 12);
    expect(f.cationSum).toBeCloseTo(3, 10);
  });

  it('corrects O = F, Cl: fluorapatite Ca5(PO4)3F on 12.5 oxygen equivalents', () => {
    // Ca5(PO4)3F by hand: 5 CaO + 1.5 P2O5 carry 12.5 O of cation charge (25 charges / 2);
    // F- takes half an O by charge, so the anions are O 12 and F 1.
    const A = { Ca: 40.078, P: 30.973761998, O: 15.999, F: 18.998403162 };
    const mass = 5 * A.Ca + 3 * A.P + 12 * A.O + A.F;
    const wt = {
      CaO: (100 * 5 * (A.Ca + A.O)) / mass,
      P2O5: (100 * 1.5 * (2 * A.P + 5 * A.O)) / mass,
      F: (100 * A.F) / mass,
    };
    const f = formulaPerOxygens(wt, { oxygens: 12.5 });
    expect(f.apfu.Ca).toBeCloseTo(5, 10);
    expect(f.apfu.P).toBeCloseTo(3, 10);
    expect(f.anions?.F).toBeCloseTo(1, 10);
    expect(f.anions?.O).toBeCloseTo(12, 10);
    expect(f.apfu.F).toBeUndefined();
  });

  it('is not scale dependent and stays on the oxygen basis for a non-stoichiometric analysis', () => {
    // Olivine Fo89, South Point, Hawaii: USGS spectral library sample GDS70, EPMA (WDS) by W.I. Ridley
    // (total 100.23 wt%).
    const gds70 = {
      SiO2: 41.09,
      TiO2: 0.01,
      Cr2O3: 0.05,
      FeO: 9.16,
      NiO: 0.39,
      MnO: 0.21,
      MgO: 49.29,
      CaO: 0.03,
    };
    const f = formulaPerOxygens(gds70, { oxygens: 4 });
    expect(f.apfu.Si).toBeCloseTo(1.0, 1);
    expect(Math.abs(f.cationSum - 3)).toBeLessThan(0.01);
    const mgNumber = (f.apfu.Mg as number) / ((f.apfu.Mg as number) + (f.apfu.Fe as number));
    expect(mgNumber).toBeGreaterThan(0.895);
    expect(mgNumber).toBeLessThan(0.91);
    expect(oxygensOf(f.apfu)).toBeCloseTo(4, 12);
    const doubled = formulaPerOxygens(
      Object.fromEntries(Object.entries(gds70).map(([k, v]) => [k, 2 * v])),
      {
        oxygens: 4,
      },
    );
    for (const s of Object.keys(f.apfu))
      expect(doubled.apfu[s]).toBeCloseTo(f.apfu[s] as number, 12);
  });
});

describe('formulaPerOxygens with Droop (1987) Fe3+', () => {
  const droop = (oxygens: number, cations: number) => ({ oxygens, cations, fe3: 'droop' as const });

  it('gives Fe3+/Fe = 2/3 for stoichiometric magnetite analysed as FeO', () => {
    // All Fe as FeO on 4 O: Fe = 4, S = 4; Fe3+ = 2 * 4 * (1 - 3/4) = 2 of Fe = 4 * 3/4 = 3.
    const f = formulaPerOxygens({ FeO: 93.1 }, droop(4, 3));
    expect(f.fe3OverFeTotal).toBeCloseTo(2 / 3, 14);
    expect(f.apfu['Fe3+']).toBeCloseTo(2, 12);
    expect(f.apfu['Fe2+']).toBeCloseTo(1, 12);
    expect(f.cationSum).toBeCloseTo(3, 12);
    expect(f.fe3Clamp).toBeUndefined();
    expect('Fe' in f.apfu).toBe(false);
  });

  it('gives the same split whether Fe is entered as FeO, Fe2O3 or both', () => {
    const asBoth = formulaPerOxygens(
      { FeO: 31.02997006880288, Fe2O3: 68.97002993119712 },
      droop(4, 3),
    );
    const asFe2O3 = formulaPerOxygens({ Fe2O3: 50 }, droop(4, 3));
    expect(asBoth.fe3OverFeTotal).toBeCloseTo(2 / 3, 12);
    expect(asFe2O3.fe3OverFeTotal).toBeCloseTo(2 / 3, 12);
  });

  it('recovers Fe3+ of a synthetic andradite50-almandine50 garnet on 12 O / 8 cations', () => {
    // Ca1.5 Fe2+1.5 Fe3+1 Al1 Si3 O12, analysed with all Fe as FeO: CaO 1.5, FeO 2.5, Al2O3 0.5, SiO2 3.
    const wt = oxideWtOf({ SiO2: 3, Al2O3: 0.5, FeO: 2.5, CaO: 1.5 });
    const f = formulaPerOxygens(wt, droop(12, 8));
    expect(Object.keys(f.apfu)).toEqual(['Si', 'Al', 'Fe2+', 'Fe3+', 'Ca']);
    expect(f.apfu.Si).toBeCloseTo(3, 12);
    expect(f.apfu.Al).toBeCloseTo(1, 12);
    expect(f.apfu['Fe2+']).toBeCloseTo(1.5, 12);
    expect(f.apfu['Fe3+']).toBeCloseTo(1, 12);
    expect(f.apfu.Ca).toBeCloseTo(1.5, 12);
    expect(f.cationSum).toBeCloseTo(8, 12);
    expect(f.fe3OverFeTotal).toBeCloseTo(0.4, 12);
    expect(oxygensOf(f.apfu)).toBeCloseTo(12, 12);
  });

  it('recovers Fe3+ of a diopside-aegirine pyroxene on 6 O / 4 cations', () => {
    // Ca0.7 Mg0.7 Na0.3 Fe3+0.3 Si2 O6: CaO 0.7, MgO 0.7, Na2O 0.15, FeO 0.3, SiO2 2.
    const f = formulaPerOxygens(
      oxideWtOf({ SiO2: 2, FeO: 0.3, MgO: 0.7, CaO: 0.7, Na2O: 0.15 }),
      droop(6, 4),
    );
    expect(f.apfu['Fe3+']).toBeCloseTo(0.3, 12);
    expect(f.apfu['Fe2+']).toBeCloseTo(0, 12);
    expect(f.fe3OverFeTotal).toBeCloseTo(1, 12);
    expect(f.apfu.Na).toBeCloseTo(0.3, 12);
  });

  it("clamps Fe3+ to zero when the cation sum is already at or below the ideal ('zero')", () => {
    // Olivine Fo80 with 1 wt% extra SiO2: S < 3 on 4 O.
    const wt = oxideWtOf({ SiO2: 1, MgO: 1.6, FeO: 0.4 });
    wt.SiO2 = (wt.SiO2 as number) + 1;
    const f = formulaPerOxygens(wt, droop(4, 3));
    const plain = formulaPerOxygens(wt, { oxygens: 4 });
    expect(plain.cationSum).toBeLessThan(3);
    expect(f.fe3Clamp).toBe('zero');
    expect(f.fe3OverFeTotal).toBe(0);
    expect(f.apfu['Fe3+']).toBe(0);
    expect(f.apfu['Fe2+']).toBeCloseTo(plain.apfu.Fe as number, 12);
    expect(oxygensOf(f.apfu)).toBeCloseTo(4, 12);
  });

  it("clamps Fe3+ to all Fe when charge balance needs more than there is ('all')", () => {
    // Cation-rich 'olivine' with little Fe: Mg2.2 Fe0.05 Si0.9 per 4.05 O.
    const f = formulaPerOxygens(oxideWtOf({ SiO2: 0.9, MgO: 2.2, FeO: 0.05 }), droop(4, 3));
    expect(f.fe3Clamp).toBe('all');
    expect(f.fe3OverFeTotal).toBe(1);
    expect(f.apfu['Fe2+']).toBe(0);
    expect(f.cationSum).toBeGreaterThan(3);
    expect(oxygensOf(f.apfu)).toBeCloseTo(4, 12);
  });

  it('reports zero Fe2+ and Fe3+ and no ratio when there is no Fe', () => {
    const f = formulaPerOxygens({ SiO2: 42.7, MgO: 57.3 }, droop(4, 3));
    expect(f.apfu['Fe2+']).toBe(0);
    expect(f.apfu['Fe3+']).toBe(0);
    expect(f.fe3OverFeTotal).toBeUndefined();
  });
});

describe('formulaPerOxygens errors', () => {
  it('explains bad options and inputs', () => {
    expect(() => formulaPerOxygens({ FeO: 10 }, { oxygens: 4, fe3: 'droop' })).toThrow(
      "cations (required with fe3: 'droop') must be a positive number, got undefined",
    );
    expect(() => formulaPerOxygens({ FeO: 10 }, { oxygens: 4, cations: 3 })).toThrow(
      "cations is only used with fe3: 'droop'",
    );
    expect(() => formulaPerOxygens({ FeO: 10 }, { oxygens: 0 })).toThrow(
      'oxygens must be a positive number, got 0',
    );
    expect(() => formulaPerOxygens({ Si: 10 }, { oxygens: 4 })).toThrow(
      "needs simple oxide wt% (one cation and oxygen, like SiO2 or Fe2O3); 'Si' is not one",
    );
    expect(() => formulaPerOxygens({ FeTiO3: 10 }, { oxygens: 4 })).toThrow("'FeTiO3' is not one");
    expect(() => formulaPerOxygens({ SiO2: 0, MgO: 0 }, { oxygens: 4 })).toThrow('carry no oxygen');
    expect(() => formulaPerOxygens({ SiO2: Number.NaN }, { oxygens: 4 })).toThrow(
      "value of 'SiO2' is not a finite number",
    );
  });
});
