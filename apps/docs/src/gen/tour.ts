import type { DEFAULT_TRAINING } from '@labkit/nn-core/config';
import { generatedNotice } from './markdown.js';

/**
 * The training part of the getting-started tour. Its words about the default run come from the
 * defaults themselves, so the tour cannot promise 20 epochs while `labkit train` runs 30.
 */
export function renderTrainingTour(t: typeof DEFAULT_TRAINING): string {
  return [
    generatedNotice('@labkit/nn-core/config (DEFAULT_TRAINING)'),
    '',
    '```sh',
    'pnpm -s labkit data fetch cifar10',
    'pnpm -s labkit train --overfit 10',
    'pnpm -s labkit train --out runs/first',
    'pnpm -s labkit report runs/first',
    '```',
    '',
    `\`labkit train\` with no other flag runs the default recipe: ${t.epochs} epochs (\`--epochs\`) ` +
      `of batch ${t.batchSize} (\`--batch-size\`), ${t.optimizer} at a peak rate of ${t.lr} ` +
      `with a ${t.schedule} schedule, \`${t.augment}\` augmentation, ${t.valSplit * 100}% of the ` +
      `training images held out for validation, seed ${t.seed}.`,
    '',
  ].join('\n');
}
