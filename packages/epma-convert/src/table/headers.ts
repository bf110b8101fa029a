import { isElementSymbol } from '../elements/index.js';
import { ColumnsOverlapError, EpmaOptionError } from './errors.js';
import {
  ABSOLUTE_SIGMA,
  BEAM_SETTINGS,
  INSTRUMENT,
  NOT_COMPOSITION,
  PASSTHROUGH,
  PPM,
  RELATIVE_SIGMA,
  STATISTICS,
  squeeze,
  TOTAL,
  TOTAL_IRON,
  TOTAL_IRON_PREFIXES,
  WEIGHT_PERCENT,
} from './header-words.js';
import { formulaWithoutOxygen, recogniseSpecies } from './species.js';

/** What one input column holds, decided from its header alone (words: `header-words.ts`). */
export type ColumnRole =
  /**
   * Weight percent of an element (`Si`, `Si wt%`) or a formula/oxide (`SiO2`, `SiO2(Mass%)`);
   * `totalIron` when the header says all iron is reported as this oxide (`FeOt`, `FeO total`).
   */
  | {
      kind: 'composition';
      formula: string;
      isElement: boolean;
      totalIron?: boolean;
      /** The cells are in ppm by mass (`Ni ppm`), not wt%. */
      ppm?: boolean;
    }
  /** 1-sigma uncertainty of a composition column: absolute (wt%, or ppm) or relative percent. */
  | { kind: 'uncertainty'; formula: string; relative: boolean; ppm?: boolean }
  /** The analytical total reported by the instrument. */
  | { kind: 'total' }
  /** A known instrument column that is not needed (JEOL `(Norm%)`, `(K-ratio)`, ...). */
  | { kind: 'ignored'; formula: string; what: string }
  /** Anything else, copied to the output unchanged. */
  | { kind: 'passthrough' }
  /**
   * Looks like composition but is not understood: converting without it would be wrong. `meant`:
   * the species the header names, when it names one, for the user's alias.
   */
  | { kind: 'unrecognised'; reason: string; meant?: string };

export interface RecognisedColumn {
  index: number;
  header: string;
  role: ColumnRole;
}

export interface HeaderRecognition {
  columns: RecognisedColumn[];
  /** Things about the columns the user should know (never about a composition column left out). */
  warnings: string[];
}

export const normaliseHeader = (header: string) =>
  header
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\s+/g, ' ');

/** The form headers are matched in for aliases, pass-through and --group-by: case and spacing aside. */
export const headerKey = (header: string) =>
  normaliseHeader(header).normalize('NFKC').toLowerCase();

/** Units that may follow an uncertainty qualifier: `SiO2 1σ (wt%)` is absolute. */
const TRAILING_UNIT = /(wt\.?%|mass%|weight%|gew\.?%)$/;

/** Longest first, so that `FeO total` strips `total`, not `t`. */
const IRON_MARKS = [...TOTAL_IRON].sort((a, b) => b.length - a.length);
const IRON_MARKS_GLUED = IRON_MARKS.filter((m) => /^[a-z]+$/.test(m));

/** `Total Fe`, `Tot. Fe as FeO`, `ΣFe`, `Gesamt-Fe als Fe2O3` (squeezed). */
const TOTAL_IRON_PHRASE =
  /^(?:total|tot\.?|sum|σ|gesamt|ges\.?|fer)fe(?:total)?(?:(?:as|als|en|como|comme)(.+))?$/;

/** An oxide-shaped token (`Xx2O3`, `QO2`): composition even when the element is unknown. */
const OXIDE_SHAPED = /^[A-Z][a-z]?(?:\d+O\d*|\d*O\d+|O)$/;

const unrecognised = (reason: string, meant?: string): ColumnRole => ({
  kind: 'unrecognised',
  reason,
  ...(meant ? { meant } : {}),
});

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();

const hasIron = (formula: string) => /Fe(?![a-z])/.test(formula);

/** Total iron can be an iron oxide (`FeOt`) or iron itself (`FeT`, `FeTot`: Fe wt%). */
const canBeTotalIron = (species: { formula: string; isElement: boolean }) =>
  species.isElement ? species.formula === 'Fe' : hasIron(species.formula);

