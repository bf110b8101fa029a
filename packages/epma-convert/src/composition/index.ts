export { atomicToWeight, normalise, oxidesToElements, total, weightToAtomic } from './convert.js';
export { type Species, speciesOf } from './species.js';
export { type Composition, CompositionError } from './types.js';
