import { describe, expect, it } from 'vitest';
import type { CommandIO } from './define.js';
import { interruptOnSignals } from './interrupt.js';

type Callbacks = import('@labkit/nn-core').TrainCallbacks;
type Ctx = Parameters<NonNullable<Callbacks['onBatchEnd']>>[1];

/** Burns `ms` of CPU without returning to the event loop, as a training step does. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
}

describe('interruptOnSignals', () => {
  it('sees a signal that arrives during back-to-back batches within a few batches, not at the epoch end', async () => {
    let stderr = '';
    const io = {
      stdout: process.stdout,
      stderr: { write: (text: string) => (stderr += text) },
    } as unknown as CommandIO;
    const interrupt = interruptOnSignals(io, () => 'not used');
    const ctx = { stopTraining: false } as Ctx;
    const info = {} as Parameters<NonNullable<Callbacks['onBatchEnd']>>[0];
    try {
      await interrupt.callback.onTrainBegin?.(ctx);
      let batch = 0;
      for (; batch < 400 && !ctx.stopTraining; batch++) {
        busy(5);
        // A real signal (delivered through the event loop, like Ctrl-C), sent during batch 10.
        if (batch === 10) process.kill(process.pid, 'SIGINT');
        await interrupt.callback.onBatchEnd?.(info, ctx);
      }
      expect(ctx.stopTraining).toBe(true);
      expect(batch).toBeLessThan(40);
      expect(interrupt.signal()).toBe('SIGINT');
      expect(interrupt.exitCode()).toBe(130);
      // Acknowledged at once, before the batch ends and the checkpoint is written.
      expect(stderr).toMatch(/^\nstopping: finishing the current batch and saving a checkpoint/);
    } finally {
      interrupt.dispose();
    }
  });
});
