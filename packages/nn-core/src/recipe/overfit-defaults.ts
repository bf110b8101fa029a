/** The overfit check's default optimizer step budget (no TF.js here: the CLI's help states it). */
export const OVERFIT_DEFAULT_STEPS = 300;
