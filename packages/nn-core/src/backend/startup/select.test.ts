import { describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import {
  autoWasmThreads,
  describeBackend,
  initBackend,
  loadTfjsNode,
  threadsFromEnv,
} from './select.js';

describe('initBackend', () => {
  it('auto picks tfjs-node when it loads, else wasm, and says why it fell back', async () => {
    const nodeFailure = await loadTfjsNode();
    const info = await initBackend('auto');
    if (nodeFailure) {
      expect(info.name).toBe('wasm');
      // The reason alone: `labkit info` shows it, so no advice to see `labkit info`.
      expect(info.fallbackReason).toBe(`node: ${nodeFailure}`);
      expect(describeBackend(info)).toBe(
        "tfjs-node not installed; using wasm, 1 thread — 'labkit info' for details",
      );
      expect(info.kernelOverrides).toEqual([
        'BatchMatMul',
        '_FusedMatMul',
        'Tile',
        'Identity',
        'Transpose',
      ]);
    } else {
      expect(info.name).toBe('node');
    }
    expect(tf.getBackend()).toBe(info.name === 'node' ? 'tensorflow' : info.name);
  });

  it('computes the same matMul on wasm and cpu', async () => {
    const a = [1, 2, 3, 4, 5, 6];
    const b = [7, 8, 9, 10, 11, 12];
    const results: Float32Array[] = [];
    for (const name of ['wasm', 'cpu'] as const) {
      await initBackend(name);
      results.push(
        (await tf.matMul(tf.tensor2d(a, [2, 3]), tf.tensor2d(b, [3, 2])).data()) as Float32Array,
      );
    }
    expect(Array.from(results[0] ?? [])).toEqual([58, 64, 139, 154]);
    expect(Array.from(results[1] ?? [])).toEqual([58, 64, 139, 154]);
  });

  it('refuses node with the load error when tfjs-node is missing', async () => {
    const nodeFailure = await loadTfjsNode();
    if (!nodeFailure) return expect(nodeFailure).toBeUndefined();
    const refusal = await initBackend('node').then(
      () => '',
      (error: Error) => error.message,
    );
    expect(refusal).toMatch(
      /tfjs-node is not available: .*npm install -g @labkit\/cli.*; or use --backend wasm or auto$/,
    );
    // `labkit info --backend node` shows this: it must not send the user back to `labkit info`.
    expect(refusal).not.toContain('labkit info');
  });
});

describe('threadsFromEnv', () => {
  it('reads LABKIT_WASM_THREADS; unset, blank or auto leaves the choice to the probe', () => {
    expect(threadsFromEnv({ LABKIT_WASM_THREADS: '3' })).toBe(3);
    expect(threadsFromEnv({})).toBeUndefined();
    expect(threadsFromEnv({ LABKIT_WASM_THREADS: ' ' })).toBeUndefined();
    expect(threadsFromEnv({ LABKIT_WASM_THREADS: 'auto' })).toBeUndefined();
    expect(() => threadsFromEnv({ LABKIT_WASM_THREADS: '1.5' })).toThrow(
      'LABKIT_WASM_THREADS must be a whole number >= 1 or "auto", got "1.5"',
    );
    expect(() => threadsFromEnv({ LABKIT_WASM_THREADS: '0' })).toThrow(/got "0"/);
  });

  it('uses one thread on one core without probing', async () => {
    expect(await autoWasmThreads(1)).toEqual({ threads: 1, choice: 'auto: 1 core' });
  });

  it('makes a bad value an error in auto mode rather than a silent fall back to cpu', async () => {
    const saved = process.env.LABKIT_WASM_THREADS;
    process.env.LABKIT_WASM_THREADS = 'two';
    try {
      await expect(initBackend('auto')).rejects.toThrow(
        /LABKIT_WASM_THREADS must be a whole number/,
      );
    } finally {
      if (saved === undefined) delete process.env.LABKIT_WASM_THREADS;
      else process.env.LABKIT_WASM_THREADS = saved;
    }
  });
});
