import type { HeaderRecognition } from '@labkit/epma-convert';
import { code, escapeText, generatedNotice, table } from './markdown.js';

/** A header to show, with the columns it needs beside it (an uncertainty needs its composition column). */
export interface HeaderExample {
  header: string;
  besides?: readonly string[];
}

type Recognise = (headers: readonly string[]) => HeaderRecognition;

function describeRole(recognition: HeaderRecognition, index: number): string {
  const column = recognition.columns[index];
  if (!column) throw new Error(`no column ${index} in the header recognition`);
  const role = column.role;
  const warned = recognition.warnings.some((w) => w.includes(`"${column.header}"`));
  switch (role.kind) {
    case 'composition':
      return `${escapeText(role.formula)} ${role.ppm ? 'ppm, read as wt% / 10⁴' : 'wt%'} (${role.isElement ? 'element' : role.totalIron ? 'oxide, all Fe' : 'oxide'})`;
    case 'uncertainty':
      return `1σ of ${escapeText(role.formula)}, ${role.relative ? 'relative %' : role.ppm ? 'absolute ppm' : 'absolute wt%'}`;
    case 'total':
      return 'the analytical total';
    case 'ignored':
      return `recognised, not used (${escapeText(role.what)}; refused if no wt% column gives the element)`;
    case 'passthrough':
      return warned ? '**copied through, with a warning**' : 'copied through unchanged';
    case 'unrecognised':
      return `**refused** (${escapeText(role.reason)})`;
  }
}

/** A table of example headers and how the header recognition of `@labkit/epma-convert` reads each. */
export function renderHeaderExamples(
  recognise: Recognise,
  examples: readonly HeaderExample[],
): string {
  const rows = examples.map(({ header, besides = [] }) => {
    const recognition = recognise([...besides, header]);
    return [code(header, { inTable: true }), describeRole(recognition, besides.length)];
  });
  return [
    generatedNotice("@labkit/epma-convert's recogniseHeaders"),
    '',
    table(['header', 'labkit reads it as'], rows),
    '',
  ].join('\n');
}

/** The below-detection and not-analysed markers, as the cell reader knows them, as code spans. */
export function renderMarkers(markers: readonly string[], notAnalysed: readonly string[]): string {
  const shown = markers.map((m) => code(m));
  return [
    generatedNotice("@labkit/epma-convert's BELOW_DETECTION_MARKERS and NOT_ANALYSED_MARKERS"),
    '',
    `A blank cell, ${shown.join(', ')}, or \`<\` followed by the detection limit, such as \`<0.02\`.`,
    '',
    `${notAnalysed.map((m) => code(m)).join(', ')} mean "not analysed": they are read like a blank cell.`,
    '',
  ].join('\n');
}
