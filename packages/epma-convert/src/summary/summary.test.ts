import { describe, expect, it } from 'vitest';
import { summariseGroups } from './index.js';

describe('summariseGroups', () => {
  it('gives n, mean and sample sd per group (hand calculation)', async () => {
    const rows = [
      { group: 'olivine', values: { SiO2: 40.5, MgO: 49.0 } },
      { group: 'glass', values: { SiO2: 50.0, MgO: 8.0 } },
      { group: 'olivine', values: { SiO2: 40.9, MgO: 49.6 } },
      { group: 'olivine', values: { SiO2: 40.7, MgO: 48.8 } },
    ];
    const [olivine, glass] = await summariseGroups(rows);
    expect(olivine?.group).toBe('olivine');
    expect(olivine?.n).toBe(3);
    // SiO2: mean (40.5 + 40.9 + 40.7) / 3 = 40.7; deviations -0.2, 0.2, 0 -> sd = sqrt(0.08 / 2) = 0.2
    expect(olivine?.mean.SiO2).toBeCloseTo(40.7, 12);
    expect(olivine?.sd.SiO2).toBeCloseTo(0.2, 12);
    // MgO: mean 49.133333; deviations -0.133333, 0.466667, -0.333333 -> squares sum 0.346667 -> sd = sqrt(0.173333) = 0.416333
    expect(olivine?.mean.MgO).toBeCloseTo(49.1333333333, 9);
    expect(olivine?.sd.MgO).toBeCloseTo(0.4163331999, 9);
    expect(olivine?.count).toEqual({ SiO2: 3, MgO: 3 });
    expect(glass?.n).toBe(1);
    expect(glass?.mean).toEqual({ SiO2: 50, MgO: 8 });
    expect(glass?.sd.SiO2).toBeNaN();
  });

  it('leaves missing and NaN values out of a key and says how many it used', async () => {
    const [g] = await summariseGroups([
      { group: 'a', values: { Si: 1, Fe: 2 } },
      { group: 'a', values: { Si: 3 } },
      { group: 'a', values: { Si: Number.NaN, Fe: 4 } },
    ]);
    expect(g?.n).toBe(3);
    expect(g?.count).toEqual({ Si: 2, Fe: 2 });
    expect(g?.mean).toEqual({ Si: 2, Fe: 3 });
    expect(g?.sd.Si).toBeCloseTo(Math.SQRT2, 12);
  });

  it('is accurate for values with a large common offset', async () => {
    const [g] = await summariseGroups(
      [1e9 + 1, 1e9 + 2, 1e9 + 3].map((v) => ({ group: 'x', values: { v } })),
    );
    expect(g?.sd.v).toBeCloseTo(1, 6);
  });

  it('returns nothing for no rows, and takes any iterable', async () => {
    expect(await summariseGroups([])).toEqual([]);
    function* rows() {
      yield { group: 'g', values: { a: 1 } };
      yield { group: 'g', values: { a: 2 } };
    }
    const [g] = await summariseGroups(rows());
    expect(g?.mean.a).toBe(1.5);
  });
});
