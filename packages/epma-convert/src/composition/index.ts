export { atomicToWeight, normalise, oxidesToElements, total, weightToAtomic } from './convert.js';
export { type Species, type SpeciesPart, speciesOf } from './species.js';
export { type Composition, CompositionError } from './types.js';
