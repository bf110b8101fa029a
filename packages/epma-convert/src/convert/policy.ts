/** What happens to below-detection cells and negative numbers in composition columns. */
export const BELOW_DETECTION_POLICIES = ['zero', 'omit', 'keep'] as const;
export type BelowDetectionPolicy = (typeof BELOW_DETECTION_POLICIES)[number];

/**
 * The default. `zero` counts markers (`bdl`, `<0.02`, `n.d.`, `-`) and negative numbers as
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

/** What happens to blank cells in composition columns: an element that was not analysed. */
export const BLANK_POLICIES = ['not-analysed', 'zero'] as const;
export type BlankPolicy = (typeof BLANK_POLICIES)[number];

/**
 * The default. `not-analysed` leaves a blank cell out of its row, like `--below-detection omit`
 * does for markers: its at% / apfu cell stays empty and group means skip it (a blank is no
 * measurement, and counting it as 0 would pull the mean down). The other elements of the row are
 * the same either way (a 0 wt% adds no moles). `zero` counts blanks as 0 wt%.
 */
export const DEFAULT_BLANKS: BlankPolicy = 'not-analysed';
