import { oxidesToElements } from '../composition/index.js';
import { type AtomicWeights, STANDARD_WEIGHTS } from '../elements/index.js';
import { parseFormula } from '../formula/index.js';
import {
  ColumnsOverlapError,
  EpmaInputError,
  type UnrecognisedColumn,
  UnrecognisedColumnsError,
} from '../table/errors.js';
import {
  type HeaderOptions,
  headerKey,
  normaliseHeader,
  recogniseHeaders,
} from '../table/headers.js';

/** A composition column and what one wt% of it contributes to each element, precomputed once. */
export interface CompositionColumn {
  index: number;
  header: string;
  formula: string;
  isElement: boolean;
  /** Index into `ColumnPlan.elements` for each element the column contains. */
  elementIndex: Int32Array;
  /** Element wt% per wt% of this column (from the core's `oxidesToElements`). */
  weightPerWeight: Float64Array;
  /** Moles of each element per wt% of this column: weightPerWeight / atomic weight. */
  molesPerWeight: Float64Array;
  /** wt% per unit of its cells: 1, or 1e-4 for a column in ppm. */
  scale: number;
  /** Index of its uncertainty column in the input, or -1. */
  sigmaIndex: number;
  sigmaRelative: boolean;
  /** wt% per unit of an absolute uncertainty cell: 1, or 1e-4 in ppm. */
  sigmaScale: number;
  /** The header says all iron is reported as this oxide (`FeOt`). */
  totalIron: boolean;
  /**
   * Set when another column holds the same cation in a different oxidation state (FeO beside
   * Fe2O3): the cation's charge in this column, e.g. 2 for FeO, 3 for Fe2O3. Formula output keeps
   * the measured split as `Fe2+` and `Fe3+`.
   */
  valence?: number;
}

export interface ColumnPlan {
  headers: string[];
  passthrough: { index: number; header: string }[];
  composition: CompositionColumn[];
  /** Elements in output order: order of first appearance, oxygen last (as the core orders them). */
  elements: string[];
  totalIndex: number;
  hasUncertainty: boolean;
  hasOxides: boolean;
  warnings: string[];
}

/**
 * Reads the header row into a conversion plan. The per-column factors come from the core's
 * `oxidesToElements` applied to one wt% of each column, so a row's element wt% is a sum of
 * precomputed products: no parsing or object building per row.
 */
