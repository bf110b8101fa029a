import { isElementSymbol } from '../elements/weights.js';
import { type Composition, CompositionError } from './types.js';

/** Throws unless every value is a finite number; `what` starts the message. */
export function checkFinite(values: Composition, what: string): void {
  for (const key in values) {
    const value = values[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new CompositionError(
        `${what}: value of '${key}' is not a finite number (${String(value)})`,
      );
    }
  }
}

/** Throws unless every key is an element symbol; `hint` ends the message. */
export function checkElementKeys(values: Composition, what: string, hint = ''): void {
  for (const key in values) {
    if (!isElementSymbol(key))
      throw new CompositionError(`${what}: '${key}' is not an element symbol${hint}`);
  }
}
