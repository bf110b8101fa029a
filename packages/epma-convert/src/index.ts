// Browser-safe public entry of @labkit/epma-convert: no Node-only APIs below this file.

export * from './composition/index.js';
export * from './convert/index.js';
export * from './elements/index.js';
export * from './formula/index.js';
export * from './mineral/index.js';
export * from './summary/index.js';
export * from './table/index.js';
export * from './uncertainty/index.js';
