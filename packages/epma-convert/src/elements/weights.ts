import { ATOMIC_WEIGHTS_SOURCE, ELEMENTS } from './data.js';
import type { ElementData, WeightOverrides } from './types.js';

const BY_SYMBOL: ReadonlyMap<string, ElementData> = new Map(ELEMENTS.map((e) => [e.symbol, e]));

/** True for a known element symbol, case-sensitive: 'Si' yes, 'SI' and 'si' no. */
export function isElementSymbol(s: string): boolean {
  return BY_SYMBOL.has(s);
}

/** The element with this symbol, or undefined. */
export function elementBySymbol(symbol: string): ElementData | undefined {
  return BY_SYMBOL.get(symbol);
}

/** A bad element symbol or a missing atomic weight. */
export class AtomicWeightError extends Error {
  override name = 'AtomicWeightError';
  constructor(
    message: string,
    readonly symbol: string,
  ) {
    super(message);
  }
}

function unknownSymbolMessage(symbol: string): string {
  const hint = [...BY_SYMBOL.keys()].find((s) => s.toLowerCase() === symbol.toLowerCase());
  return `unknown element symbol '${symbol}'${hint ? ` (did you mean '${hint}'? symbols are case-sensitive)` : ''}`;
}

/**
 * Immutable atomic-weight lookup: the CIAAW table, with user overrides taking precedence.
 * Elements without a standard atomic weight are refused unless overridden.
 */
export class AtomicWeights {
  readonly overrides: WeightOverrides;
  readonly source: string;

  constructor(overrides: WeightOverrides = {}) {
    for (const [symbol, mass] of Object.entries(overrides)) {
      if (!isElementSymbol(symbol)) {
        throw new AtomicWeightError(
          `atomic weight override: ${unknownSymbolMessage(symbol)}`,
          symbol,
        );
      }
      if (typeof mass !== 'number' || !Number.isFinite(mass) || mass <= 0) {
        throw new AtomicWeightError(
          `atomic weight override for ${symbol}: expected a finite positive number, got ${JSON.stringify(mass)}`,
          symbol,
        );
      }
    }
    this.overrides = Object.freeze({ ...overrides });
    const overridden = Object.keys(this.overrides);
    this.source =
      overridden.length === 0
        ? ATOMIC_WEIGHTS_SOURCE
        : `${ATOMIC_WEIGHTS_SOURCE}; user-supplied: ${overridden.map((s) => `${s} ${this.overrides[s]}`).join(', ')}`;
    Object.freeze(this);
  }

  /** Atomic weight of `symbol`; throws AtomicWeightError for unknown symbols and elements without a standard weight. */
  get(symbol: string): number {
    const override = this.overrides[symbol];
    if (override !== undefined) return override;
    const element = BY_SYMBOL.get(symbol);
    if (element === undefined) throw new AtomicWeightError(unknownSymbolMessage(symbol), symbol);
    if (element.weight === null) {
      throw new AtomicWeightError(
        `${element.name} (${symbol}) has no standard atomic weight (no stable isotope of characteristic ` +
          `terrestrial composition); supply one, e.g. a weights override {"${symbol}": <mass>}`,
        symbol,
      );
    }
    return element.weight;
  }

  /** True when get(symbol) would return a weight. */
  has(symbol: string): boolean {
    return this.overrides[symbol] !== undefined || (BY_SYMBOL.get(symbol)?.weight ?? null) !== null;
  }
}

/** The table without overrides; the default wherever a function takes optional weights. */
export const STANDARD_WEIGHTS = new AtomicWeights();

/**
 * Parses a JSON object of atomic-weight overrides, e.g. `{"Tc": 97.9}`. `source` (a file name, say)
 * is named in every error.
 */
export function parseWeightOverrides(
  json: string,
  source = 'atomic weights JSON',
): WeightOverrides {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new AtomicWeightError(`${source}: not valid JSON (${(error as Error).message})`, '');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AtomicWeightError(`${source}: expected a JSON object like {"Tc": 97.9}`, '');
  }
  const overrides: Record<string, number> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!isElementSymbol(key)) {
      throw new AtomicWeightError(`${source}: key "${key}": ${unknownSymbolMessage(key)}`, key);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new AtomicWeightError(
        `${source}: key "${key}": expected a positive number (the atomic weight), got ${JSON.stringify(value)}`,
        key,
      );
    }
    overrides[key] = value;
  }
  return Object.freeze(overrides);
}
