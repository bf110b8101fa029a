import { normalise } from '../composition/index.js';
import { STANDARD_WEIGHTS } from '../elements/index.js';
import type { Cell, OutputColumn } from '../table/format.js';
import { atomicUncertainty, oxideAtomicUncertainty } from '../uncertainty/index.js';
import type { ConvertOptions, RowOutput, RowValues } from './converter.js';
import type { ColumnPlan } from './plan.js';

/**
 * `<El> at%` per element (with `<El> at% 1σ` where the input has uncertainties), optionally
 * followed by `<El> wt%`. at%_i = 100 n_i / sum n with n_i the moles from the precomputed
 * per-column factors; the tests hold this to the core's `oxidesToElements` + `weightToAtomic`.
 */
export function atomicOutput(plan: ColumnPlan, options: ConvertOptions): RowOutput {
  const elements = plan.elements;
  const nEl = elements.length;
  const withSigma = plan.hasUncertainty;
  const withWeight = options.elementWeight === true || options.normalise === true;
  const columns: OutputColumn[] = [];
  for (const el of elements) {
    columns.push({ name: `${el} at%`, kind: 'at%' });
    if (withSigma) columns.push({ name: `${el} at% 1σ`, kind: 'sigma' });
  }
  if (withWeight) for (const el of elements) columns.push({ name: `${el} wt%`, kind: 'wt%' });
  const stride = withSigma ? 2 : 1;
  const moles = new Float64Array(nEl);
  const weight = new Float64Array(nEl);
  const presentEl = new Uint8Array(nEl);
  const sigmaOf = withSigma ? uncertaintyOf(plan, options) : undefined;

  return {
    columns,
    fill(row: RowValues, out: Cell[], offset: number, flags: string[]): boolean {
      moles.fill(0);
      presentEl.fill(0);
      if (withWeight) weight.fill(0);
      const comps = plan.composition;
      for (let j = 0; j < comps.length; j++) {
        if (!row.present[j]) continue;
        const c = comps[j] as ColumnPlan['composition'][number];
        const v = row.values[j] as number;
        const idx = c.elementIndex;
        for (let t = 0; t < idx.length; t++) {
          const k = idx[t] as number;
          moles[k] = (moles[k] as number) + v * (c.molesPerWeight[t] as number);
          presentEl[k] = 1;
          if (withWeight) weight[k] = (weight[k] as number) + v * (c.weightPerWeight[t] as number);
        }
      }
      let sumMoles = 0;
      for (let k = 0; k < nEl; k++) sumMoles += moles[k] as number;
      if (!(sumMoles > 0)) {
        for (let i = 0; i < columns.length; i++) out[offset + i] = null;
        flags.push('nothing to convert: every composition cell is zero or omitted');
        return false;
      }
      const scale = 100 / sumMoles;
      for (let k = 0; k < nEl; k++)
        out[offset + k * stride] = presentEl[k] ? (moles[k] as number) * scale : null;
      if (sigmaOf) {
        const sigma = sigmaOf(row);
        for (let k = 0; k < nEl; k++)
          out[offset + k * stride + 1] = presentEl[k]
            ? (sigma[elements[k] as string] ?? null)
            : null;
      }
      if (withWeight) {
        const base = offset + nEl * stride;
        let values: Record<string, number> | undefined;
        if (options.normalise) {
          const raw: Record<string, number> = {};
          for (let k = 0; k < nEl; k++)
            if (presentEl[k]) raw[elements[k] as string] = weight[k] as number;
          values = normalise(raw);
        }
        for (let k = 0; k < nEl; k++) {
          out[base + k] = presentEl[k]
            ? values
              ? (values[elements[k] as string] as number)
              : (weight[k] as number)
            : null;
        }
      }
      return true;
    },
  };
}

/**
 * 1-sigma at% of one row from the core's first-order propagation (uncorrelated inputs). Columns
 * without an uncertainty column count as exact; omitted cells are left out of the row.
 */
function uncertaintyOf(
  plan: ColumnPlan,
  options: ConvertOptions,
): (row: RowValues) => Record<string, number> {
  const propagate = plan.hasOxides ? oxideAtomicUncertainty : atomicUncertainty;
  const weights = options.weights ?? STANDARD_WEIGHTS;
  return (row) => {
    const values: Record<string, number> = {};
    const sigma: Record<string, number> = {};
    plan.composition.forEach((c, j) => {
      if (!row.present[j]) return;
      values[c.formula] = row.values[j] as number;
      if (c.sigmaIndex >= 0) sigma[c.formula] = row.sigma[j] as number;
    });
    return propagate(values, sigma, weights);
  };
}
