import * as config from '@labkit/nn-core/config';
import { describe, expect, it } from 'vitest';
import { renderTrainingDefaults } from './training-defaults.js';

describe('renderTrainingDefaults', () => {
  it('states the defaults nn-core holds, whatever they are', () => {
    const page = renderTrainingDefaults({
      ...config,
      DEFAULT_SPEC: { ...config.DEFAULT_SPEC, hidden: [64, 32], dropout: 0.25 },
      DEFAULT_TRAINING: { ...config.DEFAULT_TRAINING, epochs: 7 },
    });
    expect(page).toContain('| layers | 3072–64–32–10, relu | `--hidden` |');
    expect(page).toContain('| dropout | 0.25 | `--dropout` |');
    expect(page).toMatch(/\| epochs, batch size \| 7, 128 \|/);
    expect(page).toContain('`node`, `wasm`, `cpu`');
  });
});
