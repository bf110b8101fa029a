export * from './backend/select.js';
export * from './recipe/diagnose.js';
