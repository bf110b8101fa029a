import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Composition, oxidesToElements, weightToAtomic } from '../composition/index.js';
import { atomicUncertainty, oxideAtomicUncertainty } from './index.js';

const ELEMENTS = ['Si', 'Ti', 'Al', 'Fe', 'Mn', 'Mg', 'Ca', 'Na', 'K', 'O'];
const OXIDES = [
  'SiO2',
  'TiO2',
  'Al2O3',
  'Cr2O3',
  'Fe2O3',
  'FeO',
  'MnO',
  'MgO',
  'CaO',
  'Na2O',
  'K2O',
  'P2O5',
];

/** Random values 0.05..80 wt% with 1-sigma 0..5% of each value, over a random subset of keys. */
const analysis = (keys: readonly string[]) =>
  fc.subarray([...keys], { minLength: 2 }).chain((chosen) =>
    fc
      .tuple(
        ...chosen.map(() =>
          fc.tuple(
            fc.double({ min: 0.05, max: 80, noNaN: true }),
            fc.double({ min: 0, max: 0.05, noNaN: true }),
          ),
        ),
      )
      .map((pairs) => ({
        values: Object.fromEntries(chosen.map((k, i) => [k, pairs[i]?.[0] as number])),
        sigma: Object.fromEntries(
          chosen.map((k, i) => [k, (pairs[i]?.[0] as number) * (pairs[i]?.[1] as number)]),
        ),
      })),
  );

/** 1-sigma of at% by central differences of the conversion itself, inputs uncorrelated. */
function finiteDifferenceSigma(
  values: Composition,
  sigma: Composition,
  toAtomic: (v: Composition) => Record<string, number>,
): Record<string, number> {
  // at% depends on each value relative to the total, so the step scales with the total (a step
  // scaled to a tiny value drowns the difference in rounding error).
  const h = 1e-4 * Object.values(values).reduce((a, b) => a + b, 0);
  const variance: Record<string, number> = {};
  for (const key of Object.keys(values)) {
    const x = values[key] as number;
    const up = toAtomic({ ...values, [key]: x + h });
    const down = toAtomic({ ...values, [key]: x - h });
    for (const e of Object.keys(up)) {
      const derivative = ((up[e] as number) - (down[e] as number)) / (2 * h);
      variance[e] = (variance[e] ?? 0) + (derivative * (sigma[key] ?? 0)) ** 2;
    }
  }
  return Object.fromEntries(Object.entries(variance).map(([e, v]) => [e, Math.sqrt(v)]));
}

/**
 * Relative agreement to 1e-6; a sigma far below the largest one is compared against 1e-2 of the
 * largest. That floor is for components whose true sigma is zero (oxygen when every oxide has the
 * same metal:oxygen ratio): there the central difference returns rounding noise of about
 * 1e-16 / h, which reached 1e-6 of a floor at 1e-3 of the largest for some random seeds.
 */
function expectClose(actual: Record<string, number>, expected: Record<string, number>) {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  const largest = Math.max(...Object.values(expected));
  for (const e of Object.keys(expected)) {
    const scale = Math.max(Math.abs(expected[e] as number), 1e-2 * largest, 1e-12);
    expect(Math.abs((actual[e] as number) - (expected[e] as number)) / scale, e).toBeLessThan(1e-6);
  }
}

describe('atomicUncertainty', () => {
  it('matches a hand calculation for Fe 50 +- 0.5, O 50 (exact)', () => {
    // nFe = 50/55.845 = 0.8953353031, nO = 50/15.999 = 3.1251953247, N = 4.0205306278
    // da_Fe/dw_Fe = 100 / (A_Fe N) * (1 - a_Fe/100) = 100 / (55.845 * 4.0205306278) * 0.7773091699
    //             = 0.4453816603 * 0.7773091699 = 0.3461992...; sigma(a_Fe) = 0.5 * that = 0.1730996
    const u = atomicUncertainty({ Fe: 50, O: 50 }, { Fe: 0.5 });
    const nFe = 50 / 55.845;
    const nO = 50 / 15.999;
    const expected = ((0.5 * 100) / (55.845 * (nFe + nO))) * (nO / (nFe + nO));
    expect(u.Fe).toBeCloseTo(expected, 12);
    expect(u.Fe).toBeCloseTo(0.1730996, 6);
    // Two components: a_O = 100 - a_Fe, so both carry the same sigma.
    expect(u.O).toBeCloseTo(u.Fe as number, 12);
  });

  it('agrees with central finite differences on random compositions', () => {
    fc.assert(
      fc.property(analysis(ELEMENTS), ({ values, sigma }) => {
        expectClose(
          atomicUncertainty(values, sigma),
          finiteDifferenceSigma(values, sigma, (v) => weightToAtomic(v)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('gives zero for exact inputs and scales with the analysis', () => {
    const values = { Si: 20, Mg: 30, O: 45, Fe: 5 };
    expect(Object.values(atomicUncertainty(values, {}))).toEqual([0, 0, 0, 0]);
    const sigma = { Si: 0.2, Mg: 0.3, Fe: 0.1 };
    const u = atomicUncertainty(values, sigma);
    const doubled = atomicUncertainty(
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, 2 * v])),
      Object.fromEntries(Object.entries(sigma).map(([k, v]) => [k, 2 * v])),
    );
    for (const e of Object.keys(u)) expect(doubled[e]).toBeCloseTo(u[e] as number, 12);
  });

  it('refuses stray, negative or oxide inputs', () => {
    expect(() => atomicUncertainty({ Si: 20 }, { Mg: 1 })).toThrow(
      "'Mg' has an uncertainty but no value",
    );
    expect(() => atomicUncertainty({ Si: 20, O: 1 }, { Si: -1 })).toThrow(
      "uncertainty of 'Si' is negative (-1)",
    );
    expect(() => atomicUncertainty({ SiO2: 20 }, {})).toThrow('use oxideAtomicUncertainty');
    expect(() => atomicUncertainty({ Si: 20 }, { Si: Number.NaN })).toThrow(
      "1-sigma wt%: value of 'Si' is not a finite number",
    );
  });
});

describe('oxideAtomicUncertainty', () => {
  const oxideToAtomic = (v: Composition) => weightToAtomic(oxidesToElements(v));

  it('agrees with central finite differences through the oxide route (oxygen derived)', () => {
    fc.assert(
      fc.property(analysis(OXIDES), ({ values, sigma }) => {
        expectClose(
          oxideAtomicUncertainty(values, sigma),
          finiteDifferenceSigma(values, sigma, oxideToAtomic),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('puts oxygen last, like oxidesToElements, and gives it an uncertainty from the oxides', () => {
    const u = oxideAtomicUncertainty(
      { SiO2: 40.8, MgO: 49.4, FeO: 9.6 },
      { SiO2: 0.3, MgO: 0.3, FeO: 0.1 },
    );
    expect(Object.keys(u)).toEqual(['Si', 'Mg', 'Fe', 'O']);
    expect(u.O).toBeGreaterThan(0);
  });

  it('a single uncertain oxide moves every element (sigma_e = |da_e/dx_k| sigma_k)', () => {
    // With MgO exact and sigma(SiO2) = 1, sigma of each at% is the magnitude of its derivative.
    const values = { SiO2: 42.705645705838, MgO: 57.294354294162 };
    const u = oxideAtomicUncertainty(values, { SiO2: 1 });
    const fd = finiteDifferenceSigma(values, { SiO2: 1 }, oxideToAtomic);
    expectClose(u, fd);
    expect(u.Si).toBeGreaterThan(0);
    expect(u.Mg).toBeGreaterThan(0);
  });
});
