import { EpmaInputError } from './errors.js';
import { recogniseSpecies } from './species.js';

/** What one input column holds, decided from its header alone. */
export type ColumnRole =
  /** Weight percent of an element (`Si`, `Si wt%`) or a formula/oxide (`SiO2`, `SiO2(Mass%)`). */
  | { kind: 'composition'; formula: string; isElement: boolean }
  /** 1-sigma uncertainty of a composition column: absolute wt% or relative percent. */
  | { kind: 'uncertainty'; formula: string; relative: boolean }
  /** The analytical total reported by the instrument. */
  | { kind: 'total' }
  /** A known instrument column that is not needed (JEOL `(Norm%)`, `(K-ratio)`, ...). */
  | { kind: 'ignored'; formula: string; what: string }
  /** Anything else, copied to the output unchanged. */
  | { kind: 'passthrough' };

export interface RecognisedColumn {
  index: number;
  header: string;
  role: ColumnRole;
}

export interface HeaderRecognition {
  columns: RecognisedColumn[];
  /** Columns that look like composition but could not be read, named for the user. */
  warnings: string[];
}

/**
 * The qualifier after a species name decides the role. Qualifiers are compared after lower-casing
 * and removing whitespace, brackets and `_`, so `Si (wt%)`, `Si wt%` and `Si_WT%` are one pattern.
 * JEOL exports write `Si(Mass%)`, `Si(Norm%)`, `Si(Error%)`...; CAMECA (Peaksight) writes
 * `SiO2 Wt%`, `Si DL`, `Si K-ratio`, `SiO2 %Err`.
 */
const QUALIFIERS: readonly {
  role: 'composition' | 'absolute' | 'relative' | 'ignored';
  names: readonly string[];
}[] = [
  {
    role: 'composition',
    names: [
      '',
      'wt%',
      'wt.%',
      'wt',
      'mass%',
      'weight%',
      'wt%oxide',
      'oxidewt%',
      'oxide%',
      '%',
      't',
      '*',
      'tot',
    ],
  },
  {
    role: 'absolute',
    names: [
      '1σ',
      'σ',
      '1s',
      'sigma',
      '1sigma',
      '±',
      '+/-',
      'err',
      'error',
      'abserr',
      'sd',
      'stdev',
      'unc',
      'uncertainty',
    ],
  },
  {
    role: 'relative',
    names: [
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
    ],
  },
  {
    role: 'ignored',
    names: [
      'norm%',
      'norm.%',
      'norm',
      'normalised',
      'normalized',
      'cation',
      'cations',
      'cat#',
      'k-ratio',
      'kratio',
      'k',
      'k-raw',
      'net',
      'netcps',
      'net-cps',
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
      'mol%',
    ],
  },
];

const ROLE_OF_QUALIFIER = new Map<string, (typeof QUALIFIERS)[number]['role']>();
for (const { role, names } of QUALIFIERS)
  for (const name of names) ROLE_OF_QUALIFIER.set(name, role);

/** Units that may follow an uncertainty qualifier: `SiO2 1σ (wt%)` is absolute. */
const TRAILING_UNIT = /(wt\.?%|mass%|weight%)$/;

/** Headers that are always pass-through even where they spell an element (`Y` stage coordinate, `No`). */
const RESERVED_PASSTHROUGH = new Set([
  'x',
  'y',
  'z',
  'no',
  'no.',
  'point',
  'comment',
  'sample',
  '#',
]);

/** `Total`, `Total(Mass%)`, `Sum`, `Oxide total`, `Total wt%`. */
const TOTAL = /^(?:oxide)?(?:total|totals|sum)(?:wt\.?%|mass%|oxidewt%|%)?$/;

/** `Wt% Si`, `Mass% SiO2`: the unit before the species. */
const UNIT_FIRST = /^(?:wt\.?\s*%|mass\s*%|weight\s*%)\s*(.+)$/i;

export const normaliseHeader = (header: string) =>
  header
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\s+/g, ' ');
const squeeze = (s: string) => s.toLowerCase().replace(/[\s()[\]_]/g, '');

