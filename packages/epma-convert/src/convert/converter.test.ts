import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oxidesToElements, weightToAtomic } from '../composition/index.js';
import { AtomicWeights, STANDARD_WEIGHTS } from '../elements/index.js';
import { EpmaInputError, EpmaOptionError, UnrecognisedColumnsError } from '../table/errors.js';
import { createTableWriter } from '../table/format.js';
import { oxideAtomicUncertainty } from '../uncertainty/index.js';
import { GroupCollector } from './groups.js';
import { convertText, createRowConverter, prepareText } from './text.js';

const A = (s: string) => STANDARD_WEIGHTS.get(s);
const M = { MgO: A('Mg') + A('O'), SiO2: A('Si') + 2 * A('O'), FeO: A('Fe') + A('O') };

/** Output rows as objects keyed by column name (JSON output parsed back). */
const rowsOf = (csv: string, options: Parameters<typeof convertText>[1] = {}) =>
  JSON.parse(convertText(csv, { ...options, format: 'json' }).output) as Record<
    string,
    number | string | null | string[]
  >[];

describe('at% by hand', () => {
  it('forsterite from 2 mol MgO + 1 mol SiO2 is Mg 2/7, Si 1/7, O 4/7', () => {
    const [row] = rowsOf(`MgO,SiO2\n${2 * M.MgO},${M.SiO2}\n`);
    expect(row?.['Mg at%']).toBeCloseTo((100 * 2) / 7, 12);
    expect(row?.['Si at%']).toBeCloseTo(100 / 7, 12);
    expect(row?.['O at%']).toBeCloseTo((100 * 4) / 7, 12);
    expect(row?.['Total wt%']).toBeCloseTo(2 * M.MgO + M.SiO2, 12);
  });

  it('element wt% in the ratio of the atomic weights gives 50/50 at%', () => {
    const [row] = rowsOf(`Point,Fe wt%,Ni wt%\n1,${A('Fe')},${A('Ni')}\n`, {
      totalWindow: [0, 1000],
    });
    expect(row).toMatchObject({ Point: '1', 'Fe at%': 50, 'Ni at%': 50, flags: [] });
  });

  it('uses overridden atomic weights', () => {
    const weights = new AtomicWeights({ Ni: 2 * A('Fe') });
    const [row] = rowsOf(`Fe,Ni\n${A('Fe')},${A('Fe')}\n`, { weights });
    expect(row?.['Fe at%']).toBeCloseTo(200 / 3, 12);
  });
});

describe('at% agrees with the core functions row by row', () => {
  const oxides = ['SiO2', 'TiO2', 'Al2O3', 'FeO', 'MgO', 'CaO', 'Na2O', 'K2O'];
  it('oxide rows, and element wt% columns mixed in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 60, noNaN: true }), { minLength: 9, maxLength: 9 }),
        (v) => {
          const header = [...oxides, 'F'];
          const [row] = rowsOf(`${header.join(',')}\n${v.join(',')}\n`);
          const expected = weightToAtomic(
            oxidesToElements(Object.fromEntries(header.map((h, i) => [h, v[i] as number]))),
          );
          for (const [el, at] of Object.entries(expected))
            expect(row?.[`${el} at%`]).toBeCloseTo(at, 10);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes element wt% (and normalised wt%) when asked', () => {
    const [row] = rowsOf('SiO2,MgO\n40,50\n', { elementWeight: true, totalWindow: [0, 200] });
    const el = oxidesToElements({ SiO2: 40, MgO: 50 });
    expect(row?.['Si wt%']).toBeCloseTo(el.Si as number, 12);
    expect(row?.['O wt%']).toBeCloseTo(el.O as number, 12);
    const [norm] = rowsOf('SiO2,MgO\n40,50\n', { normalise: true, totalWindow: [0, 200] });
    expect(norm?.['Si wt%']).toBeCloseTo(((el.Si as number) * 100) / 90, 12);
    expect(norm?.['Total wt%']).toBe(90);
  });
});

