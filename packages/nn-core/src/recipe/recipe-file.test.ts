import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from '../model/spec.js';
import {
  DEFAULT_RECIPE,
  parseConfigJson,
  RecipeError,
  recipeJson,
  type TrainRecipe,
  validateRecipe,
} from './recipe-file.js';

const recipe: TrainRecipe = {
  spec: {
    ...DEFAULT_SPEC,
    hidden: [4096, 1024],
    bottleneck: [0, 256],
    dropout: 0.5,
    l2: 1e-5,
    batchNorm: 'after',
  },
  optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true },
  schedule: 'cosine',
  epochs: 40,
  batchSize: 256,
  augment: 'crop-flip',
  whitening: { kind: 'zca', epsilon: 10 },
  trainLimit: null,
  valSplit: 0.1,
  seed: 7,
  patience: 5,
};

describe('recipe files', () => {
  it('round-trip: what recipeJson writes, parseConfigJson reads back exactly', () => {
    const text = recipeJson(recipe);
    expect(JSON.parse(text).labkit).toBe('recipe');
    expect(parseConfigJson(text, 'recipe.json')).toEqual(recipe);
  });
  it('fill missing fields from the base and keep the given ones', () => {
    const partial = validateRecipe(
      { labkit: 'recipe', epochs: 12, whitening: { kind: 'zca', epsilon: 3 } },
      'r.json',
    );
    expect(partial).toEqual({
      ...DEFAULT_RECIPE,
      epochs: 12,
      whitening: { kind: 'zca', epsilon: 3 },
    });
    const spec = validateRecipe({ spec: { dropout: 0.1 } }, 'r.json', recipe).spec;
    expect(spec).toEqual({ ...recipe.spec, dropout: 0.1 });
  });
  it('still accept a bare model spec, which changes only the architecture', () => {
    const base = { ...DEFAULT_RECIPE, epochs: 3 };
    const out = parseConfigJson('{"hidden": [256], "dropout": 0}', 'spec.json', base);
    expect(out).toEqual({ ...base, spec: { ...DEFAULT_SPEC, hidden: [256], dropout: 0 } });
  });
  it('name the file, the field and what was expected', () => {
    const bad = (json: object) => () => validateRecipe({ labkit: 'recipe', ...json }, 'r.json');
    expect(bad({ epochs: 0 })).toThrow(/^r\.json: epochs: expected a whole number >= 1, got 0$/);
    expect(bad({ augment: 'mixup' })).toThrow(/augment: expected one of none, flip, crop-flip/);
    expect(bad({ optimizer: { kind: 'adam', lr: 0 } })).toThrow(
      /optimizer\.lr: expected a number in \(0, 10\]/,
    );
    expect(bad({ optimizer: { kind: 'adam', lr: 1e-3, warmup: 1 } })).toThrow(
      /optimizer\.warmup: unknown field/,
    );
    expect(bad({ whitening: { kind: 'zca' } })).toThrow(/whitening\.epsilon/);
    expect(bad({ spec: { hidden: [0] } })).toThrow(/r\.json: spec: hidden\[0\]/);
    expect(bad({ lr: 1 })).toThrow(/lr: unknown field/);
    expect(bad({ labkit: 'run' })).toThrow(RecipeError);
    expect(() => parseConfigJson('{"labkit": "recipe",\n "epochs": }', 'r.json')).toThrow(
      /^r\.json:2:12: invalid JSON: unexpected "}"/,
    );
  });
});
