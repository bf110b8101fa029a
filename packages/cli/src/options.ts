import { BACKENDS } from '@labkit/nn-core/config';
import type { OptionSpec, ParsedOptions } from './define.js';
import { UsageError } from './errors.js';

/** The flag as typed on the command line for a parsed option key: `batchSize` -> `batch-size`. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The flag of a parsed option's (camelCase) name: `partialData` is `--partial-data`. */
export const flagName = (name: string) => `--${kebab(name)}`;

/** Reads a numeric option, refusing anything that is not a finite number in range. */
export function numberOption(
  options: ParsedOptions,
  name: string,
  { min = -Infinity, max = Infinity, integer = false } = {},
): number | undefined {
  const raw = options[name];
  if (raw === undefined) return undefined;
  const flag = `--${kebab(name)}`;
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (raw === true || raw === '' || !Number.isFinite(value)) {
    throw new UsageError(`${flag} expects a number, got ${JSON.stringify(raw)}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new UsageError(`${flag} expects a whole number, got ${value}`);
  }
  if (value < min || value > max) {
    const above = min === Number.MIN_VALUE ? 'greater than 0' : `at least ${min}`;
    const range =
      max === Infinity
        ? above
        : min === Number.MIN_VALUE
          ? `greater than 0 and at most ${max}`
          : `between ${min} and ${max}`;
    throw new UsageError(`${flag} must be ${range}, got ${value}`);
  }
  return value;
}

/**
 * Reads a string option, refusing a bare flag with no value and an empty value (which would
 * silently mean "the current directory" for a path). `what` names the value in that refusal.
 */
export function stringOption(
  options: ParsedOptions,
  name: string,
  what = 'a value',
): string | undefined {
  const raw = options[name];
  if (raw === undefined || raw === false) return undefined;
  if (raw === true) throw new UsageError(`--${kebab(name)} expects a value`);
  if (raw === '') throw new UsageError(`--${kebab(name)} needs ${what}, got an empty one`);
  return String(raw);
}

/** Reads an option that must be one of a fixed set of words. */
export function choiceOption<T extends string>(
  options: ParsedOptions,
  name: string,
  choices: readonly T[],
): T | undefined {
  const value = stringOption(options, name);
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${kebab(name)} must be one of ${choices.join(', ')}; got "${value}"`);
  }
  return value as T;
}

/**
 * Splits a comma-separated option value into trimmed items, refusing empty ones: `256,,128` is a
 * typo, never a list with a missing layer.
 */
export function commaListOption(options: ParsedOptions, name: string): string[] | undefined {
  const value = stringOption(options, name);
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new UsageError(
      `--${kebab(name)} has an empty item in "${value}"; separate the values with single commas`,
    );
  }
  return items;
}

/** Reads a comma-separated list of positive integers, e.g. `--hidden 1024,512`. */
export function intListOption(options: ParsedOptions, name: string): number[] | undefined {
  const items = commaListOption(options, name);
  if (items === undefined) return undefined;
  const numbers = items.map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new UsageError(
      `--${kebab(name)} expects comma-separated positive whole numbers, got "${items.join(',')}"`,
    );
  }
  return numbers;
}

/** The values of a repeatable option (`repeatable: true`), in the order given; empty when absent. */
export function repeatedOption(options: ParsedOptions, name: string): string[] {
  const raw = options[name];
  if (raw === undefined || raw === false) return [];
  if (raw === true) throw new UsageError(`--${kebab(name)} expects a value`);
  return Array.isArray(raw) ? raw.map(String) : [String(raw)];
}

/** TF.js backends a user can ask for; `auto` means tfjs-node, else tuned wasm, else cpu. */
export const BACKEND_CHOICES = ['auto', ...BACKENDS] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** The `--backend` flag every TF.js command takes. */
export const BACKEND_FLAG: OptionSpec = {
  flags: '--backend <name>',
  description: `TF.js backend: auto (tfjs-node, else tuned wasm, else cpu), ${BACKENDS.join(', ')}`,
  default: 'auto',
};

export const THREADS_FLAG: OptionSpec = {
  flags: '--threads <n>',
  description:
    'wasm backend threads (default: LABKIT_WASM_THREADS, else auto: as many as a 0.3 s probe finds running at full speed together, 1 to 4)',
};

/** Reads `--threads` as the `initBackend` option it sets (empty when not given). */
export function threadsOption(options: ParsedOptions): { threads?: number } {
  const threads = numberOption(options, 'threads', { min: 1, max: 64, integer: true });
  return threads === undefined ? {} : { threads };
}

/** Reads `--backend`, refusing anything but the known backends. */
export function backendOption(options: ParsedOptions): BackendChoice | undefined {
  return choiceOption(options, 'backend', BACKEND_CHOICES);
}
