import { describe, expect, it } from 'vitest';
import { EpmaInputError } from './errors.js';
import {
  ABSOLUTE_SIGMA_WORDS,
  ALL_TEST_SPELLINGS,
  BEAM_SETTING_WORDS,
  INSTRUMENT_WORDS,
  NOT_COMPOSITION_WORDS,
  PASSTHROUGH_WORDS,
  PPM_WORDS,
  RELATIVE_SIGMA_WORDS,
  STATISTICS_WORDS,
  TOTAL_IRON_MARKS,
  TOTAL_IRON_PREFIXES,
  TOTAL_WORDS,
  WEIGHT_PERCENT_WORDS,
} from './header-words.js';
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
    // Spreadsheet spellings with a lower-case oxygen: these once passed through unread.
    ['Feo', 'FeO', false],
    ['Fe2o3', 'Fe2O3', false],
    ['Mno', 'MnO', false],
    ['Nio', 'NiO', false],
    ['Cr2o3', 'Cr2O3', false],
    ['Sio2', 'SiO2', false],
    ['K2o', 'K2O', false],
  ])('%s -> %s', (token, formula, isElement) => {
    expect(recogniseSpecies(token)).toEqual({ formula, isElement });
  });

  it.each([
    'Point',
    'Comment',
    'Sample',
    'Total',
    'Grain',
    'Line',
    'Time',
    'Beam',
    'Spot',
    'XO2',
    'Fo',
    'Wo',
  ])('%s is not a species', (token) => {
    expect(recogniseSpecies(token)).toBeUndefined();
  });
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

  it.each([
    'FeOt',
    'FeOT',
    'FeO*',
    'FeO(t)',
    'FeO tot',
    'FeOtot',
    'FeOtotal',
    'FeO total',
    'FeO_T',
    'FeO(tot)',
    'FeOT wt%',
    'FeO tot. (wt%)',
    'FeO gesamt',
    'FeO ges.',
    'ΣFeO',
    'Total Fe as FeO',
    'Wt% FeOt',
    'Feot',
    'FeoT',
    'Feo tot',
  ])('%s is total iron as FeO', (header) => {
    expect(roleOf(header)).toEqual({
      kind: 'composition',
      formula: 'FeO',
      isElement: false,
      totalIron: true,
    });
  });

  it.each(['Fe2O3tot', 'Fe2O3T', 'Fe2O3 total', 'Fe2O3(t)', 'Total Fe as Fe2O3'])(
    '%s is total iron as Fe2O3',
    (header) => {
      expect(roleOf(header)).toMatchObject({
        kind: 'composition',
        formula: 'Fe2O3',
        totalIron: true,
      });
    },
  );

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

  it.each([
    ['Xx wt%', /"Xx" is not an element/],
    ['Wt% Xx', /"Xx"/],
    ['Qz2O3', /shaped like an oxide/],
    ['Total Fe', /not as which oxide/],
    ['SiO2 ppb', /"ppb" after SiO2/],
    ['ppm Xx', /"Xx" after the unit/],
    ['SiO2 foo', /"foo" after SiO2/],
    ['SiO2tot', /total-iron mark on SiO2/],
    ['MgOt', /total-iron mark on MgO/],
    ['Gew.%', /wt% unit but no element/],
    // Statistics before an oxide, like `FeO mean` after it: not a wt% column labkit can vouch for.
    ['Mean FeO', /"Mean" before FeO is a statistic/],
    ['avg FeO', /"avg" before FeO is a statistic/],
    ['Mean Fe', /"Mean" before Fe is a statistic/],
    ['Tot.FeO wt% x', /names FeO among words/],
    ['FEII', /Fe in oxidation state II/],
    ['Fe2+', /Fe in oxidation state 2/],
    ['Fe 3+', /Fe in oxidation state 3/],
    ['Average SiO2 (wt%)', /names SiO2 among words/],
    ['Median SiO2', /statistic/],
    ['Total SiO2', /names SiO2 among words/],
    // A symbol in the wrong letter case may be a word: `nA` is never quietly sodium.
    ['NA', /"NA" is not spelled like the element symbol Na/],
    ['HF', /element symbol Hf/],
    ['CO', /element symbol Co/],
    ['si', /element symbol Si/],
    // Roman-numeral oxidation states and formulas without oxygen are not split into elements.
    ['FeII', /"FeII" reads as Fe in oxidation state II/],
    ['FeIII', /Fe in oxidation state III/],
    ['MnII', /Mn in oxidation state II/],
    ['CoII', /Co in oxidation state II/],
    ['SnII', /Sn in oxidation state II/],
    ['LiF', /"LiF" is a formula of Li, F without oxygen/],
    ['CaNa', /formula of Ca, Na without oxygen/],
  ])('%s is not understood, so it is refused, never passed through', (header, reason) => {
    const role = roleOf(header);
    expect(role?.kind).toBe('unrecognised');
    if (reason) expect((role as { reason: string }).reason).toMatch(reason);
  });

  it.each(['Mg#', 'Cr#', 'Y (mm)', 'X [µm]', 'Si (s)', 'Cat', 'Net', 'Set', 'Fo', 'An'])(
    '%s is not composition and passes through',
    (header) => {
      expect(roleOf(header)).toEqual({ kind: 'passthrough' });
    },
  );

  it.each([
    ['FeII', 'FeO'],
    ['FeIII', 'Fe2O3'],
    ['SnIV', undefined],
    ['AlVI', undefined],
    ['Fe2+', 'FeO'],
    ['Fe(II)', 'FeO'],
    ['Fe (III)', 'Fe2O3'],
    ['FEIII', 'Fe2O3'],
    ['nA', undefined],
    ['Mean FeO', 'FeO'],
  ])('suggests what %s most likely holds', (header, meant) => {
    const role = roleOf(header);
    if (meant) expect(role).toMatchObject({ kind: 'unrecognised', meant });
    else if (header === 'nA') expect(role).toEqual({ kind: 'passthrough' });
    else expect(role).toEqual({ kind: 'unrecognised', reason: expect.any(String) });
  });

  it.each(['Si wt%', 'Wt% si', 'SI (wt%)', 'Fe ppm'])(
    '%s: a unit makes a mis-cased symbol composition',
    (header) => {
      expect(roleOf(header)).toMatchObject({ kind: 'composition', isElement: true });
    },
  );

  it.each(['TiO2', 'Time', 'Tot. Fe as FeO'])('%s is not mistaken for a total-iron prefix', (h) => {
    expect(roleOf(h)).not.toMatchObject({ kind: 'composition', totalIron: true, formula: 'iO2' });
    if (h === 'TiO2')
      expect(roleOf(h)).toEqual({ kind: 'composition', formula: 'TiO2', isElement: false });
  });

  it('takes a user alias for a header it does not know, and a user pass-through', () => {
    const r = recogniseHeaders(['Xx wt%', 'FeO', 'Summe der Oxide'], 'a.csv', 1, {
      aliases: { 'summe der oxide': 'Total' },
      passThrough: ['XX WT%'],
    });
    expect(r.columns.map((c) => c.role.kind)).toEqual(['passthrough', 'composition', 'total']);
    expect(() => recogniseHeaders(['SiO2'], 'a.csv', 1, { passThrough: ['MgO'] })).toThrow(
      'pass-through "MgO": there is no such column (columns: "SiO2")',
    );
    expect(() =>
      recogniseHeaders(['Fe tot'], 'a.csv', 1, { aliases: { 'Fe tot': 'iron' } }),
    ).toThrow(/"iron" is not a header labkit understands/);
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

/** One test per word of the header table (header-words.ts), in the positions exports put it. */
describe('the header table, word by word', () => {
  const spelled = (table: Record<string, readonly string[]>) =>
    Object.entries(table).flatMap(([language, words]) => words.map((w) => [language, w] as const));

  it.each(spelled(WEIGHT_PERCENT_WORDS))('%s wt%% word %j after SiO2 and Si', (_, word) => {
    for (const header of [`SiO2 ${word}`, `SiO2(${word})`, `Si [${word}]`])
      expect(roleOf(header.trim())).toMatchObject({ kind: 'composition' });
  });

  it.each(spelled(WEIGHT_PERCENT_WORDS).filter(([, w]) => w !== '' && w !== '%'))(
    '%s wt%% word %j before SiO2',
    (_, word) => {
      expect(roleOf(`${word} SiO2`)).toMatchObject({ kind: 'composition', formula: 'SiO2' });
    },
  );

  it.each(spelled(TOTAL_IRON_MARKS))('%s total-iron mark %j after FeO', (_, mark) => {
    expect(roleOf(`FeO ${mark}`)).toMatchObject({ formula: 'FeO', totalIron: true });
    expect(roleOf(`Fe2O3 (${mark}) wt%`)).toMatchObject({ formula: 'Fe2O3', totalIron: true });
  });

  it.each(TOTAL_IRON_PREFIXES)('total-iron prefix %j before FeO and Fe2O3', (prefix) => {
    for (const header of [`${prefix}FeO`, `${prefix} Fe2O3`, `${prefix.toUpperCase()}FeO (wt%)`])
      expect(roleOf(header)).toMatchObject({ kind: 'composition', totalIron: true });
    expect(roleOf(`${prefix} MgO`)?.kind).not.toBe('composition');
  });

  it.each(STATISTICS_WORDS)('statistics word %j before an oxide or element is refused', (word) => {
    for (const header of [`${word} FeO`, `${word} Fe`])
      expect(roleOf(header)).toMatchObject({ kind: 'unrecognised', meant: header.split(' ')[1] });
  });

  it.each(BEAM_SETTING_WORDS)('beam setting %j is not composition', (word) => {
    for (const header of [word, `(${word})`])
      expect(roleOf(header)).toEqual({ kind: 'passthrough' });
  });

  it.each(spelled(TOTAL_WORDS))('%s total word %j', (_, word) => {
    expect(roleOf(word)).toEqual({ kind: 'total' });
    expect(roleOf(`${word} (wt%)`)).toEqual({ kind: 'total' });
  });

  it.each(ABSOLUTE_SIGMA_WORDS)('absolute 1σ word %j', (word) => {
    expect(recogniseHeaders(['SiO2', `SiO2 ${word}`]).columns[1]?.role).toEqual({
      kind: 'uncertainty',
      formula: 'SiO2',
      relative: false,
    });
  });

  it.each(RELATIVE_SIGMA_WORDS)('relative 1σ word %j', (word) => {
    expect(recogniseHeaders(['SiO2', `SiO2 ${word}`]).columns[1]?.role).toMatchObject({
      relative: true,
    });
  });

  it.each(INSTRUMENT_WORDS)('instrument word %j is recognised and left out', (word) => {
    expect(roleOf(`Si(${word})`)).toMatchObject({ kind: 'ignored', formula: 'Si' });
  });

  it.each(PPM_WORDS)('ppm word %j after or before Ni and NiO, and after a 1σ', (word) => {
    for (const header of [`Ni ${word}`, `NiO (${word})`, `${word} NiO`])
      expect(roleOf(header)).toMatchObject({ kind: 'composition', ppm: true });
    expect(recogniseHeaders(['NiO ppm', `NiO 1σ (${word})`]).columns[1]?.role).toEqual({
      kind: 'uncertainty',
      formula: 'NiO',
      relative: false,
      ppm: true,
    });
  });

  it.each(NOT_COMPOSITION_WORDS)('not-composition word %j after an element is text', (word) => {
    expect(roleOf(`Y (${word})`)).toEqual({ kind: 'passthrough' });
  });

  it.each(PASSTHROUGH_WORDS)(
    'pass-through header %j is text even where it spells an element',
    (word) => {
      expect(roleOf(word)).toEqual({ kind: 'passthrough' });
    },
  );

  it.each(Object.entries(ALL_TEST_SPELLINGS))('issue spelling %j holds %s', (header, meaning) => {
    const role = roleOf(header);
    if (meaning === 'Total') expect(role).toEqual({ kind: 'total' });
    else
      expect(role).toMatchObject({
        kind: 'composition',
        formula: meaning.replace('*', ''),
        ...(meaning.endsWith('*') ? { totalIron: true } : {}),
      });
    if (!meaning.endsWith('*')) expect(role).not.toHaveProperty('totalIron');
  });
});
