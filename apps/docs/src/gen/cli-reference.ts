import type { CommandSpec } from '@labkit/cli';
import { code, codeBlock, escapeText, generatedNotice, table } from './markdown.js';

/** Stable heading anchor for a command, e.g. `cli-epma-convert`. */
export function commandAnchor(spec: Pick<CommandSpec, 'path'>): string {
  return `cli-${spec.path.join('-')}`;
}

function usage(spec: CommandSpec): string {
  return `labkit ${spec.path.join(' ')}${spec.args ? ` ${spec.args}` : ''} [options]`;
}

function formatDefault(value: CommandSpec['options'][number]['default']): string {
  return value === undefined ? '' : code(String(value), { inTable: true });
}

/** Command descriptions are prose wrapped for a terminal: one paragraph on a web page. */
function prose(description: string): string {
  return description.replace(/\s*\n\s*/g, ' ').trim();
}

/** The first sentence of a description, for the overview table. */
export function firstSentence(description: string): string {
  const text = prose(description);
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

function commandSection(spec: CommandSpec): string {
  const name = `labkit ${spec.path.join(' ')}`;
  const parts = [
    `## ${code(name)} {#${commandAnchor(spec)}}`,
    '',
    escapeText(prose(spec.description)),
  ];
  parts.push('', codeBlock(usage(spec), 'sh'));
  const options = [...spec.options, { flags: '-h, --help', description: 'Show this help' }];
  parts.push(
    '',
    table(
      ['option', 'what it does', 'default'],
      options.map((o) => [
        code(o.flags, { inTable: true }),
        escapeText(o.description),
        formatDefault(o.default),
      ]),
    ),
  );
  if (spec.examples?.length) {
    parts.push(
      '',
      '**Examples**',
      '',
      codeBlock(spec.examples.map((e) => `$ ${e}`).join('\n'), 'sh'),
    );
  }
  return parts.join('\n');
}

/**
 * The CLI reference page, built from the same command declarations that `labkit --help` prints,
 * so the page cannot drift from the binary.
 */
export function renderCliReference(commands: readonly CommandSpec[]): string {
  if (commands.length === 0) throw new Error('the CLI declares no commands: nothing to document');
  const overview = table(
    ['command', 'what it does'],
    commands.map((spec) => [
      `[${code(`labkit ${spec.path.join(' ')}`, { inTable: true })}](#${commandAnchor(spec)})`,
      escapeText(firstSentence(spec.description)),
    ]),
  );
  return [
    '---',
    'pageClass: cli-reference',
    '---',
    '',
    generatedNotice("@labkit/cli's command declarations"),
    '',
    '# CLI reference',
    '',
    'Every `labkit` command, generated from the declarations the binary itself parses and prints',
    'with `--help`. Every command also takes `-h, --help`; `labkit --version` prints the version.',
    'Exit codes: 0 success, 1 a failure in the work itself (bad input data, a failed check),',
    '2 a usage error (unknown command or flag, malformed value).',
    '',
    overview,
    '',
    ...commands.map((spec) => `${commandSection(spec)}\n`),
  ].join('\n');
}
