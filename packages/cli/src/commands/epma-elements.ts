import { resolve } from 'node:path';
import { defineCommand } from '../define.js';
import { choiceOption, stringOption } from '../options.js';

export default defineCommand({
  path: ['epma', 'elements'],
  description: 'The atomic-weight table labkit uses (Z 1-118, CIAAW), with its source',
  options: [
    {
      flags: '--format <format>',
      description: 'Output format: csv, json, md (Markdown) or latex (booktabs)',
      default: 'csv',
    },
    { flags: '-o, --out <file>', description: 'Write to this file (atomically) instead of stdout' },
  ],
  examples: ['labkit epma elements', 'labkit epma elements --format md -o weights.md'],
  async action(_args, options, io) {
    const format =
      choiceOption(options, 'format', ['csv', 'json', 'md', 'latex'] as const) ?? 'csv';
    const outOption = stringOption(options, 'out', 'a file name');
    const { ELEMENTS, ATOMIC_WEIGHTS_SOURCE, formatTable } = await import('@labkit/epma-convert');
    let text: string;
    if (format === 'json') {
      text = `${JSON.stringify({ source: ATOMIC_WEIGHTS_SOURCE, elements: ELEMENTS }, null, 2)}\n`;
    } else {
      const columns = [
        { name: 'Z', kind: 'count' },
        { name: 'symbol', kind: 'text' },
        { name: 'name', kind: 'text' },
        { name: 'atomic weight', kind: 'weight' },
        { name: 'interval low', kind: 'weight' },
        { name: 'interval high', kind: 'weight' },
      ] as const;
      const rows = ELEMENTS.map((e) => [
        e.z,
        e.symbol,
        e.name,
        e.weight,
        e.interval?.[0] ?? null,
        e.interval?.[1] ?? null,
      ]);
      text = formatTable(format, columns, rows, { caption: `Source: ${ATOMIC_WEIGHTS_SOURCE}` });
      // CSV has no place for a caption: the source goes to stderr.
      if (format === 'csv') io.stderr.write(`Source: ${ATOMIC_WEIGHTS_SOURCE}\n`);
    }
    if (outOption) {
      const { writeAtomically } = await import('@labkit/epma-convert/node');
      const out = resolve(io.cwd, outOption);
      await writeAtomically(out, async (stream) => {
        stream.write(text);
      });
      io.stderr.write(`labkit epma elements: written to ${out}\n`);
    } else io.stdout.write(text);
    return 0;
  },
});
