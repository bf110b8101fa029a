import { describe, expect, it } from 'vitest';
import { halvingPlan, mapPool, successiveHalving } from './halving.js';

describe('halvingPlan', () => {
  it('multiplies the budget by eta and keeps ceil(n / eta) trials', () => {
    expect(halvingPlan(27, 2, 18, 3)).toEqual([
      { epochs: 2, trials: 27 },
      { epochs: 6, trials: 9 },
      { epochs: 18, trials: 3 },
    ]);
    expect(halvingPlan(10, 1, 9, 3)).toEqual([
      { epochs: 1, trials: 10 },
      { epochs: 3, trials: 4 },
      { epochs: 9, trials: 2 },
    ]);
  });
  it('caps the last rung at maxEpochs and stops at one trial', () => {
    expect(halvingPlan(4, 1, 5, 2)).toEqual([
      { epochs: 1, trials: 4 },
      { epochs: 2, trials: 2 },
      { epochs: 5, trials: 1 },
    ]);
    expect(halvingPlan(1, 1, 8, 3)).toEqual([{ epochs: 8, trials: 1 }]);
    expect(halvingPlan(5, 3, 3, 3)).toEqual([{ epochs: 3, trials: 5 }]);
  });
  it('refuses nonsense', () => {
    expect(() => halvingPlan(0, 1, 2)).toThrow(/trials/);
    expect(() => halvingPlan(3, 4, 2)).toThrow(/maxEpochs/);
    expect(() => halvingPlan(3, 1, 2, 1)).toThrow(/eta/);
  });
});

describe('successiveHalving', () => {
  // A fake trial's validation loss falls with epochs towards its quality; lower quality is better.
  const quality = [0.9, 0.2, 0.7, 0.1, 0.5, 0.3, 0.8, 0.6, 0.4];
  const score = (q: number, epochs: number) => q + 1 / epochs;

  it('prunes the worst trials at each rung and ranks the best first', async () => {
    const calls: [number, number][] = [];
    const ranked = await successiveHalving(
      quality,
      halvingPlan(9, 1, 9, 3),
      async (q, index, epochs) => {
        calls.push([index, epochs]);
        return { score: score(q, epochs) };
      },
    );
    // 9 trials at 1 epoch, the best 3 at 3 epochs, the best 1 at 9.
    expect(calls.filter(([, e]) => e === 1)).toHaveLength(9);
    expect(
      calls
        .filter(([, e]) => e === 3)
        .map(([i]) => i)
        .sort(),
    ).toEqual([1, 3, 5]);
    expect(calls.filter(([, e]) => e === 9).map(([i]) => i)).toEqual([3]);
    expect(ranked[0]?.index).toBe(3);
    expect(ranked[0]?.epochs).toBe(9);
    expect(ranked.map((s) => s.index)).toEqual([3, 1, 5, 8, 4, 7, 2, 6, 0]);
  });

  it('ranks diverged (infinite or NaN) trials last', async () => {
    const ranked = await successiveHalving(
      [1, Number.NaN, 0.5, Number.POSITIVE_INFINITY],
      halvingPlan(4, 1, 1),
      async (q) => ({ score: q }),
    );
    expect(ranked.map((s) => s.index)).toEqual([2, 0, 1, 3]);
  });

  it('runs at most `concurrency` trials at once and gives the same result as serially', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const train = async (q: number, _i: number, epochs: number) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5 + q * 10));
      inFlight--;
      return { score: score(q, epochs) };
    };
    const parallel = await successiveHalving(quality, halvingPlan(9, 1, 9, 3), train, {
      concurrency: 2,
    });
    expect(maxInFlight).toBe(2);
    const serial = await successiveHalving(quality, halvingPlan(9, 1, 9, 3), train);
    expect(parallel.map((s) => s.index)).toEqual(serial.map((s) => s.index));
  });
});

describe('mapPool', () => {
  it('keeps input order', async () => {
    expect(
      await mapPool([30, 10, 20], 3, async (ms) => new Promise((r) => setTimeout(() => r(ms), ms))),
    ).toEqual([30, 10, 20]);
  });
});