/** A unit before the species, spaced (`Wt% SiO2`, `ppm Ni`) or glued (`%FeO`, `wt.%FeO`). */
function unitPrefix(header: string): { unit: string; rest: string } | undefined {
  for (const re of [/^(\S+)\s+(.+)$/, /^(\S*%)(\S.*)$/]) {
    const m = re.exec(header);
    const unit = squeeze(m?.[1] ?? '');
    if (m?.[2] && unit !== '' && (WEIGHT_PERCENT.has(unit) || PPM.has(unit)))
      return { unit, rest: m[2] };
  }
  return undefined;
}

/** `Total FeO`, `TotFeO`, `T-FeO`, `TFeO`: total iron written before an iron oxide. */
function totalIronPrefixed(header: string): ColumnRole | undefined {
  const lower = header.toLowerCase();
  for (const prefix of TOTAL_IRON_PREFIXES) {
    const rest = header.slice(prefix.length).trim();
    if (!lower.startsWith(prefix) || rest === '') continue;
    const inner = roleOf(rest, true);
    if (inner.kind === 'composition' && !inner.isElement && hasIron(inner.formula))
      return { ...inner, totalIron: true };
  }
  return undefined;
}

/** Oxidation states of an element: `FeII`, `FEIII`, `Fe(II)` (Roman), `Fe2+`, `Fe 3+` (ionic). */
const ROMAN_STATE = /^(?=.{3})([A-Z][A-Za-z]?)(?:\s*\((III|II|IV|VI|I|V)\)|(III|II|IV|VI|I|V))$/;
const IONIC_STATE = /^([A-Za-z][a-z]?)\s*([1-6])\+$/;
const ROMAN_CHARGE: Readonly<Record<string, number>> = { I: 1, II: 2, III: 3, IV: 4, V: 5, VI: 6 };

/** The simple oxide of an element at a charge: Fe 2 -> FeO, Fe 3 -> Fe2O3, Sn 4 -> SnO2. */
const oxideAt = (symbol: string, charge: number) =>
  charge % 2 === 0
    ? `${symbol}O${charge / 2 === 1 ? '' : charge / 2}`
    : `${symbol}2O${charge === 1 ? '' : charge}`;

/** `FeII`, `Fe2+`: an element in an oxidation state, refused with the oxide it most likely means. */
function oxidationState(header: string): ColumnRole | undefined {
  const roman = ROMAN_STATE.exec(header);
  const ionic = IONIC_STATE.exec(header);
  const symbol = capitalise(roman?.[1] ?? ionic?.[1] ?? '');
  const state = roman?.[2] ?? roman?.[3] ?? ionic?.[2];
  if (!state || !isElementSymbol(symbol)) return undefined;
  const charge = ROMAN_CHARGE[state] ?? Number(state);
  // IV and VI are as often sites (AlIV, AlVI in formula tables) as charges: no oxide to suggest.
  const oxide = charge === 2 || charge === 3 ? oxideAt(symbol, charge) : undefined;
  return unrecognised(
    `"${header}" reads as ${symbol} in oxidation state ${state} (or a site, as in AlIV), not as an element or oxide labkit knows${oxide ? `; if it is ${oxide} wt% say so` : ''}`,
    oxide,
  );
}

/** A formula of elements without oxygen (`LiF`, `CaNa`): refused, not split into elements. */
function notAnOxide(token: string): ColumnRole | undefined {
  const elements = formulaWithoutOxygen(token);
  if (!elements) return undefined;
  return unrecognised(
    `"${token}" is a formula of ${elements.join(', ')} without oxygen, not an element or oxide labkit reads`,
  );
}

/**
 * A header that names an oxide among other words labkit does not know (`Tot.FeO`, `FeO mean`), or
 * any species after a statistics word (`Mean Fe`): composition-like, so refused, not passed through.
 */
function namesAnOxide(header: string): ColumnRole | undefined {
  const statistic = /^(\S+)\s+(\S+)$/.exec(header);
  const species = statistic?.[2] ? recogniseSpecies(statistic[2]) : undefined;
  if (statistic?.[1] && STATISTICS.has(squeeze(statistic[1])) && species)
    return unrecognised(
      `"${statistic[1]}" before ${species.formula} is a statistic, not a unit labkit reads as wt%`,
      species.formula,
    );
  for (const word of header.split(/[^A-Za-z0-9]+/)) {
    const species = word.length >= 3 ? recogniseSpecies(word) : undefined;
    if (species && !species.isElement)
      return unrecognised(
        `it names ${species.formula} among words labkit does not know`,
        species.formula,
      );
  }
  return undefined;
}

