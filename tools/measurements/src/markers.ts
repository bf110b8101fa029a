import type { MeasurementRecord } from './record.js';
import { renderFigure } from './render.js';

/**
 * Figures in Markdown sit between markers that render as nothing on GitHub and in VitePress:
 * `<!--fig train-default.testAccuracy-->60.5%<!--/fig-->`. The text between them is rewritten
 * from the record; everything else is left as written.
 */
const MARKER = /<!--fig (.+?)-->(.*?)<!--\/fig-->/g;
const OPENING = /<!--fig /g;

export class UnclosedMarkerError extends Error {
  override name = 'UnclosedMarkerError';
}

/** Returns the text with every figure marker filled in from the record. */
export function fillFigureMarkers(text: string, record: MeasurementRecord, file: string): string {
  const opened = text.match(OPENING)?.length ?? 0;
  const closed = [...text.matchAll(MARKER)].length;
  if (opened !== closed) {
    const line = text.split('\n').findIndex((l) => /<!--fig (?!.*?<!--\/fig-->)/.test(l)) + 1;
    throw new UnclosedMarkerError(
      `${file}:${line}: a <!--fig ...--> marker without its <!--/fig--> on the same line`,
    );
  }
  return text.replace(MARKER, (_all, expression: string) => {
    try {
      return `<!--fig ${expression}-->${renderFigure(record, expression)}<!--/fig-->`;
    } catch (error) {
      const offset = text.indexOf(`<!--fig ${expression}-->`);
      const line = text.slice(0, offset).split('\n').length;
      (error as Error).message = `${file}:${line}: ${(error as Error).message}`;
      throw error;
    }
  });
}

/** The figure expressions a text uses, in order. */
export function figureExpressions(text: string): string[] {
  return [...text.matchAll(MARKER)].map((m) => m[1] as string);
}
