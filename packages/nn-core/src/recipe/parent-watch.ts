/**
 * Ties a child process's life to its parent's. A search worker spends minutes inside synchronous
 * TF.js and whitening work, so neither its IPC `disconnect` event nor a signal handler would run
 * in time; a worker thread watches instead and kills the process as soon as the parent is gone,
 * however the parent ended (also `kill -9`, which gives the parent no chance to stop it).
 */
import { Worker } from 'node:worker_threads';

/** How often the watching thread looks at the parent (ms): the worst-case delay before exit. */
const POLL_MS = 100;

// A dead parent's children are re-parented (to init or a subreaper), so the parent pid changes.
const WATCH = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.ppid) process.kill(workerData.pid, 'SIGKILL');
}, workerData.pollMs);
`;

/** Starts the watch; it never keeps the process alive by itself. */
export function exitWithParent(): void {
  const watcher = new Worker(WATCH, {
    eval: true,
    workerData: { ppid: process.ppid, pid: process.pid, pollMs: POLL_MS },
  });
  watcher.unref();
}
