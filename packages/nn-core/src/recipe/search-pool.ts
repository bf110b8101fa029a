/** Parallel search trials in worker processes, one job at a time per worker. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TrialJob, TrialOutcome } from './search-trial.js';
import type { WorkerInit } from './search-worker.js';

export interface SearchWorkers {
  runJob(job: TrialJob, slot: number): Promise<TrialOutcome>;
  close(): void;
}

type Reply =
  | { type: 'ready' }
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
  const ready = Array.from({ length: count }, (_, slot) => {
    // Structured-clone IPC keeps Infinity and NaN (a diverged trial's score), which JSON would turn into null.
    const child = fork(script, [], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    children.push(child);
    return new Promise<void>((resolve, reject) => {
      child.on('message', (reply: Reply) => {
        if (reply.type === 'ready') resolve();
        else if (reply.type === 'error' && reply.id === -1)
          reject(new Error(`search worker ${slot + 1}: ${reply.message}`));
        else {
          const job = pending.get(reply.id);
          pending.delete(reply.id);
          if (reply.type === 'result') job?.resolve(reply.outcome);
          else job?.reject(new Error(`search worker ${slot + 1}: ${reply.message}`));
        }
      });
      child.on('exit', (code) => {
        const error = new Error(`search worker ${slot + 1} exited with code ${code}`);
        reject(error);
        for (const [id, job] of pending) {
          pending.delete(id);
          job.reject(error);
        }
      });
      child.send({ type: 'init', ...init } satisfies WorkerInit);
    });
  });
  const close = () => {
    for (const child of children) if (child.connected) child.disconnect();
  };
  try {
    await Promise.all(ready);
  } catch (error) {
    close();
    throw error;
  }
  return {
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
