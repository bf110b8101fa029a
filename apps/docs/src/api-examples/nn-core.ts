// The default model, narrowed to one hidden layer of 64 units,
// built on the cpu backend.
import { buildModel, DEFAULT_SPEC, initBackend } from '@labkit/nn-core';

const backend = await initBackend('cpu');
const model = buildModel({ ...DEFAULT_SPEC, hidden: [64] }, 0);
const layers = model.layers.map((layer) => layer.getClassName());
const weights = model.countParams();
console.log(`${backend.name}: ${weights} weights`);
console.log(layers.join(' > '));

// prints: cpu: 197578 weights
// prints: Dense > BatchNormalization > Activation > Dropout > Dense > Activation
