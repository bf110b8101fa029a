import type { CommandSpec, OptionSpec, ParsedOptions } from './define.js';
import { UsageError } from './errors.js';

/** How one declared flag takes its value. */
interface FlagShape {
  /** camelCase key in the parsed options (`--batch-size` -> `batchSize`). */
  key: string;
  /** The long name as declared, e.g. `--batch-size`. */
  long: string;
  value: 'none' | 'required' | 'optional';
  repeatable: boolean;
  /** `--no-x` declared on its own: sets `x` to false. */
  negates?: string;
}

const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A word after a value-taking flag is its value unless it is itself a flag (`-1`, `-5,105` are values). */
const looksLikeFlag = (word: string) => word === '--' || /^--?[A-Za-z]/.test(word);

/**
 * `-inf`, `-Infinity` (also in a list: `-inf,105`) start with a letter yet are numbers: the value
 * of the flag before them, for its validator to accept or refuse plainly.
 */
const isNegativeInfinity = (word: string) => /^-inf(inity)?(,|$)/i.test(word);

function shapeOf(option: OptionSpec): { names: string[]; shape: FlagShape } {
  const names = [...option.flags.matchAll(/(?:^|[\s,])(--?[\w-]+)/g)].map((m) => m[1] as string);
  const long = names.find((n) => n.startsWith('--')) ?? (names[0] as string);
  const value = /<[^>]+>/.test(option.flags)
    ? 'required'
    : /\[[^\]]+\]/.test(option.flags)
      ? 'optional'
      : 'none';
  const positive = long.startsWith('--no-') ? camel(long.slice(5)) : undefined;
  return {
    names,
    shape: {
      key: positive ?? camel(long.slice(2)),
      long,
      value,
      repeatable: option.repeatable === true,
      ...(positive ? { negates: positive } : {}),
    },
  };
}

/** The declared arguments; a last one named `name...` takes every remaining word. */
function positionals(spec: CommandSpec): { name: string; required: boolean; rest: boolean }[] {
  return [...(spec.args ?? '').matchAll(/([<[])([^>\]]+)[>\]]/g)].map((m) => ({
    name: m[2] as string,
    required: m[1] === '<',
    rest: (m[2] as string).endsWith('...'),
  }));
}

/**
 * Parses a command's words against its declared options, the same way for every command:
 * `--` ends the options; a value-taking flag takes the next word as its value even when it starts
 * with `-` followed by a digit (`--lr -1`, `--total-window -5,105`); `--flag=value` works too; a
 * flag given twice is an error unless it is declared `repeatable` (its values then form a list);
 * `--no-x` turns off a flag that takes no value or an optional one; unknown flags, missing or
 * surplus arguments are usage errors naming what was typed.
 */
export function parseArgs(
  spec: CommandSpec,
  words: readonly string[],
): { args: string[]; options: ParsedOptions } {
  const byName = new Map<string, FlagShape>();
  for (const option of spec.options) {
    const { names, shape } = shapeOf(option);
    for (const name of names) byName.set(name, shape);
  }
  const options: ParsedOptions = {};
  const given = new Map<string, string>();
  const args: string[] = [];

  const set = (shape: FlagShape, typed: string, value: unknown) => {
    const previous = given.get(shape.key);
    if (shape.repeatable) {
      const list = (options[shape.key] as string[] | undefined) ?? [];
      list.push(String(value));
      options[shape.key] = list;
    } else if (previous !== undefined) {
      throw new UsageError(
        previous === typed
          ? `${typed} was given twice; give it once`
          : `${previous} and ${typed} set the same option; give one of them`,
      );
    } else options[shape.key] = value;
    given.set(shape.key, typed);
  };

  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '--') {
      args.push(...words.slice(i + 1));
      break;
    }
    if (!looksLikeFlag(word)) {
      args.push(word);
      continue;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const name = eq === -1 ? word : word.slice(0, eq);
    const inline = eq === -1 ? undefined : word.slice(eq + 1);
    let shape = byName.get(name);
    let negated = false;
    if (!shape && name.startsWith('--no-')) {
      const positive = byName.get(`--${name.slice(5)}`);
      if (positive && positive.value !== 'required') [shape, negated] = [positive, true];
    }
    if (!shape) {
      // `-x.csv`: a file named like an option, the case `--` exists for.
      const file = /[./\\]/.test(name) ? `; a file whose name starts with '-' goes after --` : '';
      throw new UsageError(`unknown option '${name}'${file}`);
    }
    if (shape.negates !== undefined || negated) {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
      set({ ...shape, key: shape.negates ?? shape.key }, name, false);
      continue;
    }
    if (shape.value === 'none') {
      if (inline !== undefined) throw new UsageError(`${name} takes no value, got "${inline}"`);
      set(shape, name, true);
      continue;
    }
    let value = inline;
    const next = words[i + 1];
    if (
      value === undefined &&
      next !== undefined &&
      (!looksLikeFlag(next) || isNegativeInfinity(next))
    ) {
      value = next;
      i++;
    }
    if (value === undefined) {
      if (shape.value === 'required') throw new UsageError(`${name} expects a value`);
      set(shape, name, true);
      continue;
    }
    if (shape.repeatable && value.trim() === '')
      throw new UsageError(`${name} expects a value, got an empty one`);
    set(shape, name, value);
  }

  for (const option of spec.options) {
    const { shape } = shapeOf(option);
    if (option.default !== undefined && !(shape.key in options))
      options[shape.key] = option.default;
  }
  const expected = positionals(spec);
  const missing = expected.find((p, i) => p.required && args[i] === undefined);
  if (missing) throw new UsageError(`missing required argument <${missing.name}>`);
  if (args.length > expected.length && !expected.at(-1)?.rest) {
    const surplus = args.slice(expected.length).map((a) => `'${a}'`);
    throw new UsageError(
      `unexpected argument${surplus.length > 1 ? 's' : ''} ${surplus.join(' ')} (expected ${spec.args ? spec.args : 'none'})`,
    );
  }
  return { args, options };
}

/** True when `--version` / `-v` (or `--help` / `-h`) appears before any `--`. */
export function hasFlagBeforeEnd(words: readonly string[], flags: readonly string[]): boolean {
  for (const word of words) {
    if (word === '--') return false;
    if (flags.includes(word)) return true;
  }
  return false;
}
