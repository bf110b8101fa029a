import type { CommandIO } from './define.js';

type TrainCallbacks = import('@labkit/nn-core').TrainCallbacks;

/** Exit codes of a process ended by a signal, as shells report them (128 + signal number). */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT;
/** How often training lets a pending signal in: a stop request is seen within this and one batch. */
const YIELD_EVERY_MS = 50;

export interface Interrupt {
  /** Stops training after the current batch once a signal came (fit then writes a checkpoint). */
  callback: TrainCallbacks;
  /** The signal that stopped the run, if one did. */
  signal(): StopSignal | undefined;
  exitCode(): number;
  dispose(): void;
}

/**
 * Ctrl-C and SIGTERM during training stop it cleanly after the current batch: the run is
 * checkpointed where it is and the caller prints how to resume. Before training starts, or on a
 * second signal, the process ends at once with the one line `describe()` gives.
 */
export function interruptOnSignals(io: CommandIO, describe: () => string): Interrupt {
  let received: StopSignal | undefined;
  let training = false;
  let lastTurn = performance.now();
  const onSignal = (signal: StopSignal) => {
    if (received || !training) {
      io.stderr.write(`\n${describe()}\n`);
      process.exit(SIGNAL_EXIT[signal]);
    }
    received = signal;
    io.stderr.write(
      `\nstopping: finishing the current batch and saving a checkpoint (${signal})\n`,
    );
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    callback: {
      onTrainBegin() {
        training = true;
      },
      async onBatchEnd(_info, ctx) {
        // The batches of an epoch run back to back without returning to the event loop, where
        // signal handlers run: without a turn now and then, Ctrl-C would wait for the epoch's end.
        if (performance.now() - lastTurn > YIELD_EVERY_MS) {
          await new Promise((done) => setImmediate(done));
          lastTurn = performance.now();
        }
        if (received) ctx.stopTraining = true;
      },
      onTrainEnd() {
        training = false;
      },
    },
    signal: () => received,
    exitCode: () => (received ? SIGNAL_EXIT[received] : 0),
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
