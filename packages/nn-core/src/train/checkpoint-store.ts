import type { SavedTensor } from './optimizer.js';

/**
 * A checkpoint: JSON-able state plus named tensor lists (model weights, optimizer state, best
 * weights), stored as one file so that it is replaced atomically as a whole.
 */
export interface Checkpoint<S = unknown> {
  state: S;
  tensors: Record<string, SavedTensor[]>;
}

/**
 * Where the training loop keeps its checkpoint. In Node a file (`checkpointFile` in
 * checkpoint.ts); the loop itself touches no file system, so it also runs in a browser.
 */
export interface CheckpointStore {
  /** Names the checkpoint in errors (its path). */
  readonly name: string;
  /** The stored checkpoint, or null when there is none yet. */
  read<S>(): Promise<Checkpoint<S> | null>;
  write(checkpoint: Checkpoint): Promise<void>;
}
