import type { Writable } from 'node:stream';
import type { EpochMetrics, TrainCallbacks } from './fit.js';
import { formatLoss } from './loss-format.js';

const percent = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(2)}%`);

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The one-line summary of an epoch that every labkit training command prints. */
export function formatEpoch(m: EpochMetrics, epochs: number): string {
  const val =
    m.valLoss === null ? '' : `  val loss ${formatLoss(m.valLoss)} acc ${percent(m.valAccuracy)}`;
  return (
    `epoch ${m.epoch}/${epochs}  train loss ${formatLoss(m.trainLoss)} acc ${percent(m.trainAccuracy)}${val}` +
    `  lr ${m.lr.toExponential(2)}  ${Math.round(m.samplesPerSec)} samples/s  ${m.seconds.toFixed(1)}s`
  );
}

export interface ProgressOptions {
  /** Where epoch summary lines go. */
  lines: Writable;
  /** Where the live bar goes; only drawn when this stream is a TTY. */
  bar: Writable & { isTTY?: boolean };
  /** Minimum milliseconds between redraws of the bar. */
  intervalMs?: number;
}

/**
 * Progress as a callback: on a terminal a bar with samples/s and ETA (epoch and run), redrawn in
 * place; otherwise only one plain line per epoch.
 */
export function progressCallback({
  lines,
  bar,
  intervalMs = 250,
}: ProgressOptions): TrainCallbacks {
  const tty = Boolean(bar.isTTY);
  let epochStart = 0;
  let epochSamples = 0;
  let lastDraw = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) bar.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    onEpochBegin() {
      epochStart = performance.now();
      epochSamples = 0;
    },
    onBatchEnd(info, ctx) {
      epochSamples += info.size;
      if (!tty) return;
      const now = performance.now();
      if (now - lastDraw < intervalMs && info.batch + 1 < info.batchesPerEpoch) return;
      lastDraw = now;
      const rate = epochSamples / ((now - epochStart) / 1000);
      const fraction = (info.batch + 1) / info.batchesPerEpoch;
      const width = 24;
      const filled = Math.round(fraction * width);
      const epochEta = (ctx.samplesPerEpoch - epochSamples) / rate;
      const runEta = epochEta + (ctx.epochs - info.epoch) * (ctx.samplesPerEpoch / rate);
      bar.write(
        `\r\x1b[2Kepoch ${info.epoch}/${ctx.epochs} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
          `${epochSamples}/${ctx.samplesPerEpoch}  loss ${formatLoss(info.loss)}  ${Math.round(rate)} samples/s  ` +
          `ETA ${formatDuration(epochEta)} (run ${formatDuration(runEta)})`,
      );
      drawn = true;
    },
    onEpochEnd(metrics, ctx) {
      clear();
      lines.write(`${formatEpoch(metrics, ctx.epochs)}\n`);
    },
    onTrainEnd() {
      clear();
    },
  };
}
