export { ATOMIC_WEIGHTS_SOURCE, ELEMENTS } from './data.js';
export type { ElementData, WeightOverrides } from './types.js';
export {
  AtomicWeightError,
  AtomicWeights,
  elementBySymbol,
  isElementSymbol,
  parseWeightOverrides,
  STANDARD_WEIGHTS,
} from './weights.js';
