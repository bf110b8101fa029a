/** `labkit search`'s defaults (no TF.js: the CLI's help reads them from `@labkit/nn-core/config`). */
export const SEARCH_DEFAULTS = {
  trials: 27,
  /** Training images of the first rung. */
  subset: 1000,
  eta: 3,
  /** Epochs of every rung (over that rung's images). */
  epochs: 10,
  valImages: 2000,
  rankBy: 'accuracy' as 'accuracy' | 'loss',
  seed: 0,
};