describe('below-detection policy', () => {
  const csv = 'Point,SiO2,MnO,CaO,NiO,MgO\n1,40,bdl,-0.02,,50\n2,40,<0.02,0.1,n.d.,50\n';

  it('zero (default): markers and negatives count as 0 and are flagged per cell', () => {
    const rows = rowsOf(csv, { totalWindow: [0, 200] });
    expect(rows[0]?.flags).toEqual(['MnO (bdl) -> 0', 'CaO (-0.02) -> 0']);
    expect(rows[0]?.['Mn at%']).toBe(0);
    expect(rows[1]?.flags).toEqual(['MnO (<0.02) -> 0', 'NiO (n.d.) -> 0']);
    expect(rows[0]?.['Total wt%']).toBe(90);
  });

  it('omit: leaves the cells out (empty at%), at% of the rest unchanged', () => {
    const zero = rowsOf(csv, { totalWindow: [0, 200] });
    const rows = rowsOf(csv, { belowDetection: 'omit', totalWindow: [0, 200] });
    expect(rows[0]?.flags).toEqual(['MnO (bdl) omitted', 'CaO (-0.02) omitted']);
    expect(rows[0]?.['Mn at%']).toBeNull();
    expect(rows[0]?.['Ca at%']).toBeNull();
    expect(rows[0]?.['Si at%']).toBeCloseTo(zero[0]?.['Si at%'] as number, 12);
  });

  it('keep: negatives stay in the sums, markers become 0', () => {
    const rows = rowsOf(csv, { belowDetection: 'keep', totalWindow: [0, 200] });
    expect(rows[0]?.flags).toEqual(['MnO (bdl) -> 0', 'CaO (-0.02) kept']);
    expect(rows[0]?.['Ca at%'] as number).toBeLessThan(0);
    expect(rows[0]?.['Total wt%']).toBeCloseTo(89.98, 12);
  });

  it('counts touched cells per column for the summary', () => {
    const { stats } = convertText(csv);
    expect(stats.touched.get('NiO')).toEqual(
      new Map([
        ['blank (not analysed) left out', 1],
        ['below detection set to 0', 1],
      ]),
    );
    expect(stats.touched.get('CaO')).toEqual(new Map([['negative set to 0', 1]]));
  });
});

describe('blank cells (not analysed)', () => {
  // Ni analysed in two of four rows: a blank is no measurement, not 0 wt%.
  const csv = 'Grain,SiO2,MgO,NiO\nA,40,50,0.3\nA,40,50,\nA,40,50,0.1\nA,40,50,\n';

  it('are left out of the row by default, without a flag per cell, whatever the marker policy', () => {
    for (const belowDetection of ['zero', 'omit', 'keep'] as const) {
      const rows = rowsOf(csv, { belowDetection, totalWindow: [0, 200] });
      expect(rows[1]?.['Ni at%']).toBeNull();
      expect(rows[1]?.flags).toEqual([]);
      expect(rows[1]?.['Si at%']).toBeCloseTo(
        rowsOf('SiO2,MgO\n40,50\n', { totalWindow: [0, 200] })[0]?.['Si at%'] as number,
        12,
      );
    }
  });

  it('are skipped by group means, so they do not pull the mean down', async () => {
    const { convertStream } = await import('../node/stream.js');
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    let text = '';
    out.on('data', (b: Buffer) => {
      text += b.toString();
    });
    const { Readable } = await import('node:stream');
    await convertStream(Readable.from([Buffer.from(csv)]), out, {
      groupBy: 'Grain',
      format: 'json',
    });
    const [group] = JSON.parse(text) as Record<string, number>[];
    const ni = rowsOf(csv)
      .map((r) => r['Ni at%'])
      .filter((v): v is number => typeof v === 'number');
    expect(ni).toHaveLength(2);
    expect(group?.['Ni at% mean']).toBeCloseTo(((ni[0] as number) + (ni[1] as number)) / 2, 12);
    expect(group?.['Ni at% n']).toBe(2);
  });

  it('count as 0 only when asked (blanks: zero), still without a flag per cell', () => {
    const rows = rowsOf(csv, { blanks: 'zero', totalWindow: [0, 200] });
    expect(rows[1]?.['Ni at%']).toBe(0);
    expect(rows[1]?.flags).toEqual([]);
    expect(convertText(csv, { blanks: 'zero' }).stats.touched.get('NiO')).toEqual(
      new Map([['blank set to 0', 2]]),
    );
  });
});