/** The role a qualifier (squeezed) gives a recognised species. */
function qualifierRole(
  species: { formula: string; isElement: boolean },
  qualifier: string,
  totalIron: boolean,
  shown: string,
): ColumnRole {
  if (!totalIron && canBeTotalIron(species)) {
    for (const mark of IRON_MARKS) {
      if (qualifier.startsWith(mark) && WEIGHT_PERCENT.has(qualifier.slice(mark.length))) {
        return { kind: 'composition', ...species, totalIron: true };
      }
    }
  }
  if (WEIGHT_PERCENT.has(qualifier))
    return { kind: 'composition', ...species, ...(totalIron ? { totalIron } : {}) };
  const withoutUnit = qualifier.replace(TRAILING_UNIT, '');
  if (
    ABSOLUTE_SIGMA.has(qualifier) ||
    (withoutUnit !== qualifier && ABSOLUTE_SIGMA.has(withoutUnit))
  )
    return { kind: 'uncertainty', formula: species.formula, relative: false };
  if (RELATIVE_SIGMA.has(qualifier))
    return { kind: 'uncertainty', formula: species.formula, relative: true };
  if (INSTRUMENT.has(qualifier)) {
    const what = shown
      .replace(/[()[\]{}]/g, '')
      .trim()
      .toLowerCase();
    return { kind: 'ignored', formula: species.formula, what };
  }
  if (NOT_COMPOSITION.has(qualifier)) return { kind: 'passthrough' };
  if (PPM.has(qualifier))
    return { kind: 'composition', ...species, ...(totalIron ? { totalIron } : {}), ppm: true };
  // `Ni 1σ (ppm)`, `Ni ppm 1σ`: an absolute uncertainty in ppm.
  for (const unit of PPM) {
    const sigma = qualifier.endsWith(unit)
      ? qualifier.slice(0, -unit.length)
      : qualifier.startsWith(unit)
        ? qualifier.slice(unit.length)
        : undefined;
    if (sigma !== undefined && ABSOLUTE_SIGMA.has(sigma))
      return { kind: 'uncertainty', formula: species.formula, relative: false, ppm: true };
  }
  return unrecognised(
    `"${shown.trim()}" after ${species.formula} is not a unit or qualifier labkit knows`,
    species.formula,
  );
}

/** `unitGiven`: a unit word came before the header (`Wt% si`), so a mis-cased symbol is composition. */
function roleOf(header: string, unitGiven = false): ColumnRole {
  const squeezed = squeeze(header);
  if (PASSTHROUGH.has(squeezed)) return { kind: 'passthrough' };
  if (BEAM_SETTINGS.has(header.replace(/[\s()[\]{}]/g, ''))) return { kind: 'passthrough' };
  const state = oxidationState(header);
  if (state) return state;
  for (const word of TOTAL) {
    if (squeezed.startsWith(word) && WEIGHT_PERCENT.has(squeezed.slice(word.length)))
      return { kind: 'total' };
  }
  const phrase = TOTAL_IRON_PHRASE.exec(squeezed);
  if (phrase) {
    const species = phrase[1] ? recogniseSpecies(phrase[1]) : undefined;
    if (species && !species.isElement && hasIron(species.formula))
      return { kind: 'composition', ...species, totalIron: true };
    return unrecognised('it is total iron, but not as which oxide (FeO or Fe2O3)', 'FeO');
  }
  const prefixedIron = totalIronPrefixed(header);
  if (prefixedIron) return prefixedIron;
  const unitFirst = unitPrefix(header);
  if (unitFirst) {
    const inner = roleOf(unitFirst.rest, true);
    if (inner.kind === 'composition')
      return PPM.has(unitFirst.unit) && !inner.ppm ? { ...inner, ppm: true } : inner;
    return inner.kind === 'unrecognised'
      ? inner
      : unrecognised(
          `"${unitFirst.rest}" after the unit is not an element or formula labkit knows`,
        );
  }
  if (squeezed !== '' && WEIGHT_PERCENT.has(squeezed))
    return unrecognised('it has a wt% unit but no element or formula');
  const match = /^(Σ\s*)?([A-Za-z][A-Za-z0-9]*)(.*)$/.exec(header.normalize('NFKC'));
  if (!match?.[2]) {
    const unit = [...WEIGHT_PERCENT].some(
      (w) => w.includes('%') && w.length > 1 && squeezed.includes(w),
    );
    if (unit) return unrecognised('it has a wt% unit but no element or formula');
    return namesAnOxide(header) ?? { kind: 'passthrough' };
  }
  const token = match[2];
  const qualifier = squeeze(match[3] ?? '');
  let totalIron = match[1] !== undefined;
  let species = recogniseSpecies(token);
  let speciesToken = token;
  if (!species) {
    // FeOtot, FeOtotal, FeOT, Fe2O3tot: total iron glued to the oxide.
    const lower = token.toLowerCase();
    for (const mark of IRON_MARKS_GLUED) {
      if (!lower.endsWith(mark)) continue;
      const inner = recogniseSpecies(token.slice(0, -mark.length));
      if (inner && (!inner.isElement || inner.formula === 'Fe')) {
        if (!hasIron(inner.formula))
          return unrecognised(
            `a total-iron mark on ${inner.formula}, which holds no iron oxide`,
            inner.formula,
          );
        species = inner;
        speciesToken = token.slice(0, -mark.length);
        totalIron = true;
        break;
      }
    }
  }
  if (!species) {
    if (OXIDE_SHAPED.test(token))
      return unrecognised(`"${token}" is shaped like an oxide but is not one labkit knows`);
    const formula = notAnOxide(token);
    if (formula) return formula;
    if (qualifier !== '' && WEIGHT_PERCENT.has(qualifier))
      return unrecognised(`"${token}" is not an element or formula labkit knows`);
    return namesAnOxide(header) ?? { kind: 'passthrough' };
  }
  if (species.isElement && speciesToken !== species.formula && qualifier === '' && !unitGiven)
    return unrecognised(
      `"${speciesToken}" is not spelled like the element symbol ${species.formula} (letter case), so it may be a word or unit (like nA, HF, CO) rather than ${species.formula} wt%`,
      species.formula,
    );
  if (totalIron && !canBeTotalIron(species))
    return unrecognised(
      `a total-iron mark on ${species.formula}, which holds no iron oxide`,
      species.formula,
    );
  return qualifierRole(species, qualifier, totalIron, match[3] ?? '');
}

