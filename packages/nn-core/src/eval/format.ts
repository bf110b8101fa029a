import { formatLoss } from '../train/loss-format.js';
import type { Evaluation } from './evaluate.js';

const pct = (v: number) => (Number.isNaN(v) ? '-' : `${(v * 100).toFixed(2)}%`);

/**
 * A plain-text report of an evaluation: overall accuracy and loss, per-class accuracy, and the
 * confusion matrix (rows: true class, columns: predicted class).
 */
export function formatEvaluation(evaluation: Evaluation, classNames: readonly string[]): string {
  const names = evaluation.confusion.map((_, i) => classNames[i] ?? String(i));
  const nameWidth = Math.max(5, ...names.map((n) => n.length));
  const cell = Math.max(5, String(Math.max(...evaluation.confusion.flat())).length + 1);
  const lines = [
    `accuracy ${pct(evaluation.accuracy)} on ${evaluation.count} images (${Math.round(evaluation.accuracy * evaluation.count)} correct), mean loss ${formatLoss(evaluation.loss)}`,
    '',
    'per-class accuracy:',
    ...names.map(
      (n, i) => `  ${n.padEnd(nameWidth)}  ${pct(evaluation.perClass[i] as number).padStart(7)}`,
    ),
    '',
    'confusion matrix (rows: true class, columns: predicted):',
    `  ${''.padEnd(nameWidth)}${names.map((n) => n.slice(0, cell - 1).padStart(cell)).join('')}`,
    ...evaluation.confusion.map(
      (row, i) =>
        `  ${(names[i] as string).padEnd(nameWidth)}${row.map((v) => String(v).padStart(cell)).join('')}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