describe('totals', () => {
  it('flags totals outside the window (default 98-102) and keeps the input Total', () => {
    const rows = rowsOf('SiO2,MgO,Total\n40,50,90\n49,50,99\n49,50,99.5\n');
    expect(rows.map((r) => r.flags)).toEqual([
      ['total 90.00 outside 98-102'],
      [],
      ['Total 99.5 != sum 99.00'],
    ]);
    expect(rows[2]?.['Total wt%']).toBe(99.5);
  });

  it('honours a custom window', () => {
    expect(rowsOf('SiO2,MgO\n49,48.5\n', { totalWindow: [97, 101] })[0]?.flags).toEqual([]);
  });
});

describe('uncertainties', () => {
  it('turns relative % into absolute wt% and propagates with the core', () => {
    const [row] = rowsOf('SiO2,SiO2(Error%),MgO,MgO 1σ,FeO\n40,1,50,0.3,9\n');
    const expected = oxideAtomicUncertainty({ SiO2: 40, MgO: 50, FeO: 9 }, { SiO2: 0.4, MgO: 0.3 });
    for (const el of ['Si', 'Mg', 'Fe', 'O'])
      expect(row?.[`${el} at% 1σ`]).toBeCloseTo(expected[el] as number, 12);
    expect(row?.['Fe at% 1σ'] as number).toBeGreaterThan(0);
  });
});

describe('a decimal comma the dialect did not expect', () => {
  it('is an error that names the cell and suggests --decimal-comma', () => {
    expect(() => convertText('Point,SiO2,MgO\n1,"40,8","49,1"\n')).toThrow(
      'input:2:2: expected a number or a below-detection marker in column "SiO2", got "40,8" (numbers with a decimal comma? give --decimal-comma)',
    );
    expect(() => convertText('Point,SiO2,MgO\n1,oops,49\n')).not.toThrow(/decimal-comma/);
  });
});

