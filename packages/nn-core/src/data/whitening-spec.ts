/** Input whitening, part of a training recipe: none, or ZCA with regulariser `epsilon`. */
export type WhiteningSpec = { kind: 'none' } | { kind: 'zca'; epsilon: number; fitImages?: number };

export const WHITENING_KINDS = ['none', 'zca'] as const;
/**
 * Default ZCA regulariser, on channel-normalised pixels (each channel has variance 1, so the
 * covariance's eigenvalues average 1): components with less variance than this are damped.
 */
export const DEFAULT_ZCA_EPSILON = 10;
/** Training images the covariance is estimated from (a seeded sample when the split is larger). */
export const DEFAULT_FIT_IMAGES = 10000;
