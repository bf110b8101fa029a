import { describe, expect, it } from 'vitest';
import { defineCommand } from './define.js';
import { UsageError } from './errors.js';
import { intListOption } from './options.js';
import { hasFlagBeforeEnd, parseArgs } from './parse-args.js';

const spec = defineCommand({
  path: ['demo'],
  args: '[file]',
  description: 'A command to parse against.',
  options: [
    { flags: '-o, --out <file>', description: 'output' },
    { flags: '--lr <rate>', description: 'rate' },
    { flags: '--total-window <lo,hi>', description: 'window', default: '98,102' },
    { flags: '--json', description: 'json' },
    { flags: '--batchnorm [where]', description: 'bn' },
    { flags: '--no-batchnorm', description: 'no bn' },
    { flags: '--alias <a=b>', description: 'alias', repeatable: true },
  ],
  action: async () => 0,
});

const parse = (...words: string[]) => parseArgs(spec, words);
const usage = (...words: string[]) => {
  try {
    parse(...words);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${words.join(' ')}`);
};

describe('parseArgs', () => {
  it('reads words after -- as arguments, even when they look like flags', () => {
    expect(parse('--', 'file.csv').args).toEqual(['file.csv']);
    expect(parse('--json', '--', '--out').args).toEqual(['--out']);
  });

  it('takes a negative number as the value of a flag', () => {
    expect(parse('--lr', '-1').options.lr).toBe('-1');
    expect(parse('--total-window', '-5,105').options.totalWindow).toBe('-5,105');
    expect(parse('--lr=-0.5').options.lr).toBe('-0.5');
    expect(parse('--lr', '-.5').options.lr).toBe('-.5');
  });

  it('takes -inf and -Infinity as values (the validator refuses them), not as flags', () => {
    expect(parse('--total-window', '-inf,105').options.totalWindow).toBe('-inf,105');
    expect(parse('--total-window', '-Infinity,105').options.totalWindow).toBe('-Infinity,105');
    expect(parse('--lr', '-inf').options.lr).toBe('-inf');
    expect(usage('--lr', '-info')).toBe('--lr expects a value');
  });

  it('refuses a scalar flag given twice, and two spellings of one flag', () => {
    expect(usage('--lr', '1', '--lr', '2')).toBe('--lr was given twice; give it once');
    expect(usage('-o', 'a', '--out', 'b')).toBe(
      '-o and --out set the same option; give one of them',
    );
    expect(usage('--json', '--json')).toMatch(/given twice/);
    expect(usage('--batchnorm', '--no-batchnorm')).toMatch(/same option/);
  });

  it('collects a repeatable flag into a list and refuses an empty value', () => {
    expect(parse('--alias', 'a=b', '--alias', 'c=d').options.alias).toEqual(['a=b', 'c=d']);
    expect(usage('--alias', '')).toMatch(/empty/);
  });

  it('fills defaults only for flags not given', () => {
    expect(parse().options.totalWindow).toBe('98,102');
    expect(parse('--total-window', '1,2').options.totalWindow).toBe('1,2');
  });

  it('reads optional values, bare flags and --no- negation', () => {
    expect(parse('--batchnorm', 'after').options.batchnorm).toBe('after');
    expect(parse('--batchnorm').options.batchnorm).toBe(true);
    expect(parse('--no-batchnorm').options.batchnorm).toBe(false);
    expect(parse('--json').options.json).toBe(true);
  });

  it('names unknown flags, missing values and surplus arguments', () => {
    expect(usage('--nope')).toBe("unknown option '--nope'");
    expect(usage('-z')).toBe("unknown option '-z'");
    expect(usage('-x.csv')).toBe(
      "unknown option '-x.csv'; a file whose name starts with '-' goes after --",
    );
    expect(usage('--no-out')).toBe("unknown option '--no-out'");
    expect(usage('--out')).toBe('--out expects a value');
    expect(usage('--out', '--json')).toBe('--out expects a value');
    expect(usage('--json=yes')).toMatch(/takes no value/);
    expect(usage('a.csv', 'b.csv')).toBe("unexpected argument 'b.csv' (expected [file])");
  });

  it('requires required arguments', () => {
    const needy = defineCommand({ ...spec, args: '<run-dir> <input>' });
    expect(() => parseArgs(needy, ['run'])).toThrow('missing required argument <input>');
    expect(parseArgs(needy, ['run', '-']).args).toEqual(['run', '-']);
  });

  it('gives every remaining word to a last argument named name...', () => {
    const many = defineCommand({ ...spec, args: '<run-dir...>' });
    expect(parseArgs(many, ['a', 'b', '--json', 'c']).args).toEqual(['a', 'b', 'c']);
    expect(() => parseArgs(many, [])).toThrow('missing required argument <run-dir...>');
  });

  it('finds --version anywhere before --, and not after it', () => {
    expect(hasFlagBeforeEnd(['epma', 'convert', 'x.csv', '--version'], ['--version'])).toBe(true);
    expect(hasFlagBeforeEnd(['epma', 'convert', '--', '--version'], ['--version'])).toBe(false);
  });
});

describe('list options', () => {
  it('refuses empty items instead of dropping them', () => {
    expect(() => intListOption({ hidden: '256,,128' }, 'hidden')).toThrow(/empty item/);
    expect(() => intListOption({ hidden: '256,' }, 'hidden')).toThrow(/empty item/);
    expect(intListOption({ hidden: '256, 128' }, 'hidden')).toEqual([256, 128]);
  });
});
