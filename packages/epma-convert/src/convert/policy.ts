/** What happens to below-detection cells and negative numbers in composition columns. */
export const BELOW_DETECTION_POLICIES = ['zero', 'omit', 'keep'] as const;
export type BelowDetectionPolicy = (typeof BELOW_DETECTION_POLICIES)[number];

/**
 * The default. `zero` counts markers (`bdl`, `<0.02`, `n.d.`, `-`, blank) and negative numbers as
 * 0 wt%: the usual convention when recalculating formulae, and the one that keeps every row
 * convertible. `omit` leaves such cells out of the row (its at% / apfu cells stay empty; group
 * means skip them); `keep` keeps negative numbers as measured (unbiased means of near-zero
 * elements) and counts markers as 0.
 */
export const DEFAULT_BELOW_DETECTION: BelowDetectionPolicy = 'zero';

/** Analytical totals outside this window (wt%) are flagged. */
export const DEFAULT_TOTAL_WINDOW: readonly [number, number] = [98, 102];

/** An input Total that differs from the sum of the composition cells by more than this (wt%) is flagged. */
export const TOTAL_MISMATCH_TOLERANCE = 0.1;
