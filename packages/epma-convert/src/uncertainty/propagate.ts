import { checkElementKeys, checkFinite } from '../composition/checks.js';
import { speciesOf } from '../composition/species.js';
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

  // c[e] = moles of element e per gram of each input key, in input-key order.
  const keys = Object.keys(values);
  const c = new Map<string, number[]>();
  keys.forEach((key, k) => {
    const { atoms, molarMass } = speciesOf(key, weights);
    for (const [symbol, n] of atoms) {
      let row = c.get(symbol);
      if (row === undefined) {
        row = new Array<number>(keys.length).fill(0);
        c.set(symbol, row);
      }
      row[k] = (row[k] as number) + n / molarMass;
    }
  });
  const elements = [...c.keys()];
  if (oxygenLast && c.has('O')) elements.push(...elements.splice(elements.indexOf('O'), 1));

  const x = keys.map((key) => values[key] as number);
  const s = keys.map((key) => sigma[key] ?? 0);
  const atomsPerGram = keys.map((_, k) =>
    elements.reduce((sum, e) => sum + (c.get(e)?.[k] as number), 0),
  );
  const moles = elements.map((e) =>
    (c.get(e) as number[]).reduce((sum, ce, k) => sum + ce * (x[k] as number), 0),
  );
  const totalMoles = moles.reduce((a, b) => a + b, 0);
  if (totalMoles === 0)
    throw new CompositionError('wt%: the moles sum to zero, cannot express as percent');

  const out: Record<string, number> = {};
  elements.forEach((e, i) => {
    const ce = c.get(e) as number[];
    const fraction = (moles[i] as number) / totalMoles;
    let variance = 0;
    for (let k = 0; k < keys.length; k++) {
      const derivative =
        (100 / totalMoles) * ((ce[k] as number) - fraction * (atomsPerGram[k] as number));
      variance += (derivative * (s[k] as number)) ** 2;
    }
    out[e] = Math.sqrt(variance);
  });
  return out;
}
