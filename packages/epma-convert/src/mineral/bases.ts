/**
 * The normalisation basis of common rock-forming minerals: oxygens per (anhydrous) formula unit
 * and, where the formula fixes it, the ideal cation count Droop's (1987) Fe3+ estimate needs.
 * Formulae from Deer, Howie & Zussman (2013), An Introduction to the Rock-Forming Minerals, 3rd ed.
 * (Mineralogical Society); hydrous minerals on their anhydrous basis (amphibole O22(OH)2 -> 23 O,
 * mica O20(OH)4 -> 22 O, chlorite O10(OH)8 -> 14 O, epidote O12(OH) -> 12.5 O, apatite
 * O12(F,OH,Cl) -> 12.5 O). Abbreviations are those of Whitney & Evans (2010), Am. Mineral. 95,
 * 185-187. Minerals without a fixed cation count (amphibole, mica, chlorite, apatite) have none:
 * Droop's method does not apply to them as a plain cation total.
 */
export interface MineralBasis {
  /** The name shown in messages: `olivine`. */
  mineral: string;
  oxygens: number;
  /** Ideal cations per `oxygens`, when the formula fixes them. */
  cations?: number;
}

const BASES: readonly (MineralBasis & { names: readonly string[] })[] = [
  {
    mineral: 'olivine',
    oxygens: 4,
    cations: 3,
    names: ['olivine', 'ol', 'forsterite', 'fo', 'fayalite', 'fa'],
  },
  {
    mineral: 'pyroxene',
    oxygens: 6,
    cations: 4,
    names: [
      'pyroxene',
      'px',
      'clinopyroxene',
      'cpx',
      'orthopyroxene',
      'opx',
      'augite',
      'aug',
      'diopside',
      'di',
      'hedenbergite',
      'hd',
      'enstatite',
      'en',
      'ferrosilite',
      'fs',
      'pigeonite',
      'pgt',
      'jadeite',
      'jd',
      'omphacite',
      'omp',
      'aegirine',
      'aeg',
    ],
  },
  {
    mineral: 'garnet',
    oxygens: 12,
    cations: 8,
    names: [
      'garnet',
      'grt',
      'gt',
      'almandine',
      'alm',
      'pyrope',
      'prp',
      'grossular',
      'grs',
      'spessartine',
      'sps',
      'andradite',
      'adr',
    ],
  },
  {
    mineral: 'spinel',
    oxygens: 4,
    cations: 3,
    names: [
      'spinel',
      'spl',
      'magnetite',
      'mag',
      'chromite',
      'chr',
      'hercynite',
      'hc',
      'ulvöspinel',
      'ulvospinel',
      'usp',
    ],
  },
  {
    mineral: 'feldspar',
    oxygens: 8,
    cations: 5,
    names: [
      'feldspar',
      'fsp',
      'plagioclase',
      'pl',
      'alkali feldspar',
      'afs',
      'k-feldspar',
      'kfs',
      'albite',
      'ab',
      'anorthite',
      'an',
      'orthoclase',
      'or',
      'sanidine',
      'sa',
      'microcline',
      'mc',
    ],
  },
  {
    mineral: 'amphibole',
    oxygens: 23,
    names: [
      'amphibole',
      'amp',
      'hornblende',
      'hbl',
      'actinolite',
      'act',
      'tremolite',
      'tr',
      'pargasite',
      'prg',
    ],
  },
  {
    mineral: 'mica',
    oxygens: 22,
    names: ['mica', 'biotite', 'bt', 'muscovite', 'ms', 'phlogopite', 'phl'],
  },
  { mineral: 'chlorite', oxygens: 14, names: ['chlorite', 'chl'] },
  { mineral: 'epidote', oxygens: 12.5, cations: 8, names: ['epidote', 'ep'] },
  { mineral: 'apatite', oxygens: 12.5, names: ['apatite', 'ap'] },
  { mineral: 'ilmenite', oxygens: 3, cations: 2, names: ['ilmenite', 'ilm'] },
  { mineral: 'hematite', oxygens: 3, cations: 2, names: ['hematite', 'hem'] },
  { mineral: 'rutile', oxygens: 2, cations: 1, names: ['rutile', 'rt'] },
  { mineral: 'quartz', oxygens: 2, cations: 1, names: ['quartz', 'qz'] },
  { mineral: 'zircon', oxygens: 4, cations: 2, names: ['zircon', 'zrn'] },
  { mineral: 'titanite', oxygens: 5, cations: 3, names: ['titanite', 'ttn', 'sphene'] },
  { mineral: 'cordierite', oxygens: 18, cations: 11, names: ['cordierite', 'crd'] },
  { mineral: 'melilite', oxygens: 7, cations: 5, names: ['melilite', 'mel'] },
  { mineral: 'nepheline', oxygens: 4, cations: 3, names: ['nepheline', 'nph'] },
  { mineral: 'leucite', oxygens: 6, cations: 4, names: ['leucite', 'lct'] },
  { mineral: 'perovskite', oxygens: 3, cations: 2, names: ['perovskite', 'prv'] },
  { mineral: 'monazite', oxygens: 4, cations: 2, names: ['monazite', 'mnz'] },
  {
    mineral: 'Al2SiO5',
    oxygens: 5,
    cations: 3,
    names: ['kyanite', 'ky', 'sillimanite', 'sil', 'andalusite', 'and'],
  },
];

const key = (name: string) => name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

const BY_NAME = new Map<string, MineralBasis>(
  BASES.flatMap(({ names, ...basis }) => names.map((n) => [key(n), basis] as const)),
);

/** The basis of a mineral named as in a column of mixed analyses (`olivine`, `Cpx`, `Pl`). */
export function mineralBasis(name: string): MineralBasis | undefined {
  return BY_NAME.get(key(name));
}

/** The mineral groups of the table, for messages and documentation. */
export const MINERAL_BASES: readonly (MineralBasis & { names: readonly string[] })[] = BASES;
