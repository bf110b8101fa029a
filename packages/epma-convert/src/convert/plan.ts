import { oxidesToElements } from '../composition/index.js';
import { type AtomicWeights, STANDARD_WEIGHTS } from '../elements/index.js';
import { EpmaInputError } from '../table/errors.js';
import { recogniseHeaders } from '../table/headers.js';

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
  /** Index of its uncertainty column in the input, or -1. */
  sigmaIndex: number;
  sigmaRelative: boolean;
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
): ColumnPlan {
  const recognition = recogniseHeaders(headers, source, headerLine);
  const warnings = [...recognition.warnings];
  const passthrough: ColumnPlan['passthrough'] = [];
  const compositionRoles: { index: number; header: string; formula: string; isElement: boolean }[] =
    [];
  const sigmaOf = new Map<string, { index: number; relative: boolean }>();
  let totalIndex = -1;
  for (const { index, header, role } of recognition.columns) {
    if (role.kind === 'passthrough') passthrough.push({ index, header });
    else if (role.kind === 'composition')
      compositionRoles.push({ index, header, formula: role.formula, isElement: role.isElement });
    else if (role.kind === 'uncertainty')
      sigmaOf.set(role.formula, { index, relative: role.relative });
    else if (role.kind === 'total') totalIndex = index;
  }
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
  const elementsOf = (formula: string) => oxidesToElements({ [formula]: 1 }, weights);
  const elements = Object.keys(
    oxidesToElements(Object.fromEntries(compositionRoles.map((c) => [c.formula, 1])), weights),
  );
  const composition: CompositionColumn[] = compositionRoles.map((c) => {
    const contribution = Object.entries(elementsOf(c.formula));
    const sigma = sigmaOf.get(c.formula);
    return {
      ...c,
      elementIndex: Int32Array.from(contribution, ([symbol]) => elements.indexOf(symbol)),
      weightPerWeight: Float64Array.from(contribution, ([, w]) => w),
      molesPerWeight: Float64Array.from(contribution, ([symbol, w]) => w / weights.get(symbol)),
      sigmaIndex: sigma?.index ?? -1,
      sigmaRelative: sigma?.relative ?? false,
    };
  });
  if (oxides.length > 0) {
    const elementColumns = compositionRoles.filter((c) => c.isElement);
    if (elementColumns.length > 0) {
      warnings.push(
        `oxide and element columns mixed: ${elementColumns.map((c) => `"${c.header}"`).join(', ')} read as element wt% (no oxygen added for them)`,
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
