/** Starting the recipe worker from a page, and where the site serves TF.js's wasm binaries. */
import { withBase } from 'vitepress';
import type { WorkerReply, WorkerRequest } from './protocol.js';

/** Folder of the site (public/, filled at build time) that holds TF.js's wasm binaries. */
export const WASM_DIR = '/tfjs-wasm/';

/** The absolute URL prefix a worker needs (it has no page to resolve relative URLs against). */
export function wasmPrefix(): string {
  return new URL(withBase(WASM_DIR), location.href).href;
}

/**
 * Starts a recipe worker, sends it `request` (transferring `transfer`) and calls `onReply` with
 * every message until it is terminated. Returns the worker so the page can stop it.
 */
export function startRecipeWorker(
  request: WorkerRequest,
  transfer: Transferable[],
  onReply: (reply: WorkerReply) => void,
): Worker {
  const worker = new Worker(new URL('./recipe-worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<WorkerReply>) => onReply(event.data);
  worker.onerror = (event) =>
    onReply({ kind: 'error', message: event.message || 'the worker failed to start' });
  worker.postMessage(request, transfer);
  return worker;
}
