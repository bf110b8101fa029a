import type { CommandIO } from './define.js';
import { SIGNAL_EXIT, type StopSignal } from './interrupt.js';

/**
 * Ctrl-C and SIGTERM end the process at once, with exit code 130 or 143 and the one line
 * `onStop` returns (it also stops what must not outlive the process, e.g. worker processes).
 * For work that keeps its results as it goes, so that stopping mid-way loses nothing finished.
 */
export function exitOnStopSignals(
  io: CommandIO,
  onStop: (signal: StopSignal) => string,
): { dispose(): void } {
  const stop = (signal: StopSignal) => {
    io.stderr.write(`\n${onStop(signal)}\n`);
    process.exit(SIGNAL_EXIT[signal]);
  };
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
