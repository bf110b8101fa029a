import { expect } from 'vitest';
import * as tf from '../../../tfjs.js';
import { initBackend } from '../../startup/select.js';

/** Deterministic pseudo-random values in [-1, 1) (mulberry32), the same on every backend. */
export function randomValues(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

export interface Computed {
  shape: number[];
  values: number[];
}

/** Runs `make` on a backend ('cpu' or 'wasm', the latter with labkit's overrides) and reads the result. */
export async function computeOn(
  backend: 'cpu' | 'wasm',
  make: () => tf.Tensor | tf.Tensor[],
): Promise<Computed[]> {
  await initBackend(backend);
  const outputs = tf.tidy(make);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const read = await Promise.all(
    list.map(async (t) => ({ shape: t.shape.slice(), values: Array.from(await t.data()) })),
  );
  tf.dispose(list);
  return read;
}

/**
 * Asserts that wasm and cpu agree: same shapes, and every element within `rel` of the cpu value
 * relative to the largest cpu magnitude of that output (float32 sums in a different order differ
 * by rounding, which scales with the size of the terms, not of each result).
 */
export async function expectSameOnWasmAndCpu(
  make: () => tf.Tensor | tf.Tensor[],
  rel = 1e-5,
): Promise<void> {
  const want = await computeOn('cpu', make);
  const got = await computeOn('wasm', make);
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => {
    const g = got[k] as Computed;
    expect(g.shape).toEqual(w.shape);
    const scale = w.values.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-30);
    const worst = w.values.reduce(
      (m, v, i) => Math.max(m, Math.abs((g.values[i] ?? Number.NaN) - v)),
      0,
    );
    expect(
      worst / scale,
      `output ${k}: max |wasm - cpu| / max |cpu| for shape [${w.shape}]`,
    ).toBeLessThanOrEqual(rel);
  });
}
