import { CompositionError } from '../composition/index.js';
import { FORMULA_HALOGENS, formulaPerOxygens } from '../mineral/index.js';
import { EpmaInputError, EpmaOptionError } from '../table/errors.js';
import type { Cell, OutputColumn } from '../table/format.js';
import type { ConvertOptions, RowOutput, RowValues } from './converter.js';
import type { ColumnPlan } from './plan.js';

/** The cation columns of a formula: measured oxidation states and droop split Fe into two. */
function cationKeys(plan: ColumnPlan, droop: boolean): string[] {
  const keys: string[] = [];
  const inFormula = new Set(
    plan.composition.filter((c) => !isWater(c.formula)).flatMap((c) => [...c.elementIndex]),
  );
  for (const [index, el] of plan.elements.entries()) {
    if (el === 'O' || isHalogen(el) || !inFormula.has(index)) continue;
    if (el === 'Fe' && droop) {
      keys.push('Fe2+', 'Fe3+');
      continue;
    }
    const states = plan.composition
      .filter((c) => c.valence !== undefined && c.elementIndex.some((k) => plan.elements[k] === el))
      .map((c) => c.valence as number);
    if (states.length > 1 && !droop)
      keys.push(...[...new Set(states)].sort((a, b) => a - b).map((v) => `${el}${v}+`));
    else keys.push(el);
  }
  return keys;
}

/**
 * Water is left out of a formula: hydrous minerals are recalculated on an anhydrous oxygen basis
 * (amphibole on 23 O, mica on 22 O), their H not being a cation of that basis. CO2 stays (carbonates).
 */
const isWater = (formula: string) => formula === 'H2O';

const isHalogen = (el: string) => (FORMULA_HALOGENS as readonly string[]).includes(el);

/**
 * `<Cation> apfu` on N oxygens (`Fe2+ apfu` and `Fe3+ apfu` when FeO and Fe2O3 were measured or Fe3+
 * is estimated by charge balance), `F apfu`, `Cl apfu` and `O apfu` when the analysis has halogens
 * (O = F, Cl), the cation sum and Fe3+/ΣFe, from the core's `formulaPerOxygens`.
 */
export function formulaOutput(plan: ColumnPlan, options: ConvertOptions): RowOutput {
  const settings = options.formula;
  if (!settings) throw new Error('formula output needs formula settings (oxygens)');
  const source = options.source ?? 'input';
  const notOxide = plan.composition.find((c) => c.isElement && !isHalogen(c.formula));
  if (notOxide) {
    throw new EpmaInputError(
      source,
      1,
      notOxide.index + 1,
      `formula recalculation needs oxide wt% columns (like "SiO2", "FeO"), and takes F and Cl as elements; column "${notOxide.header}" is element wt%`,
    );
  }
  const droop = settings.fe3 === 'droop';
  if (droop && !plan.elements.includes('Fe'))
    throw new EpmaOptionError(
      `--fe3 droop splits iron into Fe2+ and Fe3+, so it needs an FeO or Fe2O3 column; ${source} has none`,
    );
  const measured = plan.composition.filter(
    (c) => c.valence !== undefined && /^Fe\d*O/.test(c.formula),
  );
  if (droop && measured.length > 1)
    plan.warnings.push(
      `droop replaces the measured Fe2+/Fe3+ split of ${measured.map((c) => `"${c.header}"`).join(' and ')} by charge balance from total Fe`,
    );
  const water = plan.composition.find((c) => isWater(c.formula));
  if (water)
    plan.warnings.push(
      `"${water.header}" is left out of the formula: apfu are on an anhydrous oxygen basis, the usual convention for hydrous minerals (it still counts in the total)`,
    );
  const keys = cationKeys(plan, droop);
  const halogens = plan.elements.filter(isHalogen);
  const keySet = new Set(keys);
  const columns: OutputColumn[] = keys.map((k) => ({ name: `${k} apfu`, kind: 'apfu' }));
  columns.push({ name: 'cation sum', kind: 'apfu' });
  const anionKeys = halogens.length > 0 ? ['O', ...halogens] : [];
  for (const a of anionKeys) columns.push({ name: `${a} apfu`, kind: 'apfu' });
  const withRatio = keys.includes('Fe3+');
  if (withRatio) columns.push({ name: 'Fe3+/ΣFe', kind: 'ratio' });
  const fixedOxygens = settings.oxygens;
  const labelCharges = [
    ...new Set(
      keys.flatMap((k) => {
        const m = /^([A-Z][a-z]?)\d+\+$/.exec(k);
        return m?.[1] && !droop ? [m[1]] : [];
      }),
    ),
  ];
  const formulaOptions = {
    fe3: settings.fe3 ?? 'none',
    labelCharges,
    ...(settings.cations === undefined ? {} : { cations: settings.cations }),
    ...(options.weights ? { weights: options.weights } : {}),
  };

  return {
    columns,
    fill(row: RowValues, out: Cell[], offset: number, flags: string[]): boolean {
      const oxides: Record<string, number> = {};
      plan.composition.forEach((c, j) => {
        if (row.present[j] && !isWater(c.formula)) oxides[c.formula] = row.values[j] as number;
      });
      const oxygens = row.oxygens ?? fixedOxygens;
      let result: ReturnType<typeof formulaPerOxygens>;
      try {
        if (oxygens === undefined) throw new CompositionError('no oxygen basis for this row');
        result = formulaPerOxygens(oxides, {
          ...formulaOptions,
          oxygens,
          ...(row.cations === undefined ? {} : { cations: row.cations }),
        });
      } catch (error) {
        if (!(error instanceof CompositionError)) throw error;
        for (let i = 0; i < columns.length; i++) out[offset + i] = null;
        flags.push(`no formula: ${error.message}`);
        return false;
      }
      for (const k in result.apfu)
        if (!keySet.has(k)) throw new Error(`internal error: no output column for ${k} apfu`);
      let i = offset;
      for (const k of keys) out[i++] = result.apfu[k] ?? null;
      out[i++] = result.cationSum;
      for (const a of anionKeys)
        out[i++] = (result.anions as Record<string, number> | undefined)?.[a] ?? null;
      if (withRatio) out[i++] = result.fe3OverFeTotal ?? null;
      if (result.fe3Clamp === 'zero')
        flags.push('Fe3+ clamped to 0: cation sum on all-Fe2+ basis is at or below the ideal');
      if (result.fe3Clamp === 'all')
        flags.push('Fe3+ clamped to all Fe: more Fe3+ needed than Fe present');
      return true;
    },
  };
}
