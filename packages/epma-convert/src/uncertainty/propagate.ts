import { checkElementKeys, checkFinite } from '../composition/checks.js';
import { conversionPlan } from '../composition/plan.js';
import { type Composition, CompositionError } from '../composition/types.js';
import { type AtomicWeights, STANDARD_WEIGHTS } from '../elements/weights.js';

/**
 * 1-sigma of at% from 1-sigma of element wt% (absolute, same units as the values). First-order
 * (linear) propagation with analytical derivatives, inputs taken as uncorrelated:
 * sigma(a_i)^2 = sum_j (da_i/dw_j * sigma_j)^2 with da_i/dw_j = (100 / (A_j N)) (delta_ij - a_i / 100),
 * N = sum_j w_j / A_j. Keys missing from `sigmaWt` count as exact. Keys come in the order of
 * weightToAtomic.
 */
export function atomicUncertainty(
  elementWt: Composition,
  sigmaWt: Composition,
  weights: AtomicWeights = STANDARD_WEIGHTS,
): Record<string, number> {
  checkElementKeys(elementWt, 'element wt%', ' (use oxideAtomicUncertainty for oxide wt%)');
  return propagate(elementWt, sigmaWt, weights, false);
}

/**
 * 1-sigma of at% (over all elements, oxygen included) from 1-sigma of oxide wt%. Oxygen is derived
 * by stoichiometry, so its uncertainty comes from every oxide's. Same method as atomicUncertainty,
 * with moles n_e = sum_k x_k c_ek (c_ek = atoms of e per formula unit of oxide k / M_k):
 * da_e/dx_k = (100 / N) (c_ek - (a_e / 100) C_k), C_k = sum_e c_ek. Keys come in the order of
 * oxidesToElements (O last).
 */
export function oxideAtomicUncertainty(
  oxideWt: Composition,
  sigmaWt: Composition,
  weights: AtomicWeights = STANDARD_WEIGHTS,
): Record<string, number> {
  return propagate(oxideWt, sigmaWt, weights, true);
}

function propagate(
  values: Composition,
  sigma: Composition,
  weights: AtomicWeights,
  oxygenLast: boolean,
) {
  checkFinite(values, 'wt%');
  checkFinite(sigma, '1-sigma wt%');
  for (const key in sigma) {
    if (!(key in values))
      throw new CompositionError(`1-sigma wt%: '${key}' has an uncertainty but no value`);
    if ((sigma[key] as number) < 0) {
      throw new CompositionError(
        `1-sigma wt%: uncertainty of '${key}' is negative (${sigma[key]})`,
      );
    }
  }

  const keys = Object.keys(values);
  const { elements: planned, molesPerGram, atomsPerGram } = conversionPlan(keys, weights);
  // The element route keeps the input order (as weightToAtomic does); the plan puts O last.
  const elements = oxygenLast ? planned : keys;
  const n = keys.length;
  const row = (e: number) => (oxygenLast ? e : planned.indexOf(keys[e] as string)) * n;

  const moles = elements.map((_, e) => {
    let sum = 0;
    for (let k = 0; k < n; k++)
      sum += (molesPerGram[row(e) + k] as number) * (values[keys[k] as string] as number);
    return sum;
  });
  const totalMoles = moles.reduce((a, b) => a + b, 0);
  if (totalMoles === 0)
    throw new CompositionError('wt%: the moles sum to zero, cannot express as percent');

  // da_e/dx_k = (100 / N) (c_ek - (n_e / N) C_k)
  const out: Record<string, number> = {};
  elements.forEach((symbol, e) => {
    const fraction = (moles[e] as number) / totalMoles;
    let variance = 0;
    for (let k = 0; k < n; k++) {
      const s = sigma[keys[k] as string];
      if (s === undefined || s === 0) continue;
      const derivative =
        (100 / totalMoles) *
        ((molesPerGram[row(e) + k] as number) - fraction * (atomsPerGram[k] as number));
      variance += (derivative * s) ** 2;
    }
    out[symbol] = Math.sqrt(variance);
  });
  return out;
}