export function planColumns(
  headers: readonly string[],
  weights: AtomicWeights = STANDARD_WEIGHTS,
  source = 'input',
  headerLine = 1,
  headerOptions: HeaderOptions = {},
): ColumnPlan {
  const recognition = recogniseHeaders(headers, source, headerLine, headerOptions);
  const warnings = [...recognition.warnings];
  const passthrough: ColumnPlan['passthrough'] = [];
  const compositionRoles: CompositionRole[] = [];
  const sigmaOf = new Map<
    string,
    { index: number; header: string; relative: boolean; ppm: boolean }
  >();
  const unrecognised: UnrecognisedColumn[] = [];
  let totalIndex = -1;
  for (const { index, header, role } of recognition.columns) {
    if (role.kind === 'passthrough') passthrough.push({ index, header });
    else if (role.kind === 'unrecognised')
      unrecognised.push({
        index,
        header,
        reason: role.reason,
        ...(role.meant ? { meant: role.meant } : {}),
      });
    else if (role.kind === 'composition')
      compositionRoles.push({
        index,
        header,
        formula: role.formula,
        isElement: role.isElement,
        totalIron: role.totalIron === true,
        ppm: role.ppm === true,
      });
    else if (role.kind === 'uncertainty')
      sigmaOf.set(role.formula, { index, header, relative: role.relative, ppm: role.ppm === true });
    else if (role.kind === 'total') totalIndex = index;
  }
  if (unrecognised.length > 0) throw new UnrecognisedColumnsError(source, headerLine, unrecognised);
  if (compositionRoles.length === 0) {
    throw new EpmaInputError(
      source,
      headerLine,
      1,
      `expected composition columns (e.g. "SiO2", "SiO2 wt%", "Si(Mass%)"), found none among: ${headers.map((h) => `"${h}"`).join(', ')}`,
    );
  }
  const oxides = compositionRoles.filter((c) => !c.isElement);
  const oxygenColumn = compositionRoles.find((c) => c.isElement && c.formula === 'O');
  if (oxides.length > 0 && oxygenColumn) {
    throw new EpmaInputError(
      source,
      headerLine,
      oxygenColumn.index + 1,
      `column "${oxygenColumn.header}" is oxygen wt%, but the file also has oxide columns (${oxides.map((o) => o.header).join(', ')}) whose oxygen is computed by stoichiometry; drop one or the other`,
    );
  }
  const valences = oxidationStates(compositionRoles, source, headerLine);
  if (oxides.length > 0) {
    const lone = loneElementColumns(compositionRoles, headerOptions);
    if (lone.length > 0) throw new UnrecognisedColumnsError(source, headerLine, lone);
  }
  const elementsOf = (formula: string) => oxidesToElements({ [formula]: 1 }, weights);
  const elements = Object.keys(
    oxidesToElements(Object.fromEntries(compositionRoles.map((c) => [c.formula, 1])), weights),
  );
  const composition: CompositionColumn[] = compositionRoles.map((c) => {
    const contribution = Object.entries(elementsOf(c.formula));
    const sigma = sigmaOf.get(c.formula);
    if (sigma && c.ppm && !sigma.relative && !sigma.ppm) {
      // `Ni ppm` with `Ni 1σ`: read as wt%, the uncertainty would be 10^4 times too large.
      throw new EpmaInputError(
        source,
        headerLine,
        sigma.index + 1,
        `the unit of "${sigma.header}" is unclear: "${c.header}" is in ppm; say which with --alias "${sigma.header}=${c.formula} 1σ ppm" (or "${c.formula} 1σ wt%")`,
      );
    }
    return {
      ...c,
      scale: c.ppm ? 1e-4 : 1,
      sigmaScale: sigma?.ppm ? 1e-4 : 1,
      elementIndex: Int32Array.from(contribution, ([symbol]) => elements.indexOf(symbol)),
      weightPerWeight: Float64Array.from(contribution, ([, w]) => w),
      molesPerWeight: Float64Array.from(contribution, ([symbol, w]) => w / weights.get(symbol)),
      sigmaIndex: sigma?.index ?? -1,
      sigmaRelative: sigma?.relative ?? false,
      ...(valences.has(c.index) ? { valence: valences.get(c.index) as number } : {}),
    };
  });
  // An element the instrument measured (`Fe(K-ratio)`, `FeO (Norm%)`) but no column gives as wt%
  // would be missing from every result: refused unless the user passes the column through.
  const given = new Set(compositionRoles.flatMap((c) => [...parseFormula(c.formula).keys()]));
  const measuredOnly: UnrecognisedColumn[] = [];
  for (const { index, header, role } of recognition.columns) {
    if (role.kind !== 'ignored') continue;
    const missing = [...parseFormula(role.formula).keys()].filter(
      (symbol) => symbol !== 'O' && !given.has(symbol),
    );
    if (missing.length === 0) continue;
    const normalised = /^norm/.test(role.what);
    measuredOnly.push({
      index,
      header,
      reason: `it holds ${role.formula} ${role.what}, not wt%, and no column gives ${missing.join(', ')} wt%, so ${missing.join(', ')} would be missing from the results${normalised ? `; normalised wt% can be read as wt% with --alias "${header}=${role.formula}"` : ''}`,
      ...(normalised ? { meant: role.formula } : { notWeightPercent: true }),
    });
  }
  if (measuredOnly.length > 0) throw new UnrecognisedColumnsError(source, headerLine, measuredOnly);
  if (oxides.length > 0) {
    // F and Cl are anions: element wt% is what they are, not an oxide left unconverted.
    const elementColumns = compositionRoles.filter(
      (c) => c.isElement && c.formula !== 'F' && c.formula !== 'Cl',
    );
    if (elementColumns.length > 0) {
      warnings.push(
        `oxide and element columns mixed: ${elementColumns.map((c) => `"${c.header}"`).join(', ')} read as elements, not oxides (no oxygen added for them)`,
      );
    }
  }
  return {
    headers: [...headers],
    passthrough,
    composition,
    elements,
    totalIndex,
    hasUncertainty: composition.some((c) => c.sigmaIndex >= 0),
    hasOxides: oxides.length > 0,
    warnings,
  };
}

