import { type AtomicWeights, isElementSymbol } from '../elements/weights.js';
import { parseFormula } from '../formula/parse.js';

/** One element of a species, with the factors the conversions need. */
export interface SpeciesPart {
  readonly symbol: string;
  /** Atoms of this element per formula unit. */
  readonly atoms: number;
  /** Moles of this element per gram of the species: atoms / M. */
  readonly molesPerGram: number;
  /** Grams of this element per gram of the species: atoms * A / M. */
  readonly massFraction: number;
}

/** A composition key resolved to its atoms: 'SiO2' -> Si 1, O 2 with its molar mass; 'Si' -> Si 1. */
export interface Species {
  readonly key: string;
  readonly atoms: ReadonlyMap<string, number>;
  /** g/mol of the formula unit. */
  readonly molarMass: number;
  readonly parts: readonly SpeciesPart[];
}

// Rows repeat the same few keys millions of times: resolve each key once per weights table.
const cache = new WeakMap<AtomicWeights, Map<string, Species>>();

/** Resolves a key: an element symbol stands for itself, anything else is parsed as a formula. */
export function speciesOf(key: string, weights: AtomicWeights): Species {
  let byKey = cache.get(weights);
  if (byKey === undefined) {
    byKey = new Map();
    cache.set(weights, byKey);
  }
  let found = byKey.get(key);
  if (found === undefined) {
    const atoms = isElementSymbol(key) ? new Map([[key, 1]]) : parseFormula(key);
    let molarMass = 0;
    for (const [symbol, n] of atoms) molarMass += n * weights.get(symbol);
    const parts = [...atoms].map(([symbol, n]) =>
      Object.freeze({
        symbol,
        atoms: n,
        molesPerGram: n / molarMass,
        massFraction: (n * weights.get(symbol)) / molarMass,
      }),
    );
    found = Object.freeze({ key, atoms, molarMass, parts: Object.freeze(parts) });
    byKey.set(key, found);
  }
  return found;
}
