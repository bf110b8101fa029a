/**
 * Checks for the fields of a parsed JSON file (a model spec, a recipe), each failure a typed error
 * whose message names the file and the field: `spec.json: hidden[1]: expected a positive whole
 * number, got 0`.
 */
export class FieldReader {
  constructor(
    readonly source: string,
    private readonly makeError: (message: string) => Error,
  ) {}

  fail(path: string, message: string): never {
    throw this.makeError(`${this.source}: ${path}: ${message}`);
  }

  /** The value as a JSON object whose keys are all among `known`. */
  object(value: unknown, known: readonly string[], path = '(top level)'): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, 'expected a JSON object');
    }
    const prefix = path === '(top level)' ? '' : `${path}.`;
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.fail(`${prefix}${key}`, `unknown field; known fields are ${known.join(', ')}`);
      }
    }
    return value as Record<string, unknown>;
  }

  positiveInt(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      this.fail(path, `expected a positive whole number, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  wholeNumber(value: unknown, path: string, min: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      this.fail(path, `expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  /** A finite number in [min, max], with either end open on request. */
  numberIn(
    value: unknown,
    path: string,
    min: number,
    max: number,
    { minOpen = false, maxOpen = false } = {},
  ): number {
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < min ||
      value > max ||
      (minOpen && value === min) ||
      (maxOpen && value === max)
    ) {
      const range = `${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
      this.fail(path, `expected a number in ${range}, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, choices: readonly T[]): T {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      this.fail(path, `expected one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
    }
    return value as T;
  }
}
