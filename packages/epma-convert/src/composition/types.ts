/** Values by key: element symbols ('Si'), or oxide formulas ('SiO2') for oxide compositions. */
export type Composition = Readonly<Record<string, number>>;

/** A composition that cannot be converted: a non-numeric value, a zero total, a key of the wrong kind. */
export class CompositionError extends Error {
  override name = 'CompositionError';
}
