import { availableParallelism } from 'node:os';
import { ConfigurationError } from '../../configuration-error.js';
import * as tf from '../../tfjs.js';
import { installWasmKernelOverrides, overriddenKernels } from '../wasm-kernels/index.js';
import type { BackendInfo } from './backend-info.js';
import { BACKENDS, type BackendName, type BackendRequest } from './names.js';
import { tfjsNodeInstallAdvice } from './tfjs-node-advice.js';
import { describeProbe, probeThreads, threadsFromProbe } from './thread-probe.js';
import { initWasmWithThreads, wasmThreadCount } from './wasm-threads.js';

export { BACKENDS, type BackendName, type BackendRequest } from './names.js';

/** TF.js's own registry names for labkit's backend names. */
const TFJS_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

export type { BackendInfo } from './backend-info.js';

export interface BackendOptions {
  /**
   * Threads for the wasm backend (default: `LABKIT_WASM_THREADS`, else {@link autoWasmThreads}).
   * Takes effect only on the process's first wasm initialisation; {@link BackendInfo.threads}
   * tells what runs.
   */
  threads?: number;
}

/** At most this many wasm threads by default: XNNPACK's products at batch 128 scale no further. */
export const MAX_AUTO_THREADS = 4;

/**
 * `LABKIT_WASM_THREADS` as a whole number >= 1; undefined when unset, blank or `auto`. Anything
 * else is an error, so that a typo never falls back silently.
 */
export function threadsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.LABKIT_WASM_THREADS?.trim();
  if (raw === undefined || raw === '' || raw === 'auto') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`LABKIT_WASM_THREADS must be a whole number >= 1 or "auto", got "${raw}"`);
  return n;
}

/**
 * The automatic thread count: as many threads (up to `MAX_AUTO_THREADS` and the core count)
 * as a short probe finds running at close to a free core's speed at once. A thread on a busy core
 * makes every product wait for it, since XNNPACK splits each product evenly: on 2 cores, 2 threads
 * trained faster than 1 when the second core was idle (bench-train-labkit-1-thread and -2-threads
 * in results/measurements.json), and slower when another job held it.
 */
export async function autoWasmThreads(
  cores: number = availableParallelism(),
): Promise<{ threads: number; choice: string }> {
  const limit = Math.min(cores, MAX_AUTO_THREADS);
  if (limit <= 1) return { threads: 1, choice: `auto: ${cores} core` };
  const probe = await probeThreads(limit);
  return { threads: threadsFromProbe(probe), choice: `auto: ${describeProbe(probe)}` };
}

/** The thread count to start wasm with, and where it came from. */
async function wasmThreads(options: BackendOptions): Promise<{ threads: number; choice: string }> {
  if (options.threads !== undefined) return { threads: options.threads, choice: 'requested' };
  const fromEnv = threadsFromEnv();
  if (fromEnv !== undefined) return { threads: fromEnv, choice: 'LABKIT_WASM_THREADS' };
  return autoWasmThreads();
}

let tfjsNodeProbe: Promise<string | undefined> | undefined;

/** Loads `@tensorflow/tfjs-node` once; resolves to the reason it failed, or undefined. */
export function loadTfjsNode(): Promise<string | undefined> {
  tfjsNodeProbe ??= import('@tensorflow/tfjs-node' as string).then(
    () => undefined,
    (error: unknown) => tfjsNodeFailure(error),
  );
  return tfjsNodeProbe;
}

/** Says why tfjs-node did not load in words a user can act on. */
function tfjsNodeFailure(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return (
      'not installed (its install step downloads libtensorflow, which failed or was skipped: ' +
      `${tfjsNodeInstallAdvice()})`
    );
  }
  if (firstLine(error).includes('tfjs_binding.node')) {
    return (
      'installed without its native library (its install step could not download libtensorflow: ' +
      `${tfjsNodeInstallAdvice()})`
    );
  }
  return firstLine(error);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

async function startWasm(options: BackendOptions): Promise<string | undefined> {
  await import('@tensorflow/tfjs-backend-wasm');
  installWasmKernelOverrides();
  // The pool is sized once per process: a later call only switches back to the running backend.
  if (wasmThreadChoice !== undefined)
    return (await tf.setBackend('wasm')) ? wasmThreadChoice : undefined;
  const { threads, choice } = await wasmThreads(options);
  if (!(await initWasmWithThreads(threads, () => tf.setBackend('wasm')))) return undefined;
  wasmThreadChoice = choice;
  return choice;
}

