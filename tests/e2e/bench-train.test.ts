import { describe, expect, it } from 'vitest';
import { labkit } from './labkit.js';

/** The last stdout line, parsed: `--json` promises one JSON object there. */
function lastJson(stdout: string): Record<string, unknown> {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

describe('labkit bench train', () => {
  it('times training and inference on the auto backend and says which backend ran', () => {
    const r = labkit([
      'bench',
      'train',
      '--batches',
      '2',
      '--warmup',
      '1',
      '--batch-size',
      '16',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const facts = lastJson(r.stdout);
    expect(['node', 'wasm']).toContain(facts.backend);
    expect(facts.batchSize).toBe(16);
    expect(facts.batches).toBe(2);
    expect(facts.warmupBatches).toBe(1);
    for (const key of ['samplesPerSec', 'inferenceSamplesPerSec']) {
      expect(Number.isFinite(facts[key]) && (facts[key] as number) > 0, key).toBe(true);
    }
    // samples/s is batches x batch size over the summed batch times, so it must sit between the
    // rates of the slowest and the fastest batch.
    const perBatch = facts.trainMsPerBatch as { min: number; max: number };
    const rate = facts.samplesPerSec as number;
    expect(rate).toBeLessThanOrEqual((16 * 1000) / perBatch.min + 1);
    expect(rate).toBeGreaterThanOrEqual((16 * 1000) / perBatch.max - 1);
    if (facts.backend === 'wasm') {
      expect(facts.threads).toBe(1);
      expect(facts.kernelOverrides).toEqual([
        'BatchMatMul',
        '_FusedMatMul',
        'Tile',
        'Identity',
        'Transpose',
      ]);
    }
    expect(r.stderr).toMatch(/backend: (wasm|node|tfjs-node not installed; using wasm)/);
  });

  it('runs the cpu backend on request, in plain text', () => {
    const r = labkit([
      'bench',
      'train',
      '--backend',
      'cpu',
      '--batches',
      '1',
      '--warmup',
      '0',
      '--batch-size',
      '4',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^backend: cpu$/m);
    expect(`${r.stdout}${r.stderr}`.match(/^backend: /gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/^training: +[\d.]+ samples\/s/m);
    expect(r.stdout).toMatch(/^inference: +[\d.]+ samples\/s/m);
  });

  it('runs wasm on 2 threads when asked', () => {
    const r = labkit([
      'bench',
      'train',
      '--backend',
      'wasm',
      '--threads',
      '2',
      '--batches',
      '1',
      '--warmup',
      '1',
      '--batch-size',
      '8',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const facts = lastJson(r.stdout);
    expect(facts.backend).toBe('wasm');
    expect(facts.threads).toBe(2);
  });

  it('refuses a bad flag value with exit code 2 and says which flag', () => {
    const r = labkit(['bench', 'train', '--batches', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--batches must be between 1 and 100000, got 0');
    const t = labkit(['bench', 'train', '--batch-size', 'many']);
    expect(t.status).toBe(2);
    expect(t.stderr).toContain('--batch-size expects a number, got "many"');
  });

  it('refuses a bad LABKIT_WASM_THREADS with exit code 1 and the value', () => {
    const r = labkit(['bench', 'train', '--backend', 'wasm', '--batches', '1'], {
      env: { LABKIT_WASM_THREADS: 'lots' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'LABKIT_WASM_THREADS must be a whole number >= 1 or "auto", got "lots"',
    );
  });
});
