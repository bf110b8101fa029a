import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_TRAINING } from '@labkit/nn-core/config';
import { describe, expect, it } from 'vitest';
import { renderTrainingTour } from './tour.js';

describe('renderTrainingTour', () => {
  it('describes the default run with the real defaults', () => {
    const tour = renderTrainingTour(DEFAULT_TRAINING);
    expect(tour).toContain(`${DEFAULT_TRAINING.epochs} epochs (\`--epochs\`)`);
    expect(tour).toContain(`of batch ${DEFAULT_TRAINING.batchSize}`);
    expect(renderTrainingTour({ ...DEFAULT_TRAINING, epochs: 7 })).toContain('7 epochs');
  });

  it('is the only place the getting-started page says how long training runs', () => {
    const page = readFileSync(
      resolve(import.meta.dirname, '../../guide/getting-started.md'),
      'utf8',
    );
    expect(page).toContain('<!--@include: ./_tour-training.md-->');
    expect(page).not.toMatch(/--epochs \d/);
  });
});