/** Where the running wasm pool's thread count came from; undefined until wasm has started. */
let wasmThreadChoice: string | undefined;

/** tfjs-node did not load (a configuration error); `reason` says why in words a user can act on. */
class TfjsNodeUnavailableError extends ConfigurationError {
  constructor(readonly reason: string) {
    super(`@tensorflow/tfjs-node is not available: ${reason}; or use --backend wasm or auto`);
  }
}

async function activate(name: BackendName, options: BackendOptions): Promise<BackendInfo> {
  if (name === 'node') {
    const failure = await loadTfjsNode();
    if (failure) throw new TfjsNodeUnavailableError(failure);
  }
  if (name !== 'wasm') {
    if (!(await tf.setBackend(TFJS_NAME[name])))
      throw new Error(`TF.js backend '${name}' failed to initialise`);
    await tf.ready();
    if (name === 'cpu') firstWriteQuietly();
    return { name };
  }
  const threadChoice = await startWasm(options);
  if (threadChoice === undefined) throw new Error(`TF.js backend 'wasm' failed to initialise`);
  await tf.ready();
  return {
    name,
    threads: await wasmThreadCount(),
    kernelOverrides: overriddenKernels('wasm'),
    threadChoice,
  };
}

/**
 * In Node the cpu backend's first tensor prints a three-line banner asking to install tfjs-node,
 * which reads like an error (and labkit already said which backend runs and why): that one write
 * happens with TF.js's warnings off.
 */
function firstWriteQuietly(): void {
  const prod = tf.env().getBool('PROD');
  tf.env().set('PROD', true);
  try {
    tf.tensor1d([0]).dispose();
  } finally {
    tf.env().set('PROD', prod);
  }
}

/**
 * Selects and initialises a backend. `auto` tries tfjs-node, then the tuned wasm backend, then
 * the pure-JavaScript cpu backend, and reports why each faster one was passed over.
 */
export async function initBackend(
  request: BackendRequest = 'auto',
  options: BackendOptions = {},
): Promise<BackendInfo> {
  // Read LABKIT_WASM_THREADS up front so that a bad value is an error, not a silent fallback.
  const settings = { ...options, threads: options.threads ?? threadsFromEnv() };
  if (request !== 'auto') return activate(request, settings);
  const reasons: string[] = [];
  for (const name of BACKENDS) {
    try {
      const info = await activate(name, settings);
      return reasons.length ? { ...info, fallbackReason: reasons.join('; ') } : info;
    } catch (error) {
      // The reason alone: the advice to pick another backend belongs to --backend node, not to auto.
      const reason = error instanceof TfjsNodeUnavailableError ? error.reason : firstLine(error);
      reasons.push(`${name}: ${reason}`);
    }
  }
  throw new Error(`no TF.js backend could be initialised (${reasons.join('; ')})`);
}

/** The backends passed over, in a few words: `tfjs-node not installed`, `wasm failed to start`. */
export function fallbackSummary(reason: string): string {
  return reason
    .split('; ')
    .map((part) => {
      const name = part.slice(0, part.indexOf(':'));
      const label = name === 'node' ? 'tfjs-node' : name;
      return part.includes(': not installed')
        ? `${label} not installed`
        : `${label} failed to start`;
    })
    .join(', ');
}

/**
 * Describes a backend for logs in one short line: `wasm, 2 threads`, or with a fall-back
 * `tfjs-node not installed; using wasm, 2 threads — 'labkit info' for details`. The full reason
 * and the tuned kernels are in `labkit info` and in a run's `run.json`.
 */
export function describeBackend(info: BackendInfo): string {
  const parts: string[] = [info.name];
  if (info.threads !== undefined)
    parts.push(`${info.threads} thread${info.threads === 1 ? '' : 's'}`);
  const text = parts.join(', ');
  if (!info.fallbackReason) return text;
  return `${fallbackSummary(info.fallbackReason)}; using ${text} — 'labkit info' for details`;
}
