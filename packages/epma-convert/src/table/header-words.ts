/**
 * The one table of header words labkit understands: units, totals, total-iron marks, uncertainty
 * and instrument qualifiers, in the spellings real exports use (English, German, French, Spanish,
 * Japanese instrument software; JEOL, CAMECA, Oxford, Bruker, Thermo). Words are compared
 * "squeezed": NFKC-normalised (full-width `％` is `%`), lower-cased, without whitespace, brackets,
 * `_`, `-` or `:`. So `Si (wt%)`, `Si wt%`, `Si_WT%`, `Si [Gew.-%]` and `Si（質量％）` compare alike.
 * Extending labkit to a new export means adding its words here (and a test row: every word below has
 * one in headers.test.ts, generated from this table).
 */

/** Weight percent: a column with one of these after (or before) a species holds its wt%. */
export const WEIGHT_PERCENT_WORDS = {
  /** No unit at all: `SiO2`. */
  none: [''],
  english: [
    'wt%',
    'wt.%',
    'wt',
    'wtpct',
    'pct',
    'mass%',
    'weight%',
    'wt%oxide',
    'oxidewt%',
    'oxide%',
    '%',
  ],
  german: ['gew.%', 'gew%', 'gewichts%', 'masse%', 'massen%', 'ma.%', 'gew.prozent'],
  french: ['%pds', 'pds%', '%poids', 'poids%', '%massique', '%masse', 'massique%'],
  spanish: ['%peso', 'peso%', '%enpeso', '%p/p', 'masa%', '%masa'],
  /** JEOL and Shimadzu software in Japanese: 質量% (mass%), 重量% (weight%), 酸化物% (oxide%). */
  japanese: ['質量%', '重量%', '酸化物%', '酸化物質量%'],
  /** Oxford (AZtec/INCA) `Compound%`, Bruker `Conc.`, Thermo `Mass %`, CAMECA `Wt.%` forms. */
  vendor: ['compound%', 'comp%', 'conc', 'conc.', 'conc.%', 'conc.wt%', 'concwt%', 'wt%conc'],
} as const;

/**
 * Parts per million by mass, for trace elements beside major oxides (LA-ICP-MS merges, EPMA trace
 * routines): `Ni ppm`, `NiO (ppm)`, `Ni [µg/g]`. Read as wt% = ppm / 10^4.
 */
export const PPM_WORDS = [
  'ppm',
  'ppmw',
  'ppmwt',
  'wtppm',
  'µg/g',
  'μg/g',
  'ug/g',
  'mg/kg',
] as const;

/** Total iron: `FeOtot`, `FeO total`, `FeOT`, `FeO(t)`, `FeO*`, `Fe2O3 ges.`; only for Fe oxides. */
export const TOTAL_IRON_MARKS = {
  english: ['tot', 'total', 't', '*', 'tot.', 'all'],
  german: ['ges', 'ges.', 'gesamt'],
  french: ['totale', 'tot'],
  spanish: ['totales', 'tot'],
} as const;

/**
 * Total iron written before the oxide: `Total FeO`, `Tot. FeO`, `TotFeO`, `T-FeO`, `TFeO`,
 * `Gesamt FeO`. Compared case-insensitively on the raw header; only taken before an iron oxide.
 */
export const TOTAL_IRON_PREFIXES = ['total', 'tot.', 'tot', 't-', 't', 'gesamt', 'ges.'] as const;

/**
 * Statistics written before a species (`Mean Fe`, `avg SiO2`): a summary, not the analysis. Refused
 * (like `SiO2 mean` after the species), so the user says with --alias whether to read it as wt%.
 */
export const STATISTICS_WORDS = [
  'mean',
  'avg',
  'avg.',
  'average',
  'median',
  'min',
  'max',
  'std',
  'stdev',
  'sd',
] as const;

/** The analytical total: `Total`, `Summe`, `Somme`, `Suma`, `合計`, optionally followed by a unit. */
export const TOTAL_WORDS = {
  english: ['total', 'totals', 'sum', 'oxidetotal', 'totaloxides', 'analyticaltotal'],
  german: ['summe', 'gesamt', 'gesamtsumme'],
  french: ['somme', 'totale'],
  spanish: ['suma', 'totales'],
  japanese: ['合計', '総計', '総和'],
} as const;

/** Absolute 1-sigma uncertainty in wt%. */
export const ABSOLUTE_SIGMA_WORDS = [
  '1σ',
  'σ',
  '1s',
  'sigma',
  '1sigma',
  '±',
  '+/',
  '+/-',
  'err',
  'error',
  'abserr',
  'sd',
  'stdev',
  'unc',
  'uncertainty',
  'fehler',
  'erreur',
  'error1σ',
] as const;

/** Relative 1-sigma uncertainty in percent of the value. */
export const RELATIVE_SIGMA_WORDS = [
  'error%',
  'err%',
  '%err',
  '%error',
  'relerr',
  'relerr%',
  'rel.err%',
  '1σ%',
  'σ%',
  'sigma%',
  '%sigma',
  'rsd',
  'rsd%',
  '%rsd',
  'relsd%',
] as const;

