import { type AtomicWeights, STANDARD_WEIGHTS } from '../elements/weights.js';
import { checkElementKeys, checkFinite } from './checks.js';
import { conversionPlan } from './plan.js';
import { type Composition, CompositionError } from './types.js';

/** Sum of all values. */
export function total(values: Composition): number {
  let sum = 0;
  for (const key in values) sum += values[key] as number;
  return sum;
}

/** Scales every value so that they sum to `target` (default 100). */
export function normalise(values: Composition, target = 100): Record<string, number> {
  checkFinite(values, 'normalise');
  const sum = total(values);
  if (sum === 0) throw new CompositionError('normalise: the values sum to zero, nothing to scale');
  const scale = target / sum;
  const out: Record<string, number> = {};
  for (const key in values) out[key] = (values[key] as number) * scale;
  return out;
}

/**
 * Oxide wt% to element wt%: each key contributes x_k * n_e * A_e / M_k to element e, so oxygen
 * follows from stoichiometry and the element total equals the oxide total. Plain element keys
 * pass through (and add to the same element from other keys). Elements come in order of first
 * appearance, with O last.
 */
export function oxidesToElements(
  oxideWt: Composition,
  weights: AtomicWeights = STANDARD_WEIGHTS,
): Record<string, number> {
  checkFinite(oxideWt, 'oxide wt%');
  const keys = Object.keys(oxideWt);
  const { elements, massFraction } = conversionPlan(keys, weights);
  const n = keys.length;
  const out: Record<string, number> = {};
  for (let e = 0; e < elements.length; e++) {
    let mass = 0;
    for (let k = 0; k < n; k++)
      mass += (oxideWt[keys[k] as string] as number) * (massFraction[e * n + k] as number);
    out[elements[e] as string] = mass;
  }
  return out;
}

/**
 * Element wt% to at%: n_i = w_i / A_i, at%_i = 100 n_i / sum n. Sums to 100. Negative values (a
 * below-detection policy that keeps them) are converted as they are; a zero mole sum is an error.
 */
export function weightToAtomic(
  elementWt: Composition,
  weights: AtomicWeights = STANDARD_WEIGHTS,
): Record<string, number> {
  checkFinite(elementWt, 'element wt%');
  checkElementKeys(elementWt, 'element wt%', ' (convert oxide wt% with oxidesToElements first)');
  return rescaled(elementWt, (symbol) => 1 / weights.get(symbol), 'element wt%', 'moles');
}

/** at% to element wt%: w_i = 100 a_i A_i / sum a A. Sums to 100. */
export function atomicToWeight(
  atomic: Composition,
  weights: AtomicWeights = STANDARD_WEIGHTS,
): Record<string, number> {
  checkFinite(atomic, 'at%');
  checkElementKeys(atomic, 'at%');
  return rescaled(atomic, (symbol) => weights.get(symbol), 'at%', 'masses');
}

// 100 * v_i f_i / sum_j v_j f_j: the one formula behind both directions.
function rescaled(
  values: Composition,
  factor: (symbol: string) => number,
  what: string,
  quantity: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  let sum = 0;
  for (const key in values) {
    const v = (values[key] as number) * factor(key);
    out[key] = v;
    sum += v;
  }
  if (sum === 0)
    throw new CompositionError(`${what}: the ${quantity} sum to zero, cannot express as percent`);
  for (const key in out) out[key] = (100 * (out[key] as number)) / sum;
  return out;
}
