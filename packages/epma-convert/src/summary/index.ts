export { type GroupSummary, summariseGroups } from './groups.js';
