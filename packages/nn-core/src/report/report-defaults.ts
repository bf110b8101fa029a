/** Misclassified test images a report shows by default: the highest losses (no TF.js here). */
export const DEFAULT_MISCLASSIFIED = 40;
