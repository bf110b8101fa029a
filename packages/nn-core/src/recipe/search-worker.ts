/**
 * A search worker process: `fork`ed by {@link startSearchWorkers}, it loads the same subset as the
 * parent, then trains the trial jobs it is sent with {@link trainTrial}, one at a time.
 * Messages: parent -> `{type:'init', ...}` then `{type:'job', id, job}`; child -> `{type:'ready'}`,
 * `{type:'result', id, outcome}` or `{type:'error', id, message}`.
 */
import { type BackendName, initBackend } from '../backend/select.js';
import { loadCifar10 } from '../data/cifar10.js';
import { type SearchData, searchData, type TrialJob, trainTrial } from './search.js';

export interface WorkerInit {
  type: 'init';
  dataDir: string;
  subset: number;
  valSplit: number;
  seed: number;
  backend: BackendName;
}

type Message = WorkerInit | { type: 'job'; id: number; job: TrialJob };

let data: SearchData | undefined;
const send = (m: object) => process.send?.(m);

process.on('message', (message: Message) => {
  void (async () => {
    if (message.type === 'init') {
      try {
        // One thread each: the pool already puts a worker on every core it uses.
        await initBackend(message.backend, { threads: 1 });
        const subset = await loadCifar10(message.dataDir, 'train', { limit: message.subset });
        data = searchData(subset, message.valSplit, message.seed);
        send({ type: 'ready' });
      } catch (error) {
        send({ type: 'error', id: -1, message: (error as Error).message });
      }
      return;
    }
    try {
      if (!data) throw new Error('worker got a job before init');
      send({ type: 'result', id: message.id, outcome: await trainTrial(message.job, data) });
    } catch (error) {
      send({ type: 'error', id: message.id, message: (error as Error).message });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
