import type { MeasurementRecord } from './record.js';
import { renderFigure } from './render.js';

/** How TypeScript code asks for a figure: `measured['train-default.testAccuracy']`. */
const USE = /measured\['([^']+)'\]/g;

/** The figure expressions TypeScript sources use, sorted and without repeats. */
export function figuresUsedBy(sources: readonly string[]): string[] {
  const found = new Set<string>();
  for (const source of sources) for (const m of source.matchAll(USE)) found.add(m[1] as string);
  return [...found].sort();
}

/**
 * A TypeScript module holding the rendered figures that code uses, so that help texts print
 * recorded figures without reading the record at run time (the published CLI has no results/).
 */
export function renderFigureModule(record: MeasurementRecord, expressions: readonly string[]) {
  const lines = expressions.map(
    (e) =>
      `  ${JSON.stringify(e).replaceAll('"', "'")}: ${JSON.stringify(renderFigure(record, e)).replaceAll('"', "'")},`,
  );
  return [
    '// Generated from results/measurements.json by `pnpm figures`: never edit by hand.',
    '// A test fails when this file is out of date.',
    '',
    'export const measured = {',
    ...lines,
    '} as const;',
    '',
  ].join('\n');
}