/** Instrument columns recognised and left out of the output (JEOL, CAMECA, Bruker qualifiers). */
export const INSTRUMENT_WORDS = [
  'norm%',
  'norm.%',
  'norm',
  'normalised',
  'normalized',
  'norm.wt%',
  'cation',
  'cations',
  'cat#',
  'kratio',
  'k',
  'kraw',
  'net',
  'netcps',
  'cps',
  'peak',
  'bkg',
  'bg',
  'd.l.',
  'dl',
  'd.l',
  'det.lim.',
  'detlim',
  'lld',
  'mdl',
  'dl(ppm)',
  'd.l.(ppm)',
  'dlppm',
  'zaf',
  'atom%',
  'at%',
  'atomic%',
  'mol%',
  'formula',
  'apfu',
] as const;

/**
 * Qualifiers that say the column is not a composition at all although it starts with an element
 * symbol: stage coordinates `X (mm)`, `Y [µm]`, counting times `Si (s)`, beam settings, `Mg#`.
 */
export const NOT_COMPOSITION_WORDS = [
  '#',
  'mm',
  'µm',
  'μm',
  'um',
  'nm',
  's',
  'sec',
  'time',
  'pos',
  'position',
  'coord',
  'na',
  'kv',
] as const;

/**
 * Beam settings in their exact spelling (`nA` beam current, `kV`, `keV`, `µA`): not composition,
 * although `nA` spelled `NA` or `Na` would be sodium. Compared case-sensitively, brackets aside.
 */
export const BEAM_SETTING_WORDS = ['nA', 'pA', 'µA', 'μA', 'uA', 'mA', 'kV', 'keV'] as const;

/** Headers that always pass through even where they spell an element (`Y` stage coordinate, `No`). */
export const PASSTHROUGH_WORDS = [
  'x',
  'y',
  'z',
  'no',
  'no.',
  'nr',
  'nr.',
  'n°',
  'point',
  'comment',
  'sample',
  '#',
] as const;

/** The comparison form of a header or header word (see the module comment). */
export const squeeze = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s()[\]{}_\-:]/g, '');

const squeezedSet = (words: Iterable<string>) => new Set([...words].map(squeeze));
const flat = (table: Record<string, readonly string[]>) => Object.values(table).flat();

export const WEIGHT_PERCENT = squeezedSet(flat(WEIGHT_PERCENT_WORDS));
export const PPM = squeezedSet(PPM_WORDS);
export const TOTAL_IRON = squeezedSet(flat(TOTAL_IRON_MARKS));
export const TOTAL = squeezedSet(flat(TOTAL_WORDS));
export const ABSOLUTE_SIGMA = squeezedSet(ABSOLUTE_SIGMA_WORDS);
export const RELATIVE_SIGMA = squeezedSet(RELATIVE_SIGMA_WORDS);
export const INSTRUMENT = squeezedSet(INSTRUMENT_WORDS);
export const NOT_COMPOSITION = squeezedSet(NOT_COMPOSITION_WORDS);
export const PASSTHROUGH = squeezedSet(PASSTHROUGH_WORDS);
export const BEAM_SETTINGS = new Set<string>(BEAM_SETTING_WORDS);
export const STATISTICS = squeezedSet(STATISTICS_WORDS);

/**
 * Headers seen in real exports that once passed through unread, with what each holds (a formula,
 * `FeO*` for total iron as FeO, or `Total`); kept recognised by a test each.
 */
export const ALL_TEST_SPELLINGS: Readonly<Record<string, string>> = {
  FeOtot: 'FeO*',
  FeOtotal: 'FeO*',
  Fe2O3tot: 'Fe2O3*',
  'FeO tot': 'FeO*',
  'FeO(tot)': 'FeO*',
  Feot: 'FeO*',
  Feo: 'FeO',
  Sio2: 'SiO2',
  'SiO2 Gew.%': 'SiO2',
  'SiO2 Gew.-%': 'SiO2',
  Summe: 'Total',
  'SiO2 % pds': 'SiO2',
  'SiO2 % peso': 'SiO2',
  'SiO2(質量%)': 'SiO2',
  'SiO2（質量％）': 'SiO2',
  合計: 'Total',
  'SiO2 Compound%': 'SiO2',
  'Si Conc.': 'Si',
  'Total(Mass%)': 'Total',
  FeO_pct: 'FeO',
  TotalFeO: 'FeO*',
  'Total FeO': 'FeO*',
  TotFeO: 'FeO*',
  'Tot. FeO': 'FeO*',
  'T-FeO': 'FeO*',
  TFeO: 'FeO*',
  TFe2O3: 'Fe2O3*',
  'Total Fe2O3 (wt%)': 'Fe2O3*',
  FeTot: 'Fe*',
  FeT: 'Fe*',
  '%FeO': 'FeO',
  'wt.%FeO': 'FeO',
  'wt% FeO': 'FeO',
};