/**
 * Anions that analyses of silicates and glasses report as elements beside oxides (F, Cl, S in
 * volcanic glass, apatite, micas): a bare symbol of one of these is that element's wt%.
 */
const ANIONS_GIVEN_AS_ELEMENTS: readonly string[] = ['F', 'Cl', 'S', 'Br', 'I'];

/**
 * A bare element symbol among oxide columns (`Pt` beside `SiO2`): more likely a label (`Pt` for
 * point) than that element's wt%, unless the user aliased it or it is an anion given as an element.
 * Likewise total iron as the element (`FeT`) among oxides, where it usually means FeO total.
 */
function loneElementColumns(
  columns: readonly CompositionRole[],
  options: HeaderOptions,
): UnrecognisedColumn[] {
  const aliased = new Set(Object.keys(options.aliases ?? {}).map(headerKey));
  return columns
    .filter(
      (c) =>
        c.isElement &&
        !ANIONS_GIVEN_AS_ELEMENTS.includes(c.formula) &&
        (c.totalIron || normaliseHeader(c.header) === c.formula) &&
        !aliased.has(headerKey(c.header)),
    )
    .map((c) =>
      c.totalIron
        ? {
            index: c.index,
            header: c.header,
            reason: `total iron among oxide columns, but not as which oxide (FeO or Fe2O3) or whether as Fe wt%`,
            meant: 'FeOt',
          }
        : {
            index: c.index,
            header: c.header,
            reason: `a bare element symbol among oxide columns, so it may be a label (Pt: point) rather than ${c.formula} wt%`,
            meant: `${c.formula} wt%`,
          },
    );
}

interface CompositionRole {
  index: number;
  header: string;
  formula: string;
  isElement: boolean;
  totalIron: boolean;
  ppm: boolean;
}

/** One cation and oxygen (`Fe2O3`): the cation and its charge; undefined for anything else. */
function simpleOxide(formula: string): { cation: string; charge: number } | undefined {
  const atoms = parseFormula(formula);
  const cations = [...atoms.keys()].filter((s) => s !== 'O');
  const oxygen = atoms.get('O') ?? 0;
  if (cations.length !== 1 || oxygen === 0) return undefined;
  const cation = cations[0] as string;
  return { cation, charge: (2 * oxygen) / (atoms.get(cation) as number) };
}

/**
 * Refuses an element given by more than one column, which would count it twice (`SiO2` and `Si`,
 * `FeOt` and `Fe2O3`), except measured oxidation states: simple oxides of one cation with distinct
 * charges (`FeO` and `Fe2O3`), none of them a total-iron column. Returns the charge of each column
 * of such a split, by column index.
 */
function oxidationStates(
  columns: readonly CompositionRole[],
  source: string,
  headerLine: number,
): Map<number, number> {
  const byElement = new Map<string, CompositionRole[]>();
  for (const c of columns) {
    for (const symbol of parseFormula(c.formula).keys()) {
      if (symbol === 'O' && !c.isElement) continue;
      const list = byElement.get(symbol) ?? [];
      list.push(c);
      byElement.set(symbol, list);
    }
  }
  const valences = new Map<number, number>();
  for (const [symbol, list] of byElement) {
    if (list.length < 2) continue;
    const oxides = list.map((c) => simpleOxide(c.formula));
    const charges = oxides.map((o) => o?.charge);
    const distinct =
      new Set(charges).size === list.length && charges.every((q) => Number.isInteger(q));
    if (list.every((c, i) => !c.totalIron && oxides[i]?.cation === symbol) && distinct) {
      list.forEach((c, i) => {
        valences.set(c.index, charges[i] as number);
      });
      continue;
    }
    const named = list.map((c) => `"${c.header}"`).join(', ');
    const why = list.some((c) => c.totalIron)
      ? `${list.find((c) => c.totalIron)?.header} is total iron, so the other column counts some Fe twice`
      : `${symbol} would be counted ${list.length} times`;
    throw new ColumnsOverlapError(
      source,
      headerLine,
      list,
      `${symbol} is given by ${list.length} columns (${named}): ${why}; keep one of them`,
    );
  }
  return valences;
}
