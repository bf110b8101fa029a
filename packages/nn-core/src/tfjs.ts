/**
 * The TensorFlow.js labkit uses: core ops, layers, and the pure-JavaScript cpu backend (always
 * registered, the last fallback). The wasm backend and tfjs-node load on demand (backend/startup/select.ts).
 * The union `@tensorflow/tfjs` package would add the WebGL backend, the converter and tfjs-data,
 * prebuilt bundles labkit never uses, to every install.
 */
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';

import '@tensorflow/tfjs-backend-cpu';
// Gradients and chained tensor methods, bundled at build time (scripts/bundle-tfjs-registrations.mjs).
// The path resolves to the same file from src/ (tests) and from dist/ (the built package).
import '../dist/tfjs-registrations.js';
// The chained methods' types (module augmentations of Tensor); erased from the output.
import type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
