import type { CommandSpec, OptionSpec } from './define.js';

const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - s.length));

export function usageLine(spec: CommandSpec): string {
  return `labkit ${spec.path.join(' ')}${spec.args ? ` ${spec.args}` : ''} [options]`;
}

function formatDefault(value: OptionSpec['default']): string {
  return value === undefined ? '' : ` (default: ${value})`;
}

/** Help text for one command, built from its declaration. */
export function commandHelp(spec: CommandSpec): string {
  const options: OptionSpec[] = [
    ...spec.options,
    { flags: '-h, --help', description: 'Show this help' },
    { flags: '-v, --version', description: 'Show the version' },
  ];
  const width = Math.max(...options.map((o) => o.flags.length)) + 2;
  const lines = [`Usage: ${usageLine(spec)}`, '', spec.description, '', 'Options:'];
  for (const o of options)
    lines.push(`  ${pad(o.flags, width)}${o.description}${formatDefault(o.default)}`);
  lines.push('', 'A word after -- is an argument, never an option (e.g. a file named -x.csv).');
  if (spec.examples?.length) {
    lines.push('', 'Examples:', ...spec.examples.map((e) => `  $ ${e}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The first sentence of a (possibly multi-line) description, for one-line listings. */
export function firstSentence(description: string): string {
  const text = description.replace(/\s+/g, ' ').trim();
  return text.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? text;
}

/** Help text listing commands (all of them, or those under a group such as `epma`). */
export function commandListHelp(
  specs: readonly CommandSpec[],
  version: string,
  group?: string,
): string {
  const names = specs.map((s) => `${s.path.join(' ')}${s.args ? ` ${s.args}` : ''}`);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const lines = [
    `labkit ${version}: EPMA conversions and small-net training on CIFAR-10`,
    '',
    `Usage: labkit ${group ? `${group} ` : ''}<command> [options]`,
    '',
    'Commands:',
    ...specs.map((s, i) => `  ${pad(names[i] ?? '', width)}${firstSentence(s.description)}`),
    '',
    'Global options:',
    '  -h, --help     Show help (also after any command)',
    '  -v, --version  Show the version',
    '',
    'Run `labkit <command> --help` for the options of a command.',
  ];
  return `${lines.join('\n')}\n`;
}
