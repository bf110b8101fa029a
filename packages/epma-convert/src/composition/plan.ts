import type { AtomicWeights } from '../elements/weights.js';
import { speciesOf } from './species.js';

/**
 * The linear map from values of a fixed list of keys (oxides or elements) to elements, worked out
 * once per key list and weights table: element e gets sum_k x_k * massFraction[e][k] grams and
 * sum_k x_k * molesPerGram[e][k] moles. Elements are in order of first appearance, O last.
 */
export interface ConversionPlan {
  readonly keys: readonly string[];
  readonly elements: readonly string[];
  /** [e * keys.length + k] */
  readonly molesPerGram: Float64Array;
  /** [e * keys.length + k] */
  readonly massFraction: Float64Array;
  /** Atoms (of any element) per gram of key k: sum_e molesPerGram[e][k]. */
  readonly atomsPerGram: Float64Array;
}

const MAX_PLANS_PER_TABLE = 256;
const cache = new WeakMap<AtomicWeights, Map<string, ConversionPlan>>();

export function conversionPlan(keys: readonly string[], weights: AtomicWeights): ConversionPlan {
  let byKeys = cache.get(weights);
  if (byKeys === undefined) {
    byKeys = new Map();
    cache.set(weights, byKeys);
  }
  const id = keys.join('\n');
  let plan = byKeys.get(id);
  if (plan === undefined) {
    plan = buildPlan(keys, weights);
    if (byKeys.size >= MAX_PLANS_PER_TABLE) byKeys.clear();
    byKeys.set(id, plan);
  }
  return plan;
}

function buildPlan(keys: readonly string[], weights: AtomicWeights): ConversionPlan {
  const species = keys.map((key) => speciesOf(key, weights));
  const elements: string[] = [];
  for (const s of species)
    for (const part of s.parts) if (!elements.includes(part.symbol)) elements.push(part.symbol);
  const oxygen = elements.indexOf('O');
  if (oxygen >= 0) elements.push(...elements.splice(oxygen, 1));

  const n = keys.length;
  const molesPerGram = new Float64Array(elements.length * n);
  const massFraction = new Float64Array(elements.length * n);
  const atomsPerGram = new Float64Array(n);
  species.forEach((s, k) => {
    for (const part of s.parts) {
      const e = elements.indexOf(part.symbol);
      molesPerGram[e * n + k] = (molesPerGram[e * n + k] as number) + part.molesPerGram;
      massFraction[e * n + k] = (massFraction[e * n + k] as number) + part.massFraction;
      atomsPerGram[k] = (atomsPerGram[k] as number) + part.molesPerGram;
    }
  });
  return Object.freeze({
    keys: Object.freeze([...keys]),
    elements: Object.freeze(elements),
    molesPerGram,
    massFraction,
    atomsPerGram,
  });
}
