import { describe, expect, it } from 'vitest';
import {
  createDownloadProgressReporter,
  formatBytes,
  formatDownloadProgress,
  formatDuration,
} from './progress.js';

describe('progress formatting', () => {
  it('formats sizes and durations', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(170_052_171)).toBe('170.1 MB');
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3h02m');
  });

  it('shows bar, percent, bytes, speed over this attempt and ETA', () => {
    // 50 MB of 100 MB, 10 MB of them resumed, 40 MB in 4 s: 10 MB/s, 5 s left.
    const line = formatDownloadProgress({ received: 50e6, total: 100e6, resumedFrom: 10e6 }, 4, 10);
    expect(line).toBe('[#####.....]   50.0%  50.0 MB / 100.0 MB  10.0 MB/s  ETA 5s');
  });

  it('omits percent and ETA when the size is unknown', () => {
    expect(formatDownloadProgress({ received: 2e6, resumedFrom: 0 }, 2)).toBe('2.0 MB  1.0 MB/s');
  });
});

describe('createDownloadProgressReporter', () => {
  it('writes a plain line per 10% when not on a terminal', () => {
    const lines: string[] = [];
    let t = 0;
    const reporter = createDownloadProgressReporter(
      (s) => lines.push(s),
      false,
      () => t,
    );
    for (let received = 0; received <= 1000; received += 50) {
      t += 100;
      reporter.update({ received, total: 1000, resumedFrom: 0 });
    }
    reporter.done();
    expect(lines).toHaveLength(11);
    expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(lines[5]).toMatch(/^50\.0% {2}500 B \/ 1\.0 kB/);
  });

  it('redraws one line at most every 100 ms on a terminal and ends it', () => {
    const out: string[] = [];
    let t = 0;
    const reporter = createDownloadProgressReporter(
      (s) => out.push(s),
      true,
      () => t,
    );
    for (let received = 0; received <= 1000; received += 10) {
      t += 20;
      reporter.update({ received, total: 1000, resumedFrom: 0 });
    }
    reporter.done();
    expect(out.length).toBeGreaterThan(15);
    expect(out.length).toBeLessThan(25);
    expect(out.at(-2)).toMatch(/^\r\[#{24}\] {2}100\.0%/);
    expect(out.at(-1)).toBe('\n');
  });
});
