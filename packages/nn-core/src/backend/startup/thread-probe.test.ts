import { describe, expect, it } from 'vitest';
import {
  describeProbe,
  MIN_THREAD_EFFICIENCY,
  probeThreads,
  type ThreadProbe,
  threadsFromProbe,
} from './thread-probe.js';

const probe = (...shares: number[]): ThreadProbe => ({
  coreRate: 100,
  slowestRate: shares.map((share, i) => ({ threads: i + 2, rate: 100 * share })),
  elapsedMs: 200,
});

describe('threadsFromProbe', () => {
  it('uses every core whose thread keeps pace with a free core', () => {
    expect(threadsFromProbe(probe(0.97))).toBe(2);
    expect(threadsFromProbe(probe(0.95, 0.93, 0.9))).toBe(4);
  });

  it('stops below the efficiency bar: a thread on a busy core holds back every product', () => {
    // Another job on the second core: the second thread runs at about half speed.
    expect(threadsFromProbe(probe(0.5))).toBe(1);
    expect(threadsFromProbe(probe(MIN_THREAD_EFFICIENCY - 0.01))).toBe(1);
    expect(threadsFromProbe(probe(MIN_THREAD_EFFICIENCY))).toBe(2);
    // 4 cores, one busy: 3 threads run free, the fourth would share.
    expect(threadsFromProbe(probe(0.96, 0.94, 0.5))).toBe(3);
  });

  it('never skips a failing count on the strength of a larger one', () => {
    expect(threadsFromProbe(probe(0.5, 0.95))).toBe(1);
  });

  it('says what it measured', () => {
    expect(describeProbe(probe(0.5, 0.9))).toBe(
      'probe 200 ms; slowest thread against a free core: 2 threads 50%, 3 threads 90%',
    );
  });
});

describe('probeThreads', () => {
  it('measures each thread count from 2 up, never faster than a free core', async () => {
    const result = await probeThreads(3);
    expect(result.coreRate).toBeGreaterThan(0);
    expect(result.slowestRate.map((r) => r.threads)).toEqual([2, 3]);
    for (const { rate } of result.slowestRate) {
      expect(rate).toBeGreaterThan(0);
      expect(rate).toBeLessThanOrEqual(result.coreRate);
    }
    expect([1, 2, 3]).toContain(threadsFromProbe(result));
  });

  it('measures nothing beyond one thread when one is all it may use', async () => {
    const result = await probeThreads(1);
    expect(result.slowestRate).toEqual([]);
    expect(threadsFromProbe(result)).toBe(1);
  });
});
