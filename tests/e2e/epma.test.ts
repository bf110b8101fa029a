import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labkit, labkitBin, repoRoot } from './labkit.js';

/** A fresh temporary directory, removed when the file's tests are done. */
const scratchDirs: string[] = [];
function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

// Hand-calculation inputs: CIAAW 2021 standard atomic weights (conventional values for intervals).
const A: Record<string, number> = {
  O: 15.999,
  Na: 22.98976928,
  Mg: 24.305,
  Al: 26.9815384,
  Si: 28.085,
  K: 39.0983,
  Ca: 40.078,
  Ti: 47.867,
  Cr: 51.9961,
  Mn: 54.938043,
  Fe: 55.845,
  Ni: 58.6934,
};
// oxide -> [cation, cations, oxygens] per formula unit
const OXIDE: Record<string, [string, number, number]> = {
  SiO2: ['Si', 1, 2],
  TiO2: ['Ti', 1, 2],
  Al2O3: ['Al', 2, 3],
  Cr2O3: ['Cr', 2, 3],
  Fe2O3: ['Fe', 2, 3],
  FeO: ['Fe', 1, 1],
  MnO: ['Mn', 1, 1],
  MgO: ['Mg', 1, 1],
  CaO: ['Ca', 1, 1],
  Na2O: ['Na', 2, 1],
  K2O: ['K', 2, 1],
  NiO: ['Ni', 1, 1],
};
const oxideMass = (ox: string) => {
  const [c, n, o] = OXIDE[ox] as [string, number, number];
  return n * (A[c] as number) + o * (A.O as number);
};

/** at% by hand from oxide wt%: moles of each atom per 100 g, normalised to 100. */
function atomicFromOxides(wt: Record<string, number>): Record<string, number> {
  const moles: Record<string, number> = {};
  for (const [ox, w] of Object.entries(wt)) {
    const [c, n, o] = OXIDE[ox] as [string, number, number];
    const units = w / oxideMass(ox);
    moles[c] = (moles[c] ?? 0) + n * units;
    moles.O = (moles.O ?? 0) + o * units;
  }
  const sum = Object.values(moles).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(moles).map(([k, v]) => [k, (100 * v) / sum]));
}

function csvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = (header ?? '').split(',');
  return lines.map((line) => {
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        cells.push(cur);
        cur = '';
      } else cur += ch;
    }
    cells.push(cur);
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

