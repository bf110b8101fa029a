import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '../../tfjs.js';

/**
 * Runs the wasm backend's multi-threaded build (XNNPACK on a pthread pool) in Node, which TF.js
 * 4.22 does not do by itself (tfjs issue 3830). Three things stand in its way, each bridged
 * here without changing TF.js's files:
 *
 * 1. TF.js reports `WASM_HAS_MULTITHREAD_SUPPORT` false in Node: the flag is set to true.
 * 2. Emscripten's pthread workers are started from a `blob:` URL, which Node's `Worker` refuses
 *    (ERR_WORKER_PATH): while the backend initialises, `URL.createObjectURL` hands out a real file
 *    holding the same worker script instead. The worker itself loads the backend's main script
 *    from another blob, so the file starts with a line that points that blob at the package's
 *    own copy of the script.
 * 3. The backend sizes its pool as min(requested, logical cores / 2), assuming two hyperthreads
 *    per core; on a 2-vCPU machine that is always 1. While the module instantiates, `os.cpus()`
 *    reports twice the real count so that the requested count, up to the real core count, holds.
 *
 * Everything is restored once the backend is up, and the pool's workers are unreferenced so that
 * they do not keep Node running. The thread count is fixed for the life of the
 * process: the wasm backend initialises once.
 */

const require = createRequire(import.meta.url);

let workerDir: string | undefined;

/** Writes the pthread worker script to a temporary file (removed when the process exits). */
function writeWorkerScript(): string {
  const mainScript = require.resolve(
    '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js',
  );
  const { wasmWorkerContents } = require(
    join(dirname(mainScript), 'tfjs-backend-wasm-threaded-simd.worker.js'),
  ) as {
    wasmWorkerContents: string;
  };
  workerDir ??= mkdtempSync(join(os.tmpdir(), 'labkit-wasm-'));
  const dir = workerDir;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'pthread-worker.cjs');
  const pointMainScriptBlobAtFile = `URL.createObjectURL = () => ${JSON.stringify(mainScript)}; URL.revokeObjectURL = () => {};\n`;
  // TF.js escapes newlines the same way before it turns this source into a blob.
  writeFileSync(file, pointMainScriptBlobAtFile + wasmWorkerContents.replace(/\n/g, '\\n'));
  return file;
}

/**
 * Initialises the wasm backend with `threads` threads (1 = the single-threaded SIMD build) by
 * running `init` (which must call `tf.setBackend('wasm')`) with the bridges above in place.
 */
export async function initWasmWithThreads(
  threads: number,
  init: () => Promise<boolean>,
): Promise<boolean> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (threads <= 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return init();
  }
  const workerFile = writeWorkerScript();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  const realCpus = cpus.call(os);
  URL.createObjectURL = (blob: Blob) =>
    blob instanceof Blob && blob.type === 'application/javascript'
      ? workerFile
      : createObjectURL(blob);
  os.cpus = () => [...realCpus, ...realCpus];
  try {
    const ok = await init();
    if (ok) letProcessExitWithPoolRunning();
    return ok;
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
}

interface PThreadRuntime {
  PThread?: { runningWorkers?: { unref?: () => void }[] };
}

/**
 * Emscripten keeps a Node worker referenced while its pthread runs, and XNNPACK's pool threads
 * run for the life of the backend, so Node would never exit. They hold no work of their own
 * between kernels, so they must not keep the process alive.
 */
function letProcessExitWithPoolRunning(): void {
  const runtime = (tf.backend() as unknown as { wasm?: PThreadRuntime }).wasm;
  for (const worker of runtime?.PThread?.runningWorkers ?? []) worker.unref?.();
}

/** Threads the initialised wasm backend runs on (1 when it is single-threaded or not running). */
export async function wasmThreadCount(): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  try {
    return Math.max(1, wasm.getThreadsCount());
  } catch {
    return 1;
  }
}
