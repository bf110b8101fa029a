/** Parallel search trials in worker processes, one job at a time per worker. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackendInfo } from '../backend/startup/select.js';
import type { TrialJob, TrialOutcome } from './search-trial.js';
import type { WorkerInit, WorkerReady } from './search-worker.js';

export interface SearchWorkers {
  runJob(job: TrialJob, slot: number): Promise<TrialOutcome>;
  /** The backend the workers train on (as the first one reported it). */
  backend: BackendInfo;
  /** Process ids of the workers. */
  pids: number[];
  /** Stops every worker at once (also in the middle of a trial); safe to call twice. */
  close(): void;
}

/** A search worker failed or ended before its trial was done. */
export class SearchWorkerError extends Error {
  override name = 'SearchWorkerError';
}

type Reply =
  | WorkerReady
  | { type: 'result'; id: number; outcome: TrialOutcome }
  | { type: 'error'; id: number; message: string };

/** Starts `count` workers, each loading the subset described by `init`; resolves once all are ready. */
export async function startSearchWorkers(
  count: number,
  init: Omit<WorkerInit, 'type'>,
): Promise<SearchWorkers> {
  const script = fileURLToPath(new URL('./search-worker.js', import.meta.url));
  const children: ChildProcess[] = [];
  const pending = new Map<
    number,
    { resolve: (o: TrialOutcome) => void; reject: (e: Error) => void }
  >();
  let nextId = 0;
  let stopping = false;
  const ready = Array.from({ length: count }, (_, slot) => {
    // Structured-clone IPC keeps Infinity and NaN (a diverged trial's score), which JSON would turn into null.
    const child = fork(script, [], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    children.push(child);
    return new Promise<BackendInfo>((resolve, reject) => {
      child.on('message', (reply: Reply) => {
        if (reply.type === 'ready') resolve(reply.backend);
        else if (reply.type === 'error' && reply.id === -1)
          reject(new SearchWorkerError(`search worker ${slot + 1}: ${reply.message}`));
        else {
          const job = pending.get(reply.id);
          pending.delete(reply.id);
          if (reply.type === 'result') job?.resolve(reply.outcome);
          else job?.reject(new SearchWorkerError(`search worker ${slot + 1}: ${reply.message}`));
        }
      });
      child.on('exit', (code, signal) => {
        if (stopping) return;
        const error = new SearchWorkerError(
          `search worker ${slot + 1} (pid ${child.pid}) ended ${signal ? `by ${signal}` : `with exit code ${code}`}`,
        );
        reject(error);
        for (const [id, job] of pending) {
          pending.delete(id);
          job.reject(error);
        }
      });
      child.send({ type: 'init', ...init } satisfies WorkerInit);
    });
  });
  // A worker holds nothing worth saving (finished trials are the parent's to write): kill it.
  const close = () => {
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  let backends: BackendInfo[];
  try {
    backends = await Promise.all(ready);
  } catch (error) {
    close();
    throw error;
  }
  return {
    backend: backends[0] as BackendInfo,
    pids: children.map((child) => child.pid as number),
    runJob(job, slot) {
      const child = children[slot % children.length] as ChildProcess;
      const id = nextId++;
      return new Promise<TrialOutcome>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ type: 'job', id, job });
      });
    },
    close,
  };
}
