import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';

describe('checkpoint files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'labkit-ckpt-'));
  const path = join(dir, 'run.ckpt');
  const checkpoint = {
    state: { epoch: 3, note: 'héllo' },
    tensors: {
      model: [
        {
          name: 'w',
          shape: [2, 3],
          dtype: 'float32' as const,
          values: Float32Array.from([1.5, -2, 3, 4, 5, 1e-30]),
        },
        {
          name: 'b',
          shape: [3],
          dtype: 'float32' as const,
          values: Float32Array.from([0, 0.1, -0.2]),
        },
      ],
      optimizer: [
        { name: 'iter', shape: [], dtype: 'int32' as const, values: Int32Array.from([42]) },
      ],
    },
  };

  it('round-trips state and tensors exactly, and leaves no temporary file behind', async () => {
    await writeCheckpoint(path, checkpoint);
    await writeCheckpoint(path, checkpoint); // overwriting is atomic too
    expect(readdirSync(dir)).toEqual(['run.ckpt']);
    const back = await readCheckpoint(path);
    expect(back.state).toEqual(checkpoint.state);
    expect(back.tensors.model?.map((t) => [t.name, t.shape, Array.from(t.values)])).toEqual(
      checkpoint.tensors.model.map((t) => [t.name, t.shape, Array.from(t.values)]),
    );
    expect(back.tensors.optimizer?.[0]?.values).toBeInstanceOf(Int32Array);
    expect(Array.from(back.tensors.optimizer?.[0]?.values ?? [])).toEqual([42]);
  });

  it('refuses a file that is not a checkpoint or is truncated, naming it', async () => {
    const other = join(dir, 'other.ckpt');
    writeFileSync(other, 'hello');
    await expect(readCheckpoint(other)).rejects.toThrow(
      `${other} is damaged or not a labkit checkpoint (wrong magic bytes)`,
    );
    const bytes = readFileSync(path);
    writeFileSync(other, bytes.subarray(0, bytes.length - 8));
    await expect(readCheckpoint(other)).rejects.toThrow(/tensor \w+ runs past the end of the file/);
  });
});
