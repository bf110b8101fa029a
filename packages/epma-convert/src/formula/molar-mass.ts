import { type AtomicWeights, STANDARD_WEIGHTS } from '../elements/weights.js';
import { parseFormula } from './parse.js';

/** Molar mass in g/mol of a formula ('SiO2') or of parsed element counts. */
export function molarMass(
  formula: string | Map<string, number>,
  weights: AtomicWeights = STANDARD_WEIGHTS,
): number {
  const counts = typeof formula === 'string' ? parseFormula(formula) : formula;
  let mass = 0;
  for (const [symbol, n] of counts) mass += n * weights.get(symbol);
  return mass;
}
