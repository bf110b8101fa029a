/**
 * A search worker process: `fork`ed by {@link startSearchWorkers}, it prepares the same search data
 * as the parent (deterministic from the settings), then trains the trial jobs it is sent with
 * {@link trainTrial}, one at a time. Messages: parent -> `{type:'init', ...}` then
 * `{type:'job', id, job}`; child -> `{type:'ready'}`, `{type:'result', id, outcome}` or
 * `{type:'error', id, message}`.
 */
import { type BackendInfo, type BackendRequest, initBackend } from '../backend/startup/select.js';
import { loadCifar10 } from '../data/cifar10.js';
import { exitWithParent } from './parent-watch.js';
import { type SearchData, searchData, WhitenedViews } from './search-data.js';
import { type TrialJob, trainTrial } from './search-trial.js';

export interface WorkerInit {
  type: 'init';
  dataDir: string;
  /** Training images loaded (the search's `images` setting). */
  images: number;
  valImages: number;
  /** Refuse data files that are not whole CIFAR-10 batches (as the parent did). */
  fullFiles: boolean;
  seed: number;
  backend: BackendRequest;
  /** wasm threads (default: the automatic choice); a pool of several workers gives each 1. */
  threads?: number;
}

/** The worker's first reply: its backend is set up and its data loaded. */
export interface WorkerReady {
  type: 'ready';
  backend: BackendInfo;
}

type Message = WorkerInit | { type: 'job'; id: number; job: TrialJob };

let data: SearchData | undefined;
let views: WhitenedViews | undefined;
const send = (m: object) => process.send?.(m);

process.on('message', (message: Message) => {
  void (async () => {
    if (message.type === 'init') {
      try {
        const backend = await initBackend(message.backend, {
          ...(message.threads === undefined ? {} : { threads: message.threads }),
        });
        const images = await loadCifar10(message.dataDir, 'train', {
          limit: message.images,
          fullFiles: message.fullFiles,
        });
        data = searchData(images, message.valImages, message.seed);
        views = new WhitenedViews(data);
        send({ type: 'ready', backend } satisfies WorkerReady);
      } catch (error) {
        send({ type: 'error', id: -1, message: (error as Error).message });
      }
      return;
    }
    try {
      if (!data || !views) throw new Error('worker got a job before init');
      send({ type: 'result', id: message.id, outcome: await trainTrial(message.job, data, views) });
    } catch (error) {
      send({ type: 'error', id: message.id, message: (error as Error).message });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
exitWithParent();
// Ctrl-C in a terminal reaches the whole process group: the parent decides (it stops the workers,
// then tells the user how to resume), so a worker must not end on its own and look like a crash.
process.on('SIGINT', () => {});
