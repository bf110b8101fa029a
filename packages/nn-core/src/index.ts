export * from './backend/select.js';