function roleOf(header: string): ColumnRole | 'uninterpretable' {
  const squeezed = squeeze(header);
  if (RESERVED_PASSTHROUGH.has(squeezed)) return { kind: 'passthrough' };
  if (TOTAL.test(squeezed)) return { kind: 'total' };
  const unitFirst = UNIT_FIRST.exec(header);
  if (unitFirst?.[1]) {
    const species = recogniseSpecies(unitFirst[1].trim());
    return species ? { kind: 'composition', ...species } : 'uninterpretable';
  }
  const match = /^([A-Za-z][A-Za-z0-9]*)(.*)$/.exec(header);
  if (!match?.[1]) return { kind: 'passthrough' };
  let token = match[1];
  let qualifier = squeeze(match[2] ?? '');
  let species = recogniseSpecies(token);
  if (!species && /[tT]$/.test(token)) {
    // FeOt / FeOT: total iron reported as one oxide.
    token = token.slice(0, -1);
    species = recogniseSpecies(token);
    qualifier = `t${qualifier}`;
  }
  if (!species) return { kind: 'passthrough' };
  let role = ROLE_OF_QUALIFIER.get(qualifier);
  if (
    !role &&
    qualifier.startsWith('t') &&
    ROLE_OF_QUALIFIER.get(qualifier.slice(1)) === 'composition'
  ) {
    role = 'composition';
  }
  if (!role) {
    const withoutUnit = qualifier.replace(TRAILING_UNIT, '');
    if (withoutUnit !== qualifier && ROLE_OF_QUALIFIER.get(withoutUnit) === 'absolute')
      role = 'absolute';
  }
  switch (role) {
    case 'composition':
      return { kind: 'composition', ...species };
    case 'absolute':
      return { kind: 'uncertainty', formula: species.formula, relative: false };
    case 'relative':
      return { kind: 'uncertainty', formula: species.formula, relative: true };
    case 'ignored':
      return { kind: 'ignored', formula: species.formula, what: qualifier };
    default:
      return 'uninterpretable';
  }
}

/**
 * Decides the role of every column. Columns that start like a composition column but whose
 * qualifier is unknown pass through unchanged and are named in `warnings`; so are uncertainty
 * columns without a matching composition column. Duplicate composition columns are an error.
 */
export function recogniseHeaders(
  headers: readonly string[],
  source = 'input',
  headerLine = 1,
): HeaderRecognition {
  const warnings: string[] = [];
  const columns: RecognisedColumn[] = headers.map((raw, index) => {
    const header = normaliseHeader(raw);
    const role = roleOf(header);
    if (role === 'uninterpretable') {
      warnings.push(
        `column "${header}" looks like a composition column but its unit or qualifier is not recognised; copied through unchanged`,
      );
      return { index, header, role: { kind: 'passthrough' } };
    }
    return { index, header, role };
  });
  const seen = new Map<string, RecognisedColumn>();
  for (const c of columns) {
    const role = c.role;
    if (role.kind !== 'composition' && role.kind !== 'uncertainty' && role.kind !== 'total')
      continue;
    const key = role.kind === 'total' ? 'total' : `${role.kind}:${role.formula}`;
    const previous = seen.get(key);
    if (previous !== undefined) {
      const what =
        role.kind === 'total'
          ? 'the total'
          : role.kind === 'uncertainty'
            ? `the uncertainty of ${role.formula}`
            : `${role.formula} wt%`;
      throw new EpmaInputError(
        source,
        headerLine,
        c.index + 1,
        `columns "${previous.header}" (column ${previous.index + 1}) and "${c.header}" both hold ${what}; keep one of them`,
      );
    }
    seen.set(key, c);
  }
  for (const c of columns) {
    if (c.role.kind === 'uncertainty' && !seen.has(`composition:${c.role.formula}`)) {
      warnings.push(
        `column "${c.header}" is an uncertainty of ${c.role.formula}, but there is no ${c.role.formula} column; copied through unchanged`,
      );
      c.role = { kind: 'passthrough' };
    }
  }
  return { columns, warnings };
}