describe('instrument columns', () => {
  it('refuse the only columns of an element that hold no wt%, unless passed through', () => {
    const text = 'Point,SiO2,MgO,Fe(K-ratio),FeO (Norm%),Si(Net)\n1,40,50,0.1,9,120\n';
    let refused: unknown;
    try {
      prepareText(text, { source: 'a.csv' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(UnrecognisedColumnsError);
    const columns = (refused as UnrecognisedColumnsError).columns;
    expect(columns.map((c) => [c.header, c.meant, c.notWeightPercent])).toEqual([
      ['Fe(K-ratio)', undefined, true],
      ['FeO (Norm%)', 'FeO', undefined],
    ]);
    expect(columns[0]?.reason).toBe(
      'it holds Fe k-ratio, not wt%, and no column gives Fe wt%, so Fe would be missing from the results',
    );
    expect(columns[1]?.reason).toMatch(/--alias "FeO \(Norm%\)=FeO"/);
    const accepted = prepareText(text, { passThrough: ['Fe(K-ratio)', 'FeO (Norm%)'] });
    expect(accepted.converter.columns.map((c) => c.name)).not.toContain('Fe at%');
    const aliased = rowsOf(text, {
      passThrough: ['Fe(K-ratio)'],
      aliases: { 'FeO (Norm%)': 'FeO' },
    });
    expect(aliased[0]?.['Fe at%']).toBeGreaterThan(0);
  });

  it.each([
    'FeO Norm%',
    'FeO (norm. wt%)',
    'FeO normalized',
    'FeO K-ratio',
    'FeO DL',
    'FeO mol%',
    'Fe at%',
    'FeO apfu',
  ])('refuse %s as the only Fe column, and ignore it beside FeO', (header) => {
    const only = `SiO2,MgO,${header}\n40,50,9\n`;
    expect(() => prepareText(only)).toThrow(UnrecognisedColumnsError);
    expect(() => prepareText(only)).toThrow(`"${header}" (column 3: it holds`);
    if (!/norm/i.test(header))
      expect(() => prepareText(only)).toThrow(
        'input:1:3: a column gives an element measured but not as wt%',
      );
    expect(() => prepareText(`SiO2,MgO,FeO,${header}\n40,50,9,9\n`)).not.toThrow();
  });

  it('refuse a bare element symbol among oxides (Pt: point), unless aliased', () => {
    expect(() => prepareText('Pt,SiO2,MgO\n1,40,50\n')).toThrow(
      /"Pt" \(column 1: a bare element symbol/,
    );
    expect(() => prepareText('Pt,SiO2,MgO\n1,40,50\n', { aliases: { Pt: 'Pt' } })).not.toThrow();
    expect(() => prepareText('Pt wt%,SiO2,MgO\n1,40,50\n')).not.toThrow();
    expect(() => prepareText('F,Cl,SiO2,MgO\n1,1,40,50\n')).not.toThrow();
    // Volcanic glass: S (and the halogens) reported as elements beside the oxides.
    expect(
      prepareText('SiO2,MgO,S,Br\n40,50,0.1,0.01\n').converter.columns.map((c) => c.name),
    ).toEqual(expect.arrayContaining(['S at%', 'Br at%']));
    expect(() => prepareText('FeT,SiO2,MgO\n1,40,50\n')).toThrow(
      /"FeT" \(column 1: total iron among oxide/,
    );
    expect(prepareText('FeT,Si,Mg\n1,40,50\n').converter.columns.map((c) => c.name)).toContain(
      'Fe at%',
    );
  });
});

describe('ppm columns', () => {
  it('reads ppm as wt% / 10^4, element or oxide: the same row as in wt%', () => {
    const wt = rowsOf('Point,SiO2,MgO,FeO,NiO,Cr wt%\n1,40.5,49.1,9.6,0.37,0.012\n');
    for (const header of ['NiO ppm,Cr (µg/g)', 'NiO (ppm),Cr ppm', 'ppm NiO,Cr [mg/kg]']) {
      const ppm = rowsOf(`Point,SiO2,MgO,FeO,${header}\n1,40.5,49.1,9.6,3700,120\n`);
      for (const key of ['Si at%', 'Mg at%', 'Fe at%', 'Ni at%', 'Cr at%', 'O at%', 'Total wt%'])
        expect(ppm[0]?.[key], `${header}: ${key}`).toBeCloseTo(wt[0]?.[key] as number, 12);
    }
  });

  it('gives formula apfu from ppm oxides as from wt%', () => {
    const options = { mode: 'formula' as const, formula: { oxygens: 4 } };
    const [wt] = rowsOf('SiO2,MgO,FeO,NiO\n40.5,49.1,9.6,0.37\n', options);
    const [ppm] = rowsOf('SiO2,MgO,FeO,NiO ppm\n40.5,49.1,9.6,3700\n', options);
    expect(ppm?.['Ni apfu']).toBeCloseTo(wt?.['Ni apfu'] as number, 12);
    expect(ppm?.['Si apfu']).toBeCloseTo(wt?.['Si apfu'] as number, 12);
  });

  it('scales a ppm uncertainty, keeps a relative one, and refuses an absolute one of unclear unit', () => {
    const [wt] = rowsOf('SiO2,MgO,NiO,NiO 1σ\n40,50,0.37,0.002\n');
    const [ppm] = rowsOf('SiO2,MgO,NiO ppm,NiO 1σ ppm\n40,50,3700,20\n');
    const [relative] = rowsOf('SiO2,MgO,NiO ppm,NiO err%\n40,50,3700,0.5405405405405406\n');
    for (const row of [ppm, relative])
      expect(row?.['Ni at% 1σ']).toBeCloseTo(wt?.['Ni at% 1σ'] as number, 12);
    expect(() => rowsOf('SiO2,MgO,NiO ppm,NiO 1σ\n40,50,3700,20\n')).toThrow(
      'the unit of "NiO 1σ" is unclear: "NiO ppm" is in ppm',
    );
  });
});

describe('formula per oxygens', () => {
  it('stoichiometric Fo90 olivine gives Si 1, Mg 1.8, Fe 0.2 on 4 O', () => {
    const csv = `SiO2,MgO,FeO\n${M.SiO2},${1.8 * M.MgO},${0.2 * M.FeO}\n`;
    const [row] = rowsOf(csv, { mode: 'formula', formula: { oxygens: 4 }, totalWindow: [0, 200] });
    expect(row?.['Si apfu']).toBeCloseTo(1, 12);
    expect(row?.['Mg apfu']).toBeCloseTo(1.8, 12);
    expect(row?.['Fe apfu']).toBeCloseTo(0.2, 12);
    expect(row?.['cation sum']).toBeCloseTo(3, 12);
  });

  it('magnetite analysed as FeO splits into Fe2+ 1 and Fe3+ 2 on 4 O, 3 cations (Droop)', () => {
    const [row] = rowsOf('FeO\n93.1\n', {
      mode: 'formula',
      formula: { oxygens: 4, fe3: 'droop', cations: 3 },
    });
    expect(row?.['Fe2+ apfu']).toBeCloseTo(1, 12);
    expect(row?.['Fe3+ apfu']).toBeCloseTo(2, 12);
    expect(row?.['Fe3+/ΣFe']).toBeCloseTo(2 / 3, 12);
    expect(row?.flags).toEqual(['total 93.10 outside 98-102']);
  });

  it('refuses element columns other than F and Cl, naming the column', () => {
    expect(() =>
      convertText('SiO2,Mg wt%\n40,1\n', {
        mode: 'formula',
        formula: { oxygens: 4 },
        source: 'a.csv',
      }),
    ).toThrow(
      'a.csv:1:2: formula recalculation needs oxide wt% columns (like "SiO2", "FeO"), and takes F and Cl as elements; column "Mg wt%" is element wt%',
    );
  });

  it('leaves H2O out of the formula (anhydrous basis) but keeps it in the total, saying so', () => {
    const options = { mode: 'formula' as const, formula: { oxygens: 23 } };
    const oxides = 'SiO2,TiO2,Al2O3,FeO,MgO,CaO,Na2O,K2O';
    const cells = '44.5,1.2,10.3,13.9,13.6,11.4,1.5,0.6';
    const [dry] = rowsOf(`${oxides}\n${cells}\n`, options);
    const [wet] = rowsOf(`${oxides},H2O\n${cells},2.0\n`, options);
    expect(wet).not.toHaveProperty('H apfu');
    for (const key of Object.keys(dry ?? {}).filter(
      (k) => k.endsWith('apfu') || k === 'cation sum',
    ))
      expect(wet?.[key], key).toBe(dry?.[key]);
    expect(wet?.['Total wt%']).toBeCloseTo((dry?.['Total wt%'] as number) + 2, 12);
    const prepared = prepareText(`${oxides},H2O\n${cells},2.0\n`, options);
    expect(prepared.converter.warnings.join('\n')).toMatch(/"H2O" is left out of the formula/);
  });

  it.each(['Spot,SiO2,MgO,CaO\nA,55,20,25\n', 'Spot,SiO2,Mn2O3,CaO\nA,55,20,25\n'])(
    'refuses --fe3 droop on a file without iron, in a plain sentence',
    (csv) => {
      const options = {
        mode: 'formula' as const,
        formula: { oxygens: 6, fe3: 'droop' as const, cations: 4 },
      };
      expect(() => convertText(csv, { ...options, source: 'nofe.csv' })).toThrow(EpmaOptionError);
      expect(() => convertText(csv, { ...options, source: 'nofe.csv' })).toThrow(
        '--fe3 droop splits iron into Fe2+ and Fe3+, so it needs an FeO or Fe2O3 column; nofe.csv has none',
      );
    },
  );

  it('keeps the measured FeO/Fe2O3 split (magnetite: Fe2+ 1, Fe3+ 2); droop replaces it', () => {
    const A = { Fe: 55.845, O: 15.999 };
    const feo = A.Fe + A.O;
    const fe2o3 = 2 * A.Fe + 3 * A.O;
    const csv = `FeO,Fe2O3\n${(100 * feo) / (feo + fe2o3)},${(100 * fe2o3) / (feo + fe2o3)}\n`;
    const [row] = rowsOf(csv, { mode: 'formula', formula: { oxygens: 4 } });
    expect(row?.['Fe2+ apfu']).toBeCloseTo(1, 12);
    expect(row?.['Fe3+ apfu']).toBeCloseTo(2, 12);
    expect(row?.['Fe apfu']).toBeUndefined();
    expect(row?.['Fe3+/ΣFe']).toBeCloseTo(2 / 3, 12);
    // Droop from total Fe gives the same split for stoichiometric magnetite, by charge balance.
    const [droop] = rowsOf(`FeO,Fe2O3\n10,60\n`, {
      mode: 'formula',
      formula: { oxygens: 4, fe3: 'droop', cations: 3 },
      totalWindow: [0, 200],
    });
    expect(droop?.['cation sum']).toBeCloseTo(3, 12);
    expect(droop?.['Fe2+ apfu']).toBeCloseTo(1, 12);
  });

  it('keeps the Fe of a row whose Fe2O3 was not analysed (blank) as Fe2+, Fe3+ empty', () => {
    const csv = `SiO2,FeO,Fe2O3,MgO\n${M.SiO2},${0.2 * M.FeO},,${1.8 * M.MgO}\n40,5,2,45\n`;
    const [row] = rowsOf(csv, { mode: 'formula', formula: { oxygens: 4 }, totalWindow: [0, 200] });
    expect(row?.['Fe2+ apfu']).toBeCloseTo(0.2, 12);
    expect(row?.['Fe3+ apfu']).toBeNull();
    expect(row?.['cation sum']).toBeCloseTo(3, 12);
  });

  it("reads each row's oxygen basis from a column (olivine on 4, pyroxene on 6)", () => {
    const csv = `Mineral,O,SiO2,MgO\nol,4,${M.SiO2},${2 * M.MgO}\nopx,6,${2 * M.SiO2},${2 * M.MgO}\nunknown,,40,50\n`;
    const rows = rowsOf(csv, {
      mode: 'formula',
      formula: { oxygensColumn: 'O' },
      totalWindow: [0, 300],
    });
    expect(rows[0]?.['Si apfu']).toBeCloseTo(1, 12);
    expect(rows[0]?.['Mg apfu']).toBeCloseTo(2, 12);
    expect(rows[1]?.['Si apfu']).toBeCloseTo(2, 12);
    expect(rows[1]?.['Mg apfu']).toBeCloseTo(2, 12);
    expect(rows[2]?.['Si apfu']).toBeNull();
    expect(rows[2]?.flags).toContain('no formula: no oxygen basis for this row');
    expect(() =>
      convertText('Basis,SiO2\nx,40\n', { mode: 'formula', formula: { oxygensColumn: 'Basis' } }),
    ).toThrow(
      'input:2:1: expected a number of oxygens per formula unit or a mineral labkit knows (olivine, pyroxene, garnet',
    );
    expect(() =>
      convertText('Basis,SiO2\n-4,40\n', { mode: 'formula', formula: { oxygensColumn: 'Basis' } }),
    ).toThrow(
      'input:2:1: expected a positive number of oxygens per formula unit in column "Basis", got "-4"',
    );
  });

  describe('mineral names in the basis column', () => {
    // Four analyses of different minerals (Deer, Howie & Zussman compositions, rounded).
    const ROWS = [
      ['olivine', '40.8,0,0,9.6,0,0.14,49.2,0.1,0'],
      ['Cpx', '50.7,0.74,7.86,3.45,3.69,0.13,16.65,15.82,1.27'],
      ['Pl', '44.0,0.03,36.03,0.62,0,0,0.01,19.09,0.53'],
      ['garnet', '38.9,0.05,21.9,24.1,1.2,0.9,9.8,3.5,0'],
    ] as const;
    const HEADER = 'Mineral,SiO2,TiO2,Al2O3,FeO,Fe2O3,MnO,MgO,CaO,Na2O';
    const BASIS: Record<string, [number, number]> = {
      olivine: [4, 3],
      Cpx: [6, 4],
      Pl: [8, 5],
      garnet: [12, 8],
    };
    const mixed = `${HEADER}\n${ROWS.map(([m, v]) => `${m},${v}`).join('\n')}\n`;
    const one = (mineral: string, values: string, formula: object) =>
      rowsOf(`${HEADER}\n${mineral},${values}\n`, {
        mode: 'formula',
        formula,
        totalWindow: [0, 200],
        passThrough: ['Mineral'],
      })[0];

    it('give each row the oxygens of its mineral: the same apfu as that basis given for the row', () => {
      const rows = rowsOf(mixed, {
        mode: 'formula',
        formula: { oxygensColumn: 'Mineral' },
        totalWindow: [0, 200],
      });
      ROWS.forEach(([mineral, values], i) => {
        const [oxygens] = BASIS[mineral] as [number, number];
        const fixed = one(mineral, values, { oxygens });
        for (const key of ['Si apfu', 'Al apfu', 'Fe2+ apfu', 'Fe3+ apfu', 'cation sum'])
          expect(rows[i]?.[key], `${mineral} ${key}`).toEqual(fixed?.[key]);
      });
    });

    it('give --fe3 droop its cations: the same as --cations for that row', () => {
      const rows = rowsOf(mixed, {
        mode: 'formula',
        formula: { oxygensColumn: 'Mineral', fe3: 'droop' },
        totalWindow: [0, 200],
      });
      ROWS.forEach(([mineral, values], i) => {
        const [oxygens, cations] = BASIS[mineral] as [number, number];
        const fixed = one(mineral, values, { oxygens, fe3: 'droop', cations });
        expect(rows[i]?.['Fe3+ apfu'], mineral).toEqual(fixed?.['Fe3+ apfu']);
        expect(rows[i]?.['cation sum'], mineral).toEqual(fixed?.['cation sum']);
      });
    });

    it('refuse droop where the mineral fixes no cation count, or the column gives only a number', () => {
      const droop = {
        mode: 'formula' as const,
        formula: { oxygensColumn: 'Phase', fe3: 'droop' as const },
      };
      expect(() => convertText('Phase,SiO2,FeO,MgO\nHbl,45,12,14\n', droop)).toThrow(
        "input:2:1: --fe3 droop needs this row's ideal cations: amphibole has no fixed cation count",
      );
      expect(() => convertText('Phase,SiO2,FeO,MgO\n6,45,12,14\n', droop)).toThrow(
        '"Phase" gives 6 oxygens but no mineral to take the ideal cations from',
      );
    });
  });

  it('reports F, Cl and O per formula unit and checks the total less O = F, Cl', () => {
    const rows = rowsOf('CaO,P2O5,F,Total\n55.6,42.2,3.8,100\n', {
      mode: 'formula',
      formula: { oxygens: 12.5 },
      totalWindow: [98, 102],
    });
    const f = rows[0] as Record<string, number>;
    expect(f['F apfu']).toBeGreaterThan(0.9);
    expect(f['O apfu']).toBeCloseTo(12.5 - (f['F apfu'] as number) / 2, 12);
    // 55.6 + 42.2 + 3.8 = 101.6; less O = F (0.4211 x 3.8 = 1.600) is 100.0: no total flag.
    expect(f['Total wt%']).toBe(100);
    expect(rows[0]?.flags).toEqual([]);
  });

  it('flags a row with nothing to recalculate instead of failing the file', () => {
    const rows = rowsOf('SiO2,MgO\n0,0\n40,50\n', { mode: 'formula', formula: { oxygens: 4 } });
    expect(rows[0]?.['Si apfu']).toBeNull();
    expect(String(rows[0]?.flags)).toMatch(/no formula/);
    expect(rows[1]?.['Si apfu']).toBeGreaterThan(0);
  });
});

describe('input errors are located', () => {
  it('names file, line, column and the bad text', () => {
    const run = () => convertText('Point,SiO2,MgO\n1,40,50\n2,1.2.3,50\n', { source: 'data.csv' });
    expect(run).toThrow(EpmaInputError);
    expect(run).toThrow(
      'data.csv:3:2: expected a number or a below-detection marker in column "SiO2", got "1.2.3"',
    );
  });

  it('refuses a file without composition columns', () => {
    expect(() => convertText('Point,Comment\n1,x\n', { source: 'f.csv' })).toThrow(
      /^f\.csv:1:1: expected composition columns/,
    );
  });

  it('refuses oxygen wt% next to oxide columns', () => {
    expect(() => convertText('SiO2,O\n40,50\n', { source: 'o.csv' })).toThrow(
      /^o\.csv:1:2: column "O" is oxygen wt%/,
    );
  });

  it('refuses a non-number Total', () => {
    expect(() => convertText('SiO2,Total\n40,abc\n', { source: 't.csv' })).toThrow(
      't.csv:2:2: expected a number in column "Total" (the analytical total), got "abc"',
    );
  });
});

describe('GroupCollector', () => {
  it('summarises at% by a pass-through column', async () => {
    const converter = createRowConverter(['Sample', 'SiO2', 'MgO']);
    const groups = new GroupCollector(converter, 'sample');
    const records = [
      ['a', '40', '50'],
      ['a', '42', '50'],
      ['b', '40', '50'],
    ];
    const si = records.map((r, i) => {
      const cells = converter.convert(r, i + 2);
      groups.add(r, cells);
      return cells[converter.columns.findIndex((c) => c.name === 'Si at%')] as number;
    });
    const { columns, rows } = await groups.table();
    const col = (name: string) => columns.findIndex((c) => c.name === name);
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(rows[0]?.[col('Si at% mean')]).toBeCloseTo(
      ((si[0] as number) + (si[1] as number)) / 2,
      12,
    );
    expect(rows[0]?.[col('Si at% sd')]).toBeCloseTo(
      Math.abs((si[0] as number) - (si[1] as number)) / Math.SQRT2,
      12,
    );
  });

  it('names the pass-through columns when the group column is missing', () => {
    const converter = createRowConverter(['Sample', 'SiO2']);
    expect(() => new GroupCollector(converter, 'Grain', 'g.csv')).toThrow(
      'g.csv:1:1: --group-by "Grain": expected one of the pass-through columns ("Sample")',
    );
  });
});

describe('prepareText', () => {
  it('reads the header and parses the rows without converting one; converted, they give convertText', () => {
    const csv = 'Point;SiO2;MgO\r\nol-1;40,87;49,35\r\n\r\nol-2;41,00;bdl\r\n';
    const { converter, rows, dialect } = prepareText(csv, { source: 's.csv' });
    expect(dialect).toMatchObject({ delimiter: ';', decimalComma: true });
    expect(converter.stats.rows).toBe(0);
    expect(rows.map((r) => r.info.lines)).toEqual([2, 4]);
    const writer = createTableWriter('csv', converter.columns);
    let out = writer.begin();
    for (const { record, info } of rows) out += writer.row(converter.convert(record, info.lines));
    expect(out + writer.end()).toBe(convertText(csv, { source: 's.csv' }).output);
  });
});
