import { describe, expect, it } from 'vitest';
import { EpmaInputError } from './errors.js';
import { recogniseHeaders } from './headers.js';
import { recogniseSpecies } from './species.js';

const roleOf = (header: string) => recogniseHeaders([header]).columns[0]?.role;

describe('recogniseSpecies', () => {
  it.each([
    ['Si', 'Si', true],
    ['SI', 'Si', true],
    ['si', 'Si', true],
    ['SiO2', 'SiO2', false],
    ['SIO2', 'SiO2', false],
    ['sio2', 'SiO2', false],
    ['AL2O3', 'Al2O3', false],
    ['FEO', 'FeO', false],
    ['Fe2O3', 'Fe2O3', false],
    ['CAO', 'CaO', false],
    ['NA2O', 'Na2O', false],
    ['K2O', 'K2O', false],
    ['MNO', 'MnO', false],
    ['P2O5', 'P2O5', false],
    ['CO2', 'CO2', false],
    ['H2O', 'H2O', false],
    ['SNO2', 'SnO2', false],
    ['FeTiO3', 'FeTiO3', false],
  ])('%s -> %s', (token, formula, isElement) => {
    expect(recogniseSpecies(token)).toEqual({ formula, isElement });
  });

  it.each(['Point', 'Comment', 'Sample', 'Total', 'Grain', 'Line', 'Time', 'Beam', 'Spot', 'XO2'])(
    '%s is not a species',
    (token) => {
      expect(recogniseSpecies(token)).toBeUndefined();
    },
  );
});

describe('recogniseHeaders', () => {
  it.each(['Si', 'Si wt%', 'Si (wt%)', 'Wt% Si', 'Si(Mass%)', '  si   WT% ', 'Si_wt%'])(
    '%s is Si wt%',
    (header) => {
      expect(roleOf(header)).toEqual({ kind: 'composition', formula: 'Si', isElement: true });
    },
  );

  it.each(['SiO2', 'SiO2 WT%', 'SiO2(Mass%)', 'SIO2 (wt.%)', 'Mass% SiO2', 'sio2 Wt%'])(
    '%s is SiO2 wt%',
    (header) => {
      expect(roleOf(header)).toEqual({ kind: 'composition', formula: 'SiO2', isElement: false });
    },
  );

  it.each(['FeOt', 'FeOT', 'FeO*', 'FeO(t)', 'FeO tot'])('%s is total iron as FeO', (header) => {
    expect(roleOf(header)).toEqual({ kind: 'composition', formula: 'FeO', isElement: false });
  });

  it.each(['Total', 'TOTAL', 'Total(Mass%)', 'Sum', 'total wt%', 'Oxide Total'])(
    '%s is the total',
    (header) => {
      expect(roleOf(header)).toEqual({ kind: 'total' });
    },
  );

  it.each([
    ['Si(Norm%)', 'norm%'],
    ['Si(Cation)', 'cation'],
    ['Si(K-ratio)', 'k-ratio'],
    ['Si(Net)', 'net'],
    ['Si(D.L.)', 'd.l.'],
    ['Si DL', 'dl'],
  ])('%s is a known instrument column that is ignored', (header, what) => {
    expect(roleOf(header)).toMatchObject({ kind: 'ignored', formula: 'Si', what });
  });

  it.each([
    ['SiO2 1σ', false],
    ['SiO2 sigma', false],
    ['SiO2 ±', false],
    ['SiO2 err (wt%)', false],
    ['SiO2 1σ (wt%)', false],
    ['SiO2(Error%)', true],
    ['SiO2 %Err', true],
    ['SiO2 rel err %', true],
  ])('%s is an uncertainty (relative: %s)', (header, relative) => {
    const { columns } = recogniseHeaders(['SiO2', header]);
    expect(columns[1]?.role).toEqual({ kind: 'uncertainty', formula: 'SiO2', relative });
  });

  it.each(['Point', 'Comment', 'Sample', 'X', 'Y', 'Z', 'No.', 'Date', 'Grain'])(
    '%s passes through (even where it spells an element)',
    (header) => {
      expect(recogniseHeaders([header])).toEqual({
        columns: [{ index: 0, header, role: { kind: 'passthrough' } }],
        warnings: [],
      });
    },
  );

  it('names a composition-like column it cannot interpret in a warning and passes it through', () => {
    const r = recogniseHeaders(['SiO2', 'SiO2 ppm', 'Mg#']);
    expect(r.columns.map((c) => c.role.kind)).toEqual([
      'composition',
      'passthrough',
      'passthrough',
    ]);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toContain('"SiO2 ppm"');
    expect(r.warnings[1]).toContain('"Mg#"');
  });

  it('warns about an uncertainty column whose composition column is missing', () => {
    const r = recogniseHeaders(['SiO2', 'MgO 1σ']);
    expect(r.columns[1]?.role.kind).toBe('passthrough');
    expect(r.warnings[0]).toMatch(/"MgO 1σ".*no MgO column/);
  });

  it('refuses two columns holding the same oxide, naming both and the place', () => {
    expect(() => recogniseHeaders(['Point', 'FeO', 'FeO*'], 'a.csv', 3)).toThrow(EpmaInputError);
    expect(() => recogniseHeaders(['Point', 'FeO', 'FeO*'], 'a.csv', 3)).toThrow(
      /^a\.csv:3:3: columns "FeO" \(column 2\) and "FeO\*" both hold FeO wt%/,
    );
  });

  it('ignores an oxide JEOL column too', () => {
    expect(roleOf('SiO2(Norm%)')).toEqual({ kind: 'ignored', formula: 'SiO2', what: 'norm%' });
  });

  it('strips a byte-order mark from the first header', () => {
    expect(roleOf('\uFEFFSiO2')).toMatchObject({ kind: 'composition', formula: 'SiO2' });
  });
});
