import { describe, expect, it } from 'vitest';
import { halvingPlan, mapPool, rankStates, reachedRung, successiveHalving } from './halving.js';

describe('halvingPlan', () => {
  it('grows the images by eta and keeps ceil(n / eta) trials while two are left to compare', () => {
    expect(halvingPlan(27, 1000, 48000, 3, 10)).toEqual([
      { images: 1000, epochs: 10, trials: 27 },
      { images: 3000, epochs: 10, trials: 9 },
      { images: 9000, epochs: 10, trials: 3 },
    ]);
    expect(halvingPlan(10, 100, 10000, 2, 4)).toEqual([
      { images: 100, epochs: 4, trials: 10 },
      { images: 200, epochs: 4, trials: 5 },
      { images: 400, epochs: 4, trials: 3 },
      { images: 800, epochs: 4, trials: 2 },
    ]);
  });
  it('caps the images at the pool and stops there', () => {
    expect(halvingPlan(27, 1000, 2500, 3, 5)).toEqual([
      { images: 1000, epochs: 5, trials: 27 },
      { images: 2500, epochs: 5, trials: 9 },
    ]);
    expect(halvingPlan(1, 1000, 5000, 3, 2)).toEqual([{ images: 1000, epochs: 2, trials: 1 }]);
  });
  it('refuses nonsense', () => {
    expect(() => halvingPlan(0, 10, 20, 3, 1)).toThrow(/trials/);
    expect(() => halvingPlan(3, 40, 20, 3, 1)).toThrow(/maxImages/);
    expect(() => halvingPlan(3, 10, 20, 1, 1)).toThrow(/eta/);
    expect(() => halvingPlan(3, 10, 20, 3, 0)).toThrow(/epochs/);
  });
});

describe('mapPool', () => {
  it('keeps input order and never runs more than `concurrency` at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapPool([5, 1, 3, 2, 4], 2, async (x) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, x));
      running--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });
});

describe('successiveHalving', () => {
  it('trains every survivor once per rung, prunes by score and ranks further rungs first', async () => {
    const calls: string[] = [];
    // Trial value v scores |v - 3| at every rung: 3 is best, then 4 and 2 (a tie goes to the lower index).
    const ranked = await successiveHalving(
      [5, 3, 1, 4, 2, 6],
      halvingPlan(6, 10, 1000, 2, 1),
      async (v, index, rung) => {
        calls.push(`${index}:${rung}`);
        return { score: Math.abs(v - 3) + rung * 0 };
      },
      (o) => o.score,
      { concurrency: 3 },
    );
    expect(calls.filter((c) => c.endsWith(':0'))).toHaveLength(6);
    expect(calls.filter((c) => c.endsWith(':1')).sort()).toEqual(['1:1', '3:1', '4:1']);
    expect(calls.filter((c) => c.endsWith(':2')).sort()).toEqual(['1:2', '3:2']);
    expect(ranked.map((s) => s.trial)).toEqual([3, 4, 2, 5, 1, 6]);
    expect(ranked.map(reachedRung)).toEqual([2, 2, 1, 0, 0, 0]);
  });
  it('ranks NaN scores last', () => {
    const states = [
      { index: 0, trial: 'a', outcomes: [{ s: Number.NaN }] },
      { index: 1, trial: 'b', outcomes: [{ s: 2 }] },
    ];
    expect(rankStates(states, (o) => o.s).map((s) => s.trial)).toEqual(['b', 'a']);
  });
});
