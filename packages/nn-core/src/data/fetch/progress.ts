import type { DownloadProgress } from './download.js';

/** `1234567` -> `1.2 MB` (decimal units, as download tools show them). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `75` -> `1m15s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * One progress line: bar and percent (when the size is known), bytes, speed over this attempt, ETA.
 * `elapsed` is the seconds since this attempt started.
 */
export function formatDownloadProgress(
  p: DownloadProgress,
  elapsed: number,
  barWidth = 24,
): string {
  const speed = elapsed > 0 ? (p.received - p.resumedFrom) / elapsed : 0;
  const parts: string[] = [];
  if (p.total) {
    const fraction = Math.min(1, p.received / p.total);
    const filled = Math.round(fraction * barWidth);
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`);
    parts.push(`${(fraction * 100).toFixed(1).padStart(5)}%`);
    parts.push(`${formatBytes(p.received)} / ${formatBytes(p.total)}`);
  } else {
    parts.push(formatBytes(p.received));
  }
  parts.push(`${formatBytes(speed)}/s`);
  if (p.total && speed > 0) parts.push(`ETA ${formatDuration((p.total - p.received) / speed)}`);
  return parts.join('  ');
}

/**
 * Shows download progress: on a terminal, one line redrawn at most 10 times a second; elsewhere
 * (logs, pipes) a plain line at every 10% (or every 10 MB when the size is unknown).
 */
export function createDownloadProgressReporter(
  write: (text: string) => void,
  isTTY: boolean,
  now: () => number = () => performance.now(),
): { update: (p: DownloadProgress) => void; done: () => void } {
  let start = now();
  let attemptFrom = -1;
  let lastDraw = -Infinity;
  let lastStep = -1;
  let drawn = false;
  return {
    update(p) {
      if (p.resumedFrom !== attemptFrom) {
        attemptFrom = p.resumedFrom;
        start = now();
      }
      const t = now();
      const elapsed = (t - start) / 1000;
      const complete = p.total !== undefined && p.received >= p.total;
      if (isTTY) {
        if (t - lastDraw < 100 && !complete) return;
        lastDraw = t;
        drawn = true;
        write(`\r${formatDownloadProgress(p, elapsed)}\x1b[K`);
      } else {
        const step = p.total
          ? Math.floor((p.received / p.total) * 10)
          : Math.floor(p.received / 10_000_000);
        if (step === lastStep) return;
        lastStep = step;
        write(`${formatDownloadProgress(p, elapsed, 0).replace(/^\[\]\s+/, '')}\n`);
      }
    },
    done() {
      if (isTTY && drawn) write('\n');
      drawn = false;
    },
  };
}
