/**
 * `@labkit/epma-convert`: atomic weights, oxide and element compositions, weight to atomic
 * percent, formulae per N oxygens with Fe³⁺ by charge balance, uncertainty propagation, group
 * summaries, and reading and writing tables. Browser-safe: no Node-only APIs below this file.
 *
 * @module @labkit/epma-convert
 */

export * from './composition/index.js';
export * from './convert/index.js';
export * from './elements/index.js';
export * from './formula/index.js';
export * from './mineral/index.js';
export * from './summary/index.js';
export * from './table/index.js';
export * from './uncertainty/index.js';
