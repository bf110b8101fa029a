// The default recipe, and a model spec checked before anything is
// built (no TensorFlow.js is loaded).
import {
  countParameters,
  DEFAULT_SPEC,
  DEFAULT_TRAINING,
  SpecError,
  validateSpec,
} from '@labkit/nn-core/config';

const wide = validateSpec({ ...DEFAULT_SPEC, hidden: [2048, 1024] });
const sizes = [DEFAULT_SPEC, wide].map(countParameters);
console.log(`${sizes.join(' and ')} parameters`);
const { epochs, batchSize } = DEFAULT_TRAINING;
console.log(`${epochs} epochs of ${batchSize} images by default`);
try {
  validateSpec({ ...DEFAULT_SPEC, dropout: 1.5 });
} catch (error) {
  console.log(error instanceof SpecError);
}

// prints: 3679754 and 8408074 parameters
// prints: 30 epochs of 128 images by default
// prints: true