const json = (args: string[]) => {
  const r = labkit([...args, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, number | string | null | string[]>[];
};

describe('labkit epma convert on the example files', () => {
  it('olivine-oxides.csv (the README command): at% equal a hand calculation', () => {
    const r = labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv']);
    expect(r.status, r.stderr).toBe(0);
    const rows = csvRows(r.stdout);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'Point',
      'Sample',
      'Si at%',
      'Fe at%',
      'Mn at%',
      'Mg at%',
      'Ni at%',
      'O at%',
      'Total wt%',
      'flags',
    ]);
    const hand = atomicFromOxides({ SiO2: 40.81, FeO: 9.55, MnO: 0.14, MgO: 49.42, NiO: 0.37 });
    for (const el of ['Si', 'Fe', 'Mn', 'Mg', 'Ni', 'O'])
      expect(Number(rows[0]?.[`${el} at%`])).toBeCloseTo(hand[el] as number, 10);
    expect(rows[0]?.Sample).toBe('San Carlos olivine NMNH 111312/444');
    // ideal forsterite Mg2SiO4: 2/7, 1/7, 4/7
    expect(Number(rows[2]?.['Mg at%'])).toBeCloseTo(200 / 7, 2);
    expect(rows[2]?.flags).toBe('FeO (bdl) -> 0; MnO (bdl) -> 0; NiO (bdl) -> 0');
    expect(r.stderr).toContain('3 rows');
    expect(r.stderr).toContain('FeO: 1 below detection set to 0');
  });

  it('element-wt.csv: at% = 100 (w/A) / sum(w/A) by hand; markers flagged', () => {
    const rows = json(['epma', 'convert', 'examples/epma/element-wt.csv']);
    const w = {
      Si: 23.713,
      Ti: 0.444,
      Al: 4.16,
      Fe: 5.263,
      Mn: 0.101,
      Mg: 10.041,
      Ca: 11.306,
      Na: 0.942,
      K: 0,
      O: 44.371,
    };
    const n = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v / (A[k] as number)]));
    const sum = Object.values(n).reduce((a, b) => a + b, 0);
    for (const [el, moles] of Object.entries(n))
      expect(rows[1]?.[`${el} at%`]).toBeCloseTo((100 * moles) / sum, 10);
    expect(rows[0]?.flags).toEqual(['Mn wt% (n.d.) -> 0', 'Mg wt% (<0.012) -> 0']);
    expect(rows[0]?.['Total wt%']).toBe(100.33);
  });

  it('augite-semicolon-decimal-comma.csv: detected ; and decimal comma, BOM, CRLF; same at% as by hand', () => {
    const r = labkit([
      'epma',
      'convert',
      'examples/epma/augite-semicolon-decimal-comma.csv',
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("delimiter ';', decimal comma");
    const rows = JSON.parse(r.stdout);
    const hand = atomicFromOxides({
      SiO2: 50.73,
      TiO2: 0.74,
      Al2O3: 7.86,
      Fe2O3: 3.69,
      FeO: 3.45,
      MnO: 0.13,
      MgO: 16.65,
      CaO: 15.82,
      Na2O: 1.27,
      K2O: 0,
    });
    for (const [el, at] of Object.entries(hand)) expect(rows[0][`${el} at%`]).toBeCloseTo(at, 10);
    expect(rows[0].Probe).toBe('1');
    expect(rows[1].flags).toEqual(['K2O (<0,01) -> 0']);
  });

  it('jeol-export.csv: JEOL columns ignored, stage coordinates kept, 1σ matches a finite-difference check', () => {
    const r = labkit(['epma', 'convert', 'examples/epma/jeol-export.csv', '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout);
    const keys = Object.keys(rows[0]);
    expect(keys.slice(0, 5)).toEqual(['No.', 'Comment', 'X', 'Y', 'Z']);
    expect(keys.some((k) => /Norm|D\.L\.|K-ratio|Mass/.test(k))).toBe(false);
    expect(keys).toContain('Si at% 1σ');
    // Kakanui augite row: relative errors (%) from the file, first-order propagation by central differences.
    const wt: Record<string, number> = {
      SiO2: 50.73,
      Al2O3: 7.86,
      FeO: 6.77,
      MgO: 16.65,
      CaO: 15.82,
      Na2O: 1.27,
      K2O: 0,
      TiO2: 0.74,
    };
    const relErr: Record<string, number> = {
      SiO2: 0.3,
      Al2O3: 0.4,
      FeO: 2,
      MgO: 0.6,
      CaO: 0.5,
      Na2O: 2.5,
      K2O: 99.9,
      TiO2: 6,
    };
    const base = atomicFromOxides(wt);
    for (const el of ['Si', 'Fe', 'O']) {
      let variance = 0;
      for (const ox of Object.keys(wt)) {
        const sigma = ((wt[ox] as number) * (relErr[ox] as number)) / 100;
        if (sigma === 0) continue;
        const h = 1e-6;
        const up = atomicFromOxides({ ...wt, [ox]: (wt[ox] as number) + h });
        const down = atomicFromOxides({ ...wt, [ox]: (wt[ox] as number) - h });
        variance += ((((up[el] as number) - (down[el] as number)) / (2 * h)) * sigma) ** 2;
      }
      expect(rows[2][`${el} at%`]).toBeCloseTo(base[el] as number, 10);
      expect(rows[2][`${el} at% 1σ`]).toBeCloseTo(Math.sqrt(variance), 6);
    }
    expect(rows[0].flags).toEqual(['MgO(Mass%) (<0.02) -> 0']);
  });

  it('writes Markdown and booktabs LaTeX, rounded for a report', () => {
    const md = labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv', '--format', 'md']);
    expect(md.status).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe(
      '| Point | Sample | Si at% | Fe at% | Mn at% | Mg at% | Ni at% | O at% | Total wt% | flags |',
    );
    expect(md.stdout).toContain('| 1 | San Carlos olivine NMNH 111312/444 | 14.24 |');
    const tex = labkit([
      'epma',
      'convert',
      'examples/epma/olivine-oxides.csv',
      '--format',
      'latex',
    ]);
    expect(tex.status).toBe(0);
    expect(tex.stdout).toContain('\\toprule');
    expect(tex.stdout).toContain('Point & Sample & Si at\\% &');
    expect(tex.stdout).toContain('\\bottomrule\n\\end{tabular}');
  });

  it('--decimals rounds CSV; --group-by summarises', () => {
    const r = labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv', '--decimals', '3']);
    expect(csvRows(r.stdout)[0]?.['Si at%']).toMatch(/^\d+\.\d{3}$/);
    const dir = scratch('epma-e2e-');
    const file = join(dir, 'groups.csv');
    writeFileSync(file, 'Grain,SiO2,MgO\na,40,50\na,42,50\nb,41,49\n');
    const g = labkit([
      'epma',
      'convert',
      file,
      '--group-by',
      'Grain',
      '--format',
      'json',
      '--total-window',
      '0,200',
    ]);
    expect(g.status, g.stderr).toBe(0);
    const groups = JSON.parse(g.stdout);
    expect(groups.map((x: Record<string, unknown>) => [x.Grain, x.n])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    const siA = [
      atomicFromOxides({ SiO2: 40, MgO: 50 }).Si as number,
      atomicFromOxides({ SiO2: 42, MgO: 50 }).Si as number,
    ];
    expect(groups[0]['Si at% mean']).toBeCloseTo(((siA[0] as number) + (siA[1] as number)) / 2, 10);
    expect(groups[0]['Si at% sd']).toBeCloseTo(
      Math.abs((siA[0] as number) - (siA[1] as number)) / Math.SQRT2,
      10,
    );
    expect(groups[1]['Si at% sd']).toBeNull();
  });

  it('--weights overrides atomic weights (checked by hand)', () => {
    const dir = scratch('epma-e2e-w-');
    const weights = join(dir, 'w.json');
    writeFileSync(weights, JSON.stringify({ Fe: 2 * (A.Ni as number) }));
    const r = labkit(
      ['epma', 'convert', '--weights', weights, '--format', 'json', '--total-window', '0,1000'],
      { input: `Fe,Ni\n${2 * (A.Ni as number)},${A.Ni}\n` },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)[0]['Fe at%']).toBeCloseTo(50, 12);
    writeFileSync(weights, '{"Fe": -1}');
    const bad = labkit([
      'epma',
      'convert',
      'examples/epma/olivine-oxides.csv',
      '--weights',
      weights,
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Fe');
  });

  it('reads stdin when no file is given', () => {
    const r = labkit(['epma', 'convert', '--format', 'json'], {
      input: 'SiO2,MgO\n42.706,57.294\n',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)[0]['Si at%']).toBeCloseTo(100 / 7, 2);
  });
});

describe('labkit epma formula', () => {
  it('ideal Fo90 olivine on 4 O: Si 1, Mg 1.8, Fe 0.2 (3-decimal input)', () => {
    const rows = json(['epma', 'formula', 'examples/epma/olivine-oxides.csv', '--oxygens', '4']);
    expect(rows[1]?.['Si apfu'] as number).toBeCloseTo(1, 3);
    expect(rows[1]?.['Mg apfu'] as number).toBeCloseTo(1.8, 3);
    expect(rows[1]?.['Fe apfu'] as number).toBeCloseTo(0.2, 3);
  });

  it('spinel-oxides.csv with Droop: magnetite Fe2+ 1, Fe3+ 2; spinel without Fe', () => {
    const rows = json([
      'epma',
      'formula',
      'examples/epma/spinel-oxides.csv',
      '--oxygens',
      '4',
      '--fe3',
      'droop',
      '--cations',
      '3',
    ]);
    expect(rows[0]?.['Fe2+ apfu'] as number).toBeCloseTo(1, 3);
    expect(rows[0]?.['Fe3+ apfu'] as number).toBeCloseTo(2, 3);
    expect(rows[0]?.['Fe3+/ΣFe'] as number).toBeCloseTo(2 / 3, 3);
    expect(rows[2]?.['Al apfu'] as number).toBeCloseTo(2, 3);
    expect(rows[2]?.['Fe3+/ΣFe']).toBeNull();
  });

  it('chromium augite (FeOt) with Droop on 6 O, 4 cations recovers the wet-chemical Fe3+/ΣFe within 0.02', () => {
    const rows = json([
      'epma',
      'formula',
      'examples/epma/pyroxene-feot.csv',
      '--oxygens',
      '6',
      '--fe3',
      'droop',
      '--cations',
      '4',
    ]);
    const fe3 = (2 * 1.04) / oxideMass('Fe2O3');
    const fe2 = 3.77 / oxideMass('FeO');
    expect(rows[1]?.['Fe3+/ΣFe'] as number).toBeCloseTo(fe3 / (fe3 + fe2), 1);
    expect(Math.abs((rows[1]?.['Fe3+/ΣFe'] as number) - fe3 / (fe3 + fe2))).toBeLessThan(0.02);
    expect(rows[1]?.['cation sum'] as number).toBeCloseTo(4, 10);
  });
});

describe('labkit epma elements', () => {
  it('prints 118 elements with the source', () => {
    const r = labkit(['epma', 'elements']);
    expect(r.status).toBe(0);
    const rows = csvRows(r.stdout);
    expect(rows).toHaveLength(118);
    expect(rows.find((e) => e.symbol === 'Zr')?.['atomic weight']).toBe('91.222');
    expect(r.stderr).toMatch(/^Source: CIAAW 2021/);
    const j = labkit(['epma', 'elements', '--format', 'json']);
    expect(JSON.parse(j.stdout).source).toMatch(/CIAAW/);
  });
});

describe('errors and exit codes', () => {
  const dir = scratch('epma-e2e-err-');

  it('a bad cell names file, line, column and the text; exit 1', () => {
    const file = join(dir, 'broken.csv');
    writeFileSync(file, 'Point,SiO2,MgO\n1,40.8,49.4\n2,1.2.3,49.2\n');
    const r = labkit(['epma', 'convert', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${file}:3:2: expected a number or a below-detection marker in column "SiO2", got "1.2.3"`,
    );
  });

  it('a short row, a file without composition columns, a missing file: exit 1 with the reason', () => {
    const short = join(dir, 'short.csv');
    writeFileSync(short, 'Point,SiO2,MgO\n1,40.8\n');
    expect(labkit(['epma', 'convert', short]).stderr).toContain(
      `${short}:2:3: expected 3 fields like the header, got 2`,
    );
    const none = join(dir, 'none.csv');
    writeFileSync(none, 'Point,Comment\n1,x\n');
    const r = labkit(['epma', 'convert', none]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${none}:1:1: expected composition columns`);
    const missing = labkit(['epma', 'convert', join(dir, 'nope.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });

  it('refuses a composition-like column it cannot read, naming it; --pass-through keeps it', () => {
    const file = join(dir, 'odd.csv');
    writeFileSync(file, 'MgO,SiO2,NiO ppb\n57.294,42.706,12\n');
    const r = labkit(['epma', 'convert', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('"NiO ppb" (column 3: "ppb" after NiO is not a unit');
    expect(r.stderr).toContain('--pass-through "NiO ppb"');
    const kept = labkit(['epma', 'convert', file, '--pass-through', 'NiO ppb']);
    expect(kept.status).toBe(0);
    expect(kept.stdout.split('\n')[0]).toMatch(/^NiO ppb,/);
  });

  it('reads ppm columns as wt% / 10^4: Ni ppm and Cr (µg/g) give the at% of Ni and Cr wt%', () => {
    const ppm = join(dir, 'ppm.csv');
    writeFileSync(ppm, 'Point,SiO2,MgO,FeO,Ni ppm,Cr (µg/g)\n1,40.5,49.1,9.6,2900,95\n');
    const wt = join(dir, 'ppm-as-wt.csv');
    writeFileSync(wt, 'Point,SiO2,MgO,FeO,Ni wt%,Cr wt%\n1,40.5,49.1,9.6,0.29,0.0095\n');
    const r = labkit(['epma', 'convert', ppm, '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const [got] = JSON.parse(r.stdout) as Record<string, number>[];
    const [want] = JSON.parse(labkit(['epma', 'convert', wt, '--format', 'json']).stdout) as Record<
      string,
      number
    >[];
    for (const key of ['Si at%', 'Ni at%', 'Cr at%', 'O at%', 'Total wt%'])
      expect(got?.[key], key).toBeCloseTo(want?.[key] as number, 12);
  });

  it('usage errors exit 2', () => {
    expect(
      labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv', '--below-detection', 'ignore'])
        .status,
    ).toBe(2);
    expect(
      labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv', '--format', 'xml']).status,
    ).toBe(2);
    expect(
      labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv', '--total-window', '102,98'])
        .status,
    ).toBe(2);
    const empty = labkit(['epma', 'convert'], { input: '' });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('stdin:1:1: expected a header row, the input is empty');
    const noOxygens = labkit(['epma', 'formula', 'examples/epma/olivine-oxides.csv']);
    expect(noOxygens.status).toBe(2);
    expect(noOxygens.stderr).toContain('--oxygens is required');
    expect(
      labkit([
        'epma',
        'formula',
        'examples/epma/olivine-oxides.csv',
        '--oxygens',
        '4',
        '--fe3',
        'droop',
      ]).status,
    ).toBe(2);
  });

  it('stops quietly with exit 0 when the reader closes the pipe early (| head)', () => {
    const file = join(dir, 'long.csv');
    writeFileSync(
      file,
      `SiO2,MgO\n${Array.from({ length: 50_000 }, () => '42.706,57.294').join('\n')}\n`,
    );
    const r = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${labkitBin}" epma convert "${file}" | head -1 >/dev/null; exit \${PIPESTATUS[0]}`,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.status).toBe(0);
  });

  it('-o is atomic: a failed run leaves no output and no temp file, and an old file untouched', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},40.8,49.4`);
    const file = join(dir, 'late-error.csv');
    writeFileSync(file, `Point,SiO2,MgO\n${rows.join('\n')}\n20001,oops,49\n`);
    const out = join(dir, 'out.csv');
    const r = labkit(['epma', 'convert', file, '-o', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:20002:2:`);
    expect(existsSync(out)).toBe(false);
    writeFileSync(out, 'old\n');
    expect(labkit(['epma', 'convert', file, '-o', out]).status).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const ok = labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv', '-o', out]);
    expect(ok.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv']).stdout,
    );
  });
});

/** Issue 12: each defect found on the old main, as a user meets it. */
describe('no silent wrong result', () => {
  const dir = scratch('epma-e2e-12-');
  const write = (name: string, text: string | Buffer) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const GARNET = '36.29,0.02,20.17,41.95,0.05,0.58,0.94,100';
  const MASS = { SiO2: oxideMass('SiO2'), MgO: oxideMass('MgO') };
  const AW = { Si: A.Si as number, Fe: A.Fe as number, O: A.O as number };

  // Total iron after the oxide, and (issue 12 follow-up) written before it.
  it.each([
    'FeOtot',
    'FeOtotal',
    'FeO total',
    'FeO(t)',
    'FeOT',
    'TotalFeO',
    'Total FeO',
    'TotFeO',
    'Tot. FeO',
    'T-FeO',
    'TFeO',
  ])('a garnet with %s gets its Fe: 8 cations on 12 O with droop', (header) => {
    const file = write(
      `garnet-${header.replace(/\W/g, '_')}.csv`,
      `Point,SiO2,TiO2,Al2O3,${header},MnO,MgO,CaO,Total\nG,${GARNET}\n`,
    );
    const r = labkit([
      'epma',
      'formula',
      file,
      '--oxygens',
      '12',
      '--fe3',
      'droop',
      '--cations',
      '8',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const [row] = csvRows(r.stdout);
    expect(Number(row?.['cation sum'])).toBeCloseTo(8, 10);
    expect(Number(row?.['Fe2+ apfu'])).toBeGreaterThan(2.5);
  });

  it('Fe2O3tot is total iron as Fe2O3', () => {
    const file = write('fe2o3tot.csv', 'SiO2,Fe2O3tot,MgO\n40,10,48\n');
    const r = labkit(['epma', 'convert', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toContain('Fe at%');
  });

  it('reads oxides typed with a lower-case oxygen (Sio2, Mgo, Feo), as a spreadsheet leaves them', () => {
    const file = write('lower-o.csv', 'Point,Sio2,Mgo,Feo,Fo\n1,40.8,49.4,9.5,90\n');
    const r = labkit(['epma', 'convert', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Point,Fo,Si at%,Mg at%,Fe at%,O at%,Total wt%,flags');
    expect(r.stdout).toBe(
      labkit([
        'epma',
        'convert',
        write('upper-o.csv', 'Point,SiO2,MgO,FeO,Fo\n1,40.8,49.4,9.5,90\n'),
      ]).stdout,
    );
  });

  it.each([
    ['Total Fe', 'not as which oxide', 'FeO'],
    ['Xx wt%', '"Xx" is not an element', 'WHAT'],
    ['FeO foo', '"foo" after FeO', 'FeO'],
    ['Fe2O3 calc', '"calc" after Fe2O3', 'Fe2O3'],
  ])('%s is refused with exit 1, naming the column and the fix', (header, why, meant) => {
    const file = write('unknown.csv', `Point,SiO2,MgO,${header}\n1,40,50,9\n`);
    const r = labkit(['epma', 'convert', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`"${header}" (column 4: `);
    expect(r.stderr).toContain(why);
    // The alias suggested is the species the header names, not a fixed example.
    expect(r.stderr).toContain(`--alias "${header}=${meant}"`);
    expect(r.stderr).toContain(`--pass-through "${header}"`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const aliased = labkit(['epma', 'convert', file, '--alias', `${header}=FeO`]);
    expect(aliased.status, aliased.stderr).toBe(0);
    expect(aliased.stdout.split('\n')[0]).toContain('Fe at%');
  });

  it('reads German units and Summe as the total', () => {
    const file = write('german.csv', 'Punkt,SiO2 Gew.%,MgO Gew.%,FeO Gew.-%,Summe\n1,40,50,9,99\n');
    const r = labkit(['epma', 'convert', file]);
    expect(r.status, r.stderr).toBe(0);
    const [row] = csvRows(r.stdout);
    expect(Object.keys(row ?? {})).toEqual([
      'Punkt',
      'Si at%',
      'Mg at%',
      'Fe at%',
      'O at%',
      'Total wt%',
      'flags',
    ]);
    expect(row?.flags).toBe('');
    expect(r.stderr).not.toContain('warning');
  });

  it('refuses SiO2 beside Si (Si would count twice); --pass-through Si keeps SiO2 only', () => {
    const file = write('twice.csv', `SiO2,Si,MgO\n${MASS.SiO2},${AW.Si},${2 * MASS.MgO}\n`);
    const r = labkit(['epma', 'convert', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Si is given by 2 columns ("SiO2", "Si")');
    expect(r.stderr).toContain('--pass-through "Si"');
    const chosen = labkit(['epma', 'convert', file, '--pass-through', 'Si']);
    expect(chosen.status).toBe(0);
    const [row] = csvRows(chosen.stdout);
    expect(Number(row?.['Si at%'])).toBeCloseTo(100 / 7, 10);
  });

  it('refuses FeOt beside Fe2O3 (Fe counted twice)', () => {
    const file = write('feot-fe2o3.csv', 'SiO2,FeOt,Fe2O3,MgO\n40,9,1,49\n');
    const r = labkit(['epma', 'formula', file, '--oxygens', '4']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('FeOt is total iron');
  });

  it('keeps the measured FeO/Fe2O3 split through formula; droop replaces it, saying so', () => {
    const feo = 2 * AW.Fe + 2 * AW.O;
    const fe2o3 = 2 * AW.Fe + 3 * AW.O;
    const file = write(
      'magnetite.csv',
      `FeO,Fe2O3\n${(100 * feo) / 2 / (feo / 2 + fe2o3)},${(100 * fe2o3) / (feo / 2 + fe2o3)}\n`,
    );
    const r = labkit(['epma', 'formula', file, '--oxygens', '4']);
    expect(r.status, r.stderr).toBe(0);
    const [row] = csvRows(r.stdout);
    expect(Number(row?.['Fe2+ apfu'])).toBeCloseTo(1, 10);
    expect(Number(row?.['Fe3+ apfu'])).toBeCloseTo(2, 10);
    expect(row?.['Fe apfu']).toBeUndefined();
    const droop = labkit([
      'epma',
      'formula',
      file,
      '--oxygens',
      '4',
      '--fe3',
      'droop',
      '--cations',
      '3',
    ]);
    expect(droop.stderr).toContain('droop replaces the measured Fe2+/Fe3+ split');
  });

  it('decodes Windows-1252 and says so; UTF-16 and Shift_JIS read too', () => {
    const text = 'Point,Comment,SiO2,MgO\n1,Mü 5µm 20°C,40,50\n';
    const latin = write('latin1.csv', Buffer.from(text, 'latin1'));
    const r = labkit(['epma', 'convert', latin, '--total-window', '0,200']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Mü 5µm 20°C');
    expect(r.stderr).toContain('read as windows-1252 because the bytes are not valid UTF-8');
    const utf16 = write(
      'utf16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    expect(labkit(['epma', 'convert', utf16, '--total-window', '0,200']).stdout).toBe(
      labkit(['epma', 'convert', latin, '--total-window', '0,200']).stdout,
    );
    // 日本 in Shift_JIS, forced with --encoding.
    const sjis = write(
      'sjis.csv',
      Buffer.concat([
        Buffer.from('Point,SiO2,MgO\n'),
        Buffer.from([0x93, 0xfa, 0x96, 0x7b]),
        Buffer.from(',40,50\n'),
      ]),
    );
    const j = labkit([
      'epma',
      'convert',
      sjis,
      '--encoding',
      'shift_jis',
      '--total-window',
      '0,200',
    ]);
    expect(j.status, j.stderr).toBe(0);
    expect(j.stdout).toContain('日本,');
    expect(labkit(['epma', 'convert', sjis, '--encoding', 'klingon']).status).toBe(2);
  });

  it('a Shift_JIS header read as Windows-1252 fails, and stderr says which encoding was guessed', () => {
    const sjis = write(
      'sjis-header.csv',
      Buffer.concat([
        Buffer.from('Point,SiO2 ('),
        Buffer.from([0x8e, 0xbf, 0x97, 0xca, 0x25]), // 質量% in Shift_JIS
        Buffer.from('),MgO\n1,40,50\n'),
      ]),
    );
    const r = labkit(['epma', 'convert', sjis]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'warning: read as windows-1252 because the bytes are not valid UTF-8',
    );
    expect(r.stderr).toContain('--alias "SiO2 (');
    expect(r.stderr).toMatch(/=SiO2"/);
    // The likely fix, the encoding, comes before the alias for a garbled header.
    const encodingHint = r.stderr.indexOf('--encoding shift_jis');
    expect(encodingHint).toBeGreaterThan(-1);
    expect(encodingHint).toBeLessThan(r.stderr.indexOf('--alias'));
    const forced = labkit([
      'epma',
      'convert',
      sjis,
      '--encoding=shift_jis',
      '--total-window=0,200',
    ]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout.split('\n')[0]).toBe('Point,Si at%,Mg at%,O at%,Total wt%,flags');
  });

  it('blanks are not analysed: skipped by group means, summarised once per column', () => {
    const rows = Array.from(
      { length: 16 },
      (_, i) => `${i < 8 ? 'A' : 'B'},40.8,9.5,49.4,${i % 2 ? '' : '0.3'}`,
    );
    const file = write('blanks.csv', `Grain,SiO2,FeO,MgO,NiO\n${rows.join('\n')}\n`);
    const r = labkit(['epma', 'convert', file, '--group-by', 'Grain', '--total-window', '0,200']);
    expect(r.status).toBe(0);
    const [a] = csvRows(r.stdout);
    const full = csvRows(labkit(['epma', 'convert', file, '--total-window', '0,200']).stdout);
    expect(Number(a?.['Ni at% mean'])).toBeCloseTo(Number(full[0]?.['Ni at%']), 12);
    expect(a?.['Ni at% n']).toBe('4');
    expect(r.stderr.match(/NiO/g)).toHaveLength(1);
    expect(r.stderr).toContain('NiO: 8 blank (not analysed) left out');
    expect(labkit(['epma', 'convert', file, '--total-window', '0,200']).stdout).not.toContain(
      'below detection',
    );
  });

  it('Markdown, LaTeX and JSON reach stdout only when the whole file converted', () => {
    const rows = Array.from({ length: 58_000 }, (_, i) => `${i},40.8,49.4`);
    const file = write('late.csv', `Point,SiO2,MgO\n${rows.join('\n')}\n58001,oops,49\n`);
    for (const format of ['md', 'latex', 'json']) {
      const r = labkit(['epma', 'convert', file, '--format', format]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(':58002:2:');
    }
    const csv = labkit(['epma', 'convert', file]);
    expect(csv.status).toBe(1);
    const written = csv.stdout.split('\n').length - 2;
    expect(csv.stderr).toContain(
      `the output is incomplete: stopped after ${written} data rows written to stdout`,
    );
  });

  it('LaTeX keeps labels as written and escapes arrows, < and Greek', () => {
    const file = write('labels.csv', 'Point,Comment,SiO2,MgO\nGRT1-2,"a -> b < c, α",40,50\n');
    const r = labkit(['epma', 'convert', file, '--format', 'latex', '--total-window', '0,200']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'GRT1-2 & a -\\textgreater{} b \\textless{} c, \\ensuremath{\\alpha} &',
    );
  });

  it('--oxygens-column gives each row its basis (olivine 4, pyroxene 6)', () => {
    const file = write(
      'mixed.csv',
      `Mineral,Oxygens,SiO2,MgO\nol,4,${MASS.SiO2},${2 * MASS.MgO}\nopx,6,${2 * MASS.SiO2},${2 * MASS.MgO}\n`,
    );
    const r = labkit([
      'epma',
      'formula',
      file,
      '--oxygens-column',
      'Oxygens',
      '--total-window',
      '0,300',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const rows = csvRows(r.stdout);
    expect(Number(rows[0]?.['Si apfu'])).toBeCloseTo(1, 10);
    expect(Number(rows[1]?.['Si apfu'])).toBeCloseTo(2, 10);
  });

  // Issue 12 follow-up (reviewer's findings): headers read wrong or left out with exit 0.
  it.each(['%FeO', 'wt.%FeO'])(
    'a unit glued before the oxide (%s) is read as FeO wt%',
    (header) => {
      const file = write(`unit-${header.replace(/\W/g, '_')}.csv`, `SiO2,MgO,${header}\n40,50,9\n`);
      const same = write(`unit-plain-${header.replace(/\W/g, '_')}.csv`, 'SiO2,MgO,FeO\n40,50,9\n');
      const r = labkit(['epma', 'convert', file]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(labkit(['epma', 'convert', same]).stdout);
    },
  );

  it.each([
    ['Mean FeO', 'FeO'],
    ['avg FeO', 'FeO'],
    ['FeII', 'FeO'],
    ['FeIII', 'Fe2O3'],
    ['LiF', 'WHAT'],
    ['NA', 'Na'],
    ['HF', 'Hf'],
    ['CO', 'Co'],
    ['Pt', 'Pt wt%'],
    ['FeT', 'FeOt'],
  ])('refuses %s among oxides, naming it and both ways out; exit 1, no output', (header, meant) => {
    const file = write(
      `refused-${header.replace(/\W/g, '_')}.csv`,
      `Point,SiO2,MgO,${header}\n1,40,50,9\n`,
    );
    const r = labkit(['epma', 'convert', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`"${header}" (column 4:`);
    expect(r.stderr).toContain(`--alias "${header}=${meant}`);
    expect(r.stderr).toContain(`--pass-through "${header}"`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const kept = labkit(['epma', 'convert', file, '--pass-through', header]);
    expect(kept.status, kept.stderr).toBe(0);
    expect(kept.stdout.split('\n')[0]).toBe(`Point,${header},Si at%,Mg at%,O at%,Total wt%,flags`);
  });

  it('nA (beam current) is not sodium: kept as text', () => {
    const file = write('beam.csv', 'Point,nA,kV,SiO2,MgO\n1,20,15,40,50\n');
    const r = labkit(['epma', 'convert', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Point,nA,kV,Si at%,Mg at%,O at%,Total wt%,flags');
  });

  it('an element measured only as K-ratio or Norm% is an error unless passed through or aliased', () => {
    const file = write('kratio.csv', 'Point,SiO2,MgO,FeO K-ratio,FeO Norm%\n1,40,50,0.1,9\n');
    const r = labkit(['epma', 'convert', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('"FeO K-ratio" (column 4: it holds FeO k-ratio, not wt%');
    expect(r.stderr).toContain('--alias "FeO Norm%=FeO"');
    const left = labkit([
      'epma',
      'convert',
      file,
      '--pass-through',
      'FeO K-ratio',
      '--pass-through',
      'FeO Norm%',
    ]);
    expect(left.status, left.stderr).toBe(0);
    expect(left.stdout.split('\n')[0]).not.toContain('Fe at%');
    const read = labkit([
      'epma',
      'convert',
      file,
      '--pass-through',
      'FeO K-ratio',
      '--alias',
      'FeO Norm%=FeO',
    ]);
    expect(read.status, read.stderr).toBe(0);
    expect(read.stdout.split('\n')[0]).toContain('Fe at%');
  });

  it.each(['SiO2,MgO,CaO', 'SiO2,Mn2O3,CaO'])(
    '--fe3 droop on %s (no iron) says so plainly; exit 2',
    (oxides) => {
      const file = write(`nofe-${oxides.replace(/\W/g, '_')}.csv`, `Spot,${oxides}\nA,55,20,25\n`);
      const r = labkit([
        'epma',
        'formula',
        file,
        ...'--oxygens 6 --fe3 droop --cations 4'.split(' '),
      ]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        '--fe3 droop splits iron into Fe2+ and Fe3+, so it needs an FeO or Fe2O3 column',
      );
      expect(r.stderr).not.toContain('internal error');
    },
  );

  it.each(['formula', 'convert'])('%s exits 1 when no row could be converted', (command) => {
    const file = write(`zero-${command}.csv`, 'Spot,SiO2,MgO\nA,0,0\nB,0,0\n');
    const r = labkit(
      ['epma', command, file, '--oxygens', '4'].slice(0, command === 'formula' ? 5 : 3),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('none of the 2 rows could be converted');
    const one = write(`one-${command}.csv`, 'Spot,SiO2,MgO\nA,0,0\nB,42.7,57.3\n');
    expect(
      labkit(['epma', command, one, '--oxygens', '4'].slice(0, command === 'formula' ? 5 : 3))
        .status,
    ).toBe(0);
  });

  it('formula leaves H2O out of the oxygen basis (anhydrous), with a note', () => {
    const dry = write('ol-dry.csv', `SiO2,MgO\n${MASS.SiO2},${2 * MASS.MgO}\n`);
    const wet = write('ol-wet.csv', `SiO2,MgO,H2O\n${MASS.SiO2},${2 * MASS.MgO},3\n`);
    const args = ['--oxygens', '4', '--total-window', '0,300'];
    const a = labkit(['epma', 'formula', dry, ...args]);
    const b = labkit(['epma', 'formula', wet, ...args]);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stderr).toContain('"H2O" is left out of the formula');
    const [x] = csvRows(a.stdout);
    const [y] = csvRows(b.stdout);
    expect(y?.['H apfu']).toBeUndefined();
    expect(Number(y?.['Si apfu'])).toBeCloseTo(1, 12);
    expect(Number(y?.['cation sum'])).toBeCloseTo(3, 12);
    expect(y?.['Si apfu']).toBe(x?.['Si apfu']);
  });
});

describe('--oxygens-column with mineral names', () => {
  const example = 'examples/epma/mixed-minerals.csv';
  it('the Mineral column of the mixed example gives the apfu of its Oxygens column', () => {
    const byNumber = labkit(['epma', 'formula', example, '--oxygens-column', 'Oxygens']);
    const byName = labkit(['epma', 'formula', example, '--oxygens-column', 'Mineral']);
    expect(byName.status, byName.stderr).toBe(0);
    const apfu = (r: typeof byName) =>
      csvRows(r.stdout).map((row) =>
        Object.fromEntries(
          Object.entries(row).filter(([k]) => k.endsWith('apfu') || k === 'cation sum'),
        ),
      );
    expect(apfu(byName)).toEqual(apfu(byNumber));
  });

  it('names also give droop its cations; an unknown name or droop on amphibole stops, located', () => {
    const dir = scratch('epma-e2e-minerals-');
    const file = join(dir, 'phases.csv');
    writeFileSync(
      file,
      'Phase,SiO2,TiO2,Al2O3,FeO,MnO,MgO,CaO,Na2O\nGrt,38.9,0.05,21.9,25.2,0.9,9.8,3.5,0\nCpx,50.7,0.74,7.86,7.0,0.13,16.65,15.82,1.27\n',
    );
    const droop = labkit(['epma', 'formula', file, '--oxygens-column', 'Phase', '--fe3', 'droop']);
    expect(droop.status, droop.stderr).toBe(0);
    const rows = csvRows(droop.stdout);
    expect(Number(rows[0]?.['cation sum'])).toBeCloseTo(8, 10);
    expect(Number(rows[1]?.['cation sum'])).toBeCloseTo(4, 10);
    writeFileSync(join(dir, 'odd.csv'), 'Phase,SiO2,FeO,MgO\nGrt,38.9,25.2,9.8\nolivin,40,10,49\n');
    const odd = labkit(['epma', 'formula', join(dir, 'odd.csv'), '--oxygens-column', 'Phase']);
    expect(odd.status).toBe(1);
    expect(odd.stdout).toBe('');
    expect(odd.stderr).toContain(
      ':3:1: expected a number of oxygens per formula unit or a mineral',
    );
    expect(odd.stderr).toContain('got "olivin"');
    writeFileSync(join(dir, 'hbl.csv'), 'Phase,SiO2,FeO,MgO\nHbl,45,12,14\n');
    const hbl = labkit([
      'epma',
      'formula',
      join(dir, 'hbl.csv'),
      '--oxygens-column=Phase',
      '--fe3=droop',
    ]);
    expect(hbl.status).toBe(1);
    expect(hbl.stderr).toContain('amphibole has no fixed cation count');
  });
});

describe('messages name the option, the path and the fix', () => {
  const dir = scratch('epma-e2e-msg-');
  const data = join(dir, 'data.csv');
  writeFileSync(data, 'Spot,SiO2,MgO,FeO\nA,40.5,48.1,10.2\n');

  it('--oxygens-column / --cations-column naming no column say so, with the columns', () => {
    const r = labkit(['epma', 'formula', data, '--oxygens-column', 'Nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      '--oxygens-column "Nope": there is no such column (columns: "Spot", "SiO2", "MgO", "FeO")',
    );
    expect(r.stderr).not.toContain('pass-through');
    const c = labkit(['epma', 'formula', data, '--oxygens=4', '--fe3=droop', '--cations-column=X']);
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('--cations-column "X": there is no such column');
  });

  it('-o onto a dangling symlink names the directory that is missing', () => {
    const link = join(dir, 'dangling.csv');
    symlinkSync('nowhere/x.csv', link);
    const r = labkit(['epma', 'convert', data, '-o', link]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `labkit: error: cannot write ${link}: the directory ${join(dir, 'nowhere')} does not exist\n`,
    );
  });

  it('--weights naming a directory or a missing file: one plain sentence naming the path', () => {
    const missing = join(dir, 'no-such.json');
    const d = labkit(['epma', 'convert', data, '--weights', dir]);
    expect(d.status).toBe(1);
    expect(d.stderr).toBe(
      `labkit: error: cannot read the --weights file ${dir}: it is a directory, not a file\n`,
    );
    const m = labkit(['epma', 'convert', data, '--weights', missing]);
    expect(m.status).toBe(1);
    expect(m.stderr).toBe(
      `labkit: error: cannot read the --weights file ${missing}: no such file\n`,
    );
  });

  it('-o with an empty name says a file name is needed', () => {
    const r = labkit(['epma', 'convert', data, '-o', '']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--out needs a file name, got an empty one');
  });

  it('--total-window -inf,105 as two words reaches the validator, which refuses it plainly', () => {
    for (const window of ['-inf,105', '-Infinity,105']) {
      const r = labkit(['epma', 'convert', data, '--total-window', window]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        `--total-window expects two finite, increasing numbers like 98,102; got "${window}"`,
      );
    }
  });

  it('n.a., NA, N/A, nan are read as not analysed, exactly like blank cells', () => {
    const file = (cell: string) => {
      const path = join(dir, `na-${cell.replace(/\W/g, '_')}.csv`);
      writeFileSync(path, `Spot,SiO2,MgO,FeO\nA,40.5,48.1,${cell}\nB,40.1,47.9,10.2\n`);
      return path;
    };
    const blank = labkit(['epma', 'convert', file('')]);
    expect(blank.status, blank.stderr).toBe(0);
    for (const word of ['n.a.', 'NA', 'N/A', 'nan', 'n.a']) {
      const r = labkit(['epma', 'convert', file(word)]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(blank.stdout);
      expect(r.stderr).toContain('FeO: 1 blank (not analysed) left out');
    }
  });

  it('<LOD, <LLD, <MDL, bdl, b.d.l., n.d. are below detection, like <DL', () => {
    const file = (cell: string) => {
      const path = join(dir, `bd-${cell.replace(/\W/g, '_')}.csv`);
      writeFileSync(path, `Spot,SiO2,MgO,FeO\nA,40.5,48.1,${cell}\n`);
      return path;
    };
    const dl = labkit(['epma', 'convert', file('<DL'), '--total-window', '0,200']);
    expect(dl.status, dl.stderr).toBe(0);
    for (const marker of ['<LOD', '< LOD', '<LLD', '<MDL', 'bdl', 'b.d.l.', 'n.d.']) {
      const r = labkit(['epma', 'convert', file(marker), '--total-window', '0,200']);
      expect(r.status, `${marker}: ${r.stderr}`).toBe(0);
      // The flag quotes the cell as written.
      expect(r.stdout).toBe(dl.stdout.replace('FeO (<DL)', `FeO (${marker})`));
      expect(r.stderr).toContain('FeO: 1 below detection set to 0');
    }
  });

  it('LaTeX: characters with no LaTeX form are written as ? and stderr says which, once', () => {
    const file = join(dir, 'notes.csv');
    writeFileSync(
      file,
      'Spot,Note,SiO2,MgO,FeO\nA,日本 ☃,40.5,48.1,10.2\nA,日 5 µm € ½ ℃ «x» ∈ ∩ ∼ 3″ Fe\u2010rich ™ ®,40.5,48.1,10.2\n',
    );
    for (const extra of [[], ['--group-by', 'Note']]) {
      const r = labkit(['epma', 'convert', file, '--format', 'latex', ...extra]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('\\textmu{}m \\texteuro{} \\textonehalf{} \\textcelsius{}');
      const warnings = r.stderr.split('\n').filter((l) => l.includes('no LaTeX form'));
      expect(warnings).toEqual([
        'labkit epma convert: warning: 4 characters had no LaTeX form and were written as ?: 日 (U+65E5) 2 times, 本 (U+672C), ☃ (U+2603)',
      ]);
    }
    const plain = labkit(['epma', 'convert', file, '--format', 'md']);
    expect(plain.stderr).not.toContain('no LaTeX form');
  });

  it('a stray quote in a cell (inches) is located, with the fix', () => {
    const file = join(dir, 'inches.csv');
    writeFileSync(file, 'Spot,SiO2,MgO,FeO\nA,40.5,48.1,10.2\nB x"y,40.5,48.1,10.2\n');
    const r = labkit(['epma', 'convert', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `labkit: error: ${file}:3:1: a quote inside an unquoted cell (B x"…); quote the whole cell and double the quote inside ("B x""…"), or remove the quote\n`,
    );
  });
});

describe('no lost or damaged file', () => {
  const dir = scratch('epma-e2e-files-');
  const OLIVINE = readFileSync(join(repoRoot, 'examples/epma/olivine-oxides.csv'), 'utf8');
  const expected = () => labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv']).stdout;
  const noTemp = () => expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

  it('refuses -o naming the input, also through a symlink or a hard link', () => {
    const data = join(dir, 'data.csv');
    writeFileSync(data, OLIVINE);
    symlinkSync(data, join(dir, 'alias.csv'));
    linkSync(data, join(dir, 'hard.csv'));
    for (const out of [data, join(dir, 'alias.csv'), join(dir, 'hard.csv')]) {
      const r = labkit(['epma', 'convert', data, '-o', out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('it is the input file');
      expect(readFileSync(data, 'utf8')).toBe(OLIVINE);
    }
    noTemp();
  });

  it('refuses -o onto the input read through stdin (`-o in.csv < in.csv`), convert and formula', () => {
    const data = join(dir, 'stdin-in.csv');
    writeFileSync(data, OLIVINE);
    for (const args of [
      ['epma', 'convert', '-o', data],
      ['epma', 'convert', '-', '-o', data],
      ['epma', 'formula', '--oxygens', '4', '-o', data],
    ]) {
      const fd = openSync(data, 'r');
      const r = spawnSync(process.execPath, [labkitBin, ...args], {
        stdio: [fd, 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      closeSync(fd);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('it is the input file (read through standard input)');
      expect(readFileSync(data, 'utf8')).toBe(OLIVINE);
    }
    noTemp();
  });

  it('refuses -o onto the --weights file (also through a symlink)', () => {
    const weights = join(dir, 'wk.json');
    const table = '{"Fe": 55.845}\n';
    writeFileSync(weights, table);
    symlinkSync(weights, join(dir, 'wk-link.json'));
    for (const out of [weights, join(dir, 'wk-link.json')]) {
      const r = labkit([
        'epma',
        'convert',
        'examples/epma/olivine-oxides.csv',
        '--weights',
        weights,
        '-o',
        out,
      ]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(`it is a file labkit reads (${weights})`);
      expect(readFileSync(weights, 'utf8')).toBe(table);
    }
    noTemp();
  });

  it('keeps a symlink and writes its target', () => {
    const target = join(dir, 'target.csv');
    writeFileSync(target, 'old\n');
    const link = join(dir, 'link.csv');
    symlinkSync(target, link);
    expect(labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv', '-o', link]).status).toBe(
      0,
    );
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(expected());
  });

  it('writes a FIFO directly', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (b: Buffer) => {
      got += b.toString();
    });
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const r = spawnSync(
      process.execPath,
      [labkitBin, 'epma', 'convert', 'examples/epma/olivine-oxides.csv', '-o', fifo],
      { encoding: 'utf8', cwd: repoRoot },
    );
    // Should labkit replace the FIFO instead of writing it, the reader would wait forever.
    const stuck = setTimeout(() => reader.kill(), 20_000);
    await closed;
    clearTimeout(stuck);
    expect(r.status, r.stderr).toBe(0);
    expect(got).toBe(expected());
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  /**
   * A device to write to. As root, a regression (replacing the node with a regular file) would
   * destroy the system's /dev/null: root gets its own device nodes in the test directory instead.
   * Other users cannot replace anything in /dev, so they use the real ones.
   */
  const device = (name: 'null' | 'full', minor: number) => {
    if (process.getuid?.() !== 0) return `/dev/${name}`;
    const node = join(dir, name);
    const made = spawnSync('mknod', ['-m', '666', node, 'c', '1', String(minor)]);
    expect(made.status, String(made.stderr)).toBe(0);
    return node;
  };

  it('writes a device directly: the null device stays a device', () => {
    const node = device('null', 3);
    expect(labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv', '-o', node]).status).toBe(
      0,
    );
    expect(lstatSync(node).isCharacterDevice()).toBe(true);
  });

  it('a full disk is one sentence naming the path, exit 1', () => {
    const node = device('full', 7);
    const r = labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv', '-o', node]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`labkit: error: cannot write ${node}: the disk is full\n`);
    expect(lstatSync(node).isCharacterDevice()).toBe(true);
  });

  it('-o onto a directory or into a missing directory: one sentence, nothing left behind', () => {
    const r = labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv', '-o', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`labkit: error: cannot write ${dir}: it is a directory\n`);
    noTemp();
    const missing = join(dir, 'no/such/dir/out.csv');
    const m = labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv', '-o', missing]);
    expect(m.status).toBe(1);
    expect(m.stderr).toBe(
      `labkit: error: cannot write ${missing}: the directory ${dirname(missing)} does not exist\n`,
    );
  });

  it('-o /dev/stdout writes the descriptor the shell opened: `>> log` appends, nothing replaced', () => {
    const log = join(dir, 'log.txt');
    for (const format of ['csv', 'md']) {
      writeFileSync(log, 'kept line\n');
      const fd = openSync(log, 'a');
      const r = spawnSync(
        process.execPath,
        [
          labkitBin,
          'epma',
          'convert',
          'examples/epma/olivine-oxides.csv',
          '--format',
          format,
          '-o',
          '/dev/stdout',
        ],
        { cwd: repoRoot, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' },
      );
      closeSync(fd);
      expect(r.status, r.stderr).toBe(0);
      const alone = labkit([
        'epma',
        'convert',
        'examples/epma/olivine-oxides.csv',
        '--format',
        format,
      ]);
      expect(readFileSync(log, 'utf8')).toBe(`kept line\n${alone.stdout}`);
    }
  });

  it('refuses stdout redirected onto the input (`>> data.csv`), with -o /dev/stdout too', () => {
    const data = join(dir, 'appended.csv');
    writeFileSync(data, OLIVINE);
    for (const out of [[], ['-o', '/dev/stdout']]) {
      const fd = openSync(data, 'a');
      const r = spawnSync(process.execPath, [labkitBin, 'epma', 'convert', data, ...out], {
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
      });
      closeSync(fd);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('it is the input file');
      expect(readFileSync(data, 'utf8')).toBe(OLIVINE);
    }
  });

  /**
   * Permission errors need a user the permissions apply to: root may write anywhere, so as root
   * labkit runs as `nobody` through util-linux setpriv (skipped, and said so, without it).
   */
  const root = process.getuid?.() === 0;
  const setpriv = root && spawnSync('setpriv', ['--version']).status === 0;
  const asUser = (args: string[]) => {
    const command = setpriv
      ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath]
      : [process.execPath];
    const r = spawnSync(command[0] as string, [...command.slice(1), labkitBin, ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    return { status: r.status, stderr: r.stderr };
  };
  it.skipIf(root && !setpriv)(
    root && !setpriv
      ? 'permissions (SKIPPED: running as root without setpriv to drop to another user)'
      : 'permissions: unwritable directory, read-only file, unreadable input: one sentence each',
    () => {
      const open = join(dir, 'open');
      mkdirSync(open, { mode: 0o777 });
      chmodSync(open, 0o777);
      chmodSync(dir, 0o755);
      const locked = join(open, 'locked');
      mkdirSync(locked, { mode: 0o555 });
      const input = join(open, 'in.csv');
      writeFileSync(input, OLIVINE, { mode: 0o644 });
      const out = join(locked, 'out.csv');
      const r = asUser(['epma', 'convert', input, '-o', out]);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`labkit: error: cannot write ${out}: permission denied\n`);
      const readOnly = join(open, 'keep.csv');
      writeFileSync(readOnly, 'keep\n', { mode: 0o444 });
      if (setpriv) chownSync(readOnly, 65534, 65534);
      const ro = asUser(['epma', 'convert', input, '-o', readOnly]);
      expect(ro.status).toBe(1);
      expect(ro.stderr).toBe(
        `labkit: error: cannot write ${readOnly}: permission denied (the file is read-only for you)\n`,
      );
      expect(readFileSync(readOnly, 'utf8')).toBe('keep\n');
      const secret = join(open, 'secret.csv');
      writeFileSync(secret, OLIVINE, { mode: 0o600 });
      if (!setpriv) chmodSync(secret, 0o000);
      const unreadable = asUser(['epma', 'convert', secret]);
      expect(unreadable.status).toBe(1);
      expect(unreadable.stderr).toBe(`labkit: error: cannot read ${secret}: permission denied\n`);
    },
  );

  it('Ctrl-C or SIGTERM mid-run leaves no temporary file or spool directory, and no output', async () => {
    const work = join(dir, 'signals');
    const temp = join(work, 'tmp');
    mkdirSync(temp, { recursive: true });
    const big = join(work, 'big.csv');
    const rows = Array.from({ length: 400_000 }, (_, i) => `p${i},40.8,49.4,9.5,0.37,100.07`);
    writeFileSync(big, `Point,SiO2,MgO,FeO,NiO,Total\n${rows.join('\n')}\n`);
    const out = join(work, 'out.csv');
    const runs: [string[], NodeJS.Signals, () => boolean][] = [
      // Markdown to stdout is spooled in a directory of its own under TMPDIR.
      [['--format', 'md'], 'SIGINT', () => readdirSync(temp).length > 0],
      // A file is written through a temporary file beside it.
      [['-o', out], 'SIGTERM', () => readdirSync(work).some((f) => f.endsWith('.tmp'))],
    ];
    for (const [args, signal, started] of runs) {
      const child = spawn(process.execPath, [labkitBin, 'epma', 'convert', big, ...args], {
        env: { ...process.env, TMPDIR: temp },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk) => {
        stderr += chunk;
      });
      const ended = new Promise<number | null>((resolve) =>
        child.on('close', (code) => resolve(code)),
      );
      const deadline = Date.now() + 30_000;
      while (!started() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(started(), `${signal}: the run started writing`).toBe(true);
      child.kill(signal);
      // As every labkit command: one line, and the exit code a shell gives a signalled process.
      expect(await ended).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(stderr).toContain(`labkit: interrupted (${signal})`);
      expect(readdirSync(temp)).toEqual([]);
      expect(readdirSync(work).sort()).toEqual(['big.csv', 'tmp']);
    }
  }, 60_000);

  it('an input that is a directory is reported as a directory', () => {
    const r = labkit(['epma', 'convert', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot read ${dir}: it is a directory, not a file`);
  });
});

describe('command line', () => {
  it('-- ends the options: the file after it is read, not stdin', () => {
    const r = labkit(['epma', 'convert', '--', 'examples/epma/olivine-oxides.csv'], { input: '' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(labkit(['epma', 'convert', 'examples/epma/olivine-oxides.csv']).stdout);
  });

  it('negative numbers are option values that reach the validator', () => {
    const w = labkit([
      'epma',
      'convert',
      'examples/epma/olivine-oxides.csv',
      '--total-window',
      '-5,105',
    ]);
    expect(w.status, w.stderr).toBe(0);
    expect(w.stdout).not.toContain('outside');
    const o = labkit(['epma', 'formula', 'examples/epma/olivine-oxides.csv', '--oxygens', '-1']);
    expect(o.status).toBe(2);
    expect(o.stderr).toContain('--oxygens must be greater than 0, got -1');
  });

  it('a flag given twice is a usage error', () => {
    const r = labkit([
      'epma',
      'formula',
      'examples/epma/olivine-oxides.csv',
      '--oxygens',
      '4',
      '--oxygens',
      '6',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--oxygens was given twice');
  });
});
