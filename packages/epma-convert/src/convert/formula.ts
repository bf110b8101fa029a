import { CompositionError } from '../composition/index.js';
import { formulaPerOxygens } from '../mineral/index.js';
import { EpmaInputError } from '../table/errors.js';
import type { Cell, OutputColumn } from '../table/format.js';
import type { ConvertOptions, RowOutput, RowValues } from './converter.js';
import type { ColumnPlan } from './plan.js';

/**
 * `<Cation> apfu` on N oxygens (with `Fe2+ apfu` and `Fe3+ apfu` when Fe3+ is estimated by charge
 * balance), the cation sum and Fe3+/ΣFe, from the core's `formulaPerOxygens`.
 */
export function formulaOutput(plan: ColumnPlan, options: ConvertOptions): RowOutput {
  const settings = options.formula;
  if (!settings) throw new Error('formula output needs formula settings (oxygens)');
  const source = options.source ?? 'input';
  const notOxide = plan.composition.find((c) => c.isElement);
  if (notOxide) {
    throw new EpmaInputError(
      source,
      1,
      notOxide.index + 1,
      `formula recalculation needs oxide wt% columns (like "SiO2", "FeO"); column "${notOxide.header}" is element wt%`,
    );
  }
  const droop = settings.fe3 === 'droop';
  const keys: string[] = [];
  for (const el of plan.elements) {
    if (el === 'O') continue;
    if (el === 'Fe' && droop) keys.push('Fe2+', 'Fe3+');
    else keys.push(el);
  }
  const columns: OutputColumn[] = keys.map((k) => ({ name: `${k} apfu`, kind: 'apfu' }));
  columns.push({ name: 'cation sum', kind: 'apfu' });
  const withRatio = droop && keys.includes('Fe3+');
  if (withRatio) columns.push({ name: 'Fe3+/ΣFe', kind: 'ratio' });
  const formulaOptions = {
    oxygens: settings.oxygens,
    fe3: settings.fe3 ?? 'none',
    ...(settings.cations === undefined ? {} : { cations: settings.cations }),
    ...(options.weights ? { weights: options.weights } : {}),
  };

  return {
    columns,
    fill(row: RowValues, out: Cell[], offset: number, flags: string[]): boolean {
      const oxides: Record<string, number> = {};
      plan.composition.forEach((c, j) => {
        if (row.present[j]) oxides[c.formula] = row.values[j] as number;
      });
      let result: ReturnType<typeof formulaPerOxygens>;
      try {
        result = formulaPerOxygens(oxides, formulaOptions);
      } catch (error) {
        if (!(error instanceof CompositionError)) throw error;
        for (let i = 0; i < columns.length; i++) out[offset + i] = null;
        flags.push(`no formula: ${error.message}`);
        return false;
      }
      keys.forEach((k, i) => {
        out[offset + i] = result.apfu[k] ?? null;
      });
      out[offset + keys.length] = result.cationSum;
      if (withRatio) out[offset + keys.length + 1] = result.fe3OverFeTotal ?? null;
      if (result.fe3Clamp === 'zero')
        flags.push('Fe3+ clamped to 0: cation sum on all-Fe2+ basis is at or below the ideal');
      if (result.fe3Clamp === 'all')
        flags.push('Fe3+ clamped to all Fe: more Fe3+ needed than Fe present');
      return true;
    },
  };
}