/** Options that tell the header reader what a column is when its header alone does not. */
export interface HeaderOptions {
  /** Header -> what it holds, spelled like a header labkit knows: `{"Fe tot": "FeO"}`, `{"Summe": "Total"}`. */
  aliases?: Readonly<Record<string, string>>;
  /** Headers to copy through unchanged whatever they look like (e.g. one of two Si columns). */
  passThrough?: readonly string[];
}

/** Applies the user's aliases and pass-through names; every name must match a column. */
function userRoles(headers: readonly string[], options: HeaderOptions): Map<number, ColumnRole> {
  const keys = headers.map(headerKey);
  const roles = new Map<number, ColumnRole>();
  const find = (name: string, what: string) => {
    const index = keys.indexOf(headerKey(name));
    if (index === -1) {
      throw new EpmaOptionError(
        `${what} "${name}": there is no such column (columns: ${headers.map((h) => `"${normaliseHeader(h)}"`).join(', ')})`,
      );
    }
    if (roles.has(index))
      throw new EpmaOptionError(
        `${what} "${name}": that column is already named by another option`,
      );
    return index;
  };
  for (const name of options.passThrough ?? [])
    roles.set(find(name, 'pass-through'), { kind: 'passthrough' });
  for (const [name, meaning] of Object.entries(options.aliases ?? {})) {
    const index = find(name, 'alias');
    const role = roleOf(normaliseHeader(meaning));
    if (role.kind === 'passthrough' || role.kind === 'unrecognised') {
      throw new EpmaOptionError(
        `alias "${name}=${meaning}": "${meaning}" is not a header labkit understands (e.g. FeO, Fe2O3, SiO2 wt%, Si, Total, SiO2 1σ)`,
      );
    }
    roles.set(index, role);
  }
  return roles;
}

/**
 * Decides the role of every column. Composition-like columns that are not understood get the role
 * `unrecognised` (the converter refuses them); uncertainty columns without a matching composition
 * column pass through with a warning. Duplicate composition, uncertainty or total columns are an
 * error.
 */
export function recogniseHeaders(
  headers: readonly string[],
  source = 'input',
  headerLine = 1,
  options: HeaderOptions = {},
): HeaderRecognition {
  const warnings: string[] = [];
  const chosen = userRoles(headers, options);
  const columns: RecognisedColumn[] = headers.map((raw, index) => {
    const header = normaliseHeader(raw);
    return { index, header, role: chosen.get(index) ?? roleOf(header) };
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
      throw new ColumnsOverlapError(
        source,
        headerLine,
        [previous, c],
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
