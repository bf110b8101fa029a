export { atomicUncertainty, oxideAtomicUncertainty } from './propagate.js';
