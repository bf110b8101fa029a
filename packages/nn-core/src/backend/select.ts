import { availableParallelism, loadavg } from 'node:os';
import * as tf from '../tfjs.js';
import { BACKENDS, type BackendName, type BackendRequest } from './names.js';
import { installWasmKernelOverrides, overriddenKernels } from './wasm-kernels/index.js';
import { initWasmWithThreads, wasmThreadCount } from './wasm-threads.js';

export { BACKENDS, type BackendName, type BackendRequest } from './names.js';

/** TF.js's own registry names for labkit's backend names. */
const TFJS_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

export interface BackendInfo {
  name: BackendName;
  /** Why a faster backend was not used, e.g. tfjs-node's load error. */
  fallbackReason?: string;
  /** wasm only: threads of its XNNPACK pool (fixed once the backend has initialised). */
  threads?: number;
  /** wasm only: kernels replaced by labkit's faster versions. */
  kernelOverrides?: string[];
}

export interface BackendOptions {
  /**
   * Threads for the wasm backend (default {@link defaultWasmThreads}). Takes effect only on the
   * process's first wasm initialisation; {@link BackendInfo.threads} tells what runs.
   */
  threads?: number;
}

/** What the automatic thread count looks at. */
export interface MachineLoad {
  /** Logical cores (`os.availableParallelism()`). */
  cores: number;
  /** One-minute load average (`os.loadavg()[0]`; 0 on Windows). */
  load: number;
}

/** At most this many wasm threads by default: XNNPACK's products at batch 128 scale no further. */
export const MAX_AUTO_THREADS = 4;

/**
 * `LABKIT_WASM_THREADS` when set to a whole number >= 1; unset or `auto`, the cores that look idle:
 * round(cores - load average), between 1 and {@link MAX_AUTO_THREADS}. A thread on a busy core
 * makes every product wait for it (XNNPACK splits each product evenly), so extra threads pay only
 * on idle cores: on 2 cores, 2 threads trained faster than 1 when the second core was idle
 * (bench-train-labkit-1-thread and -2-threads in results/measurements.json), and slower when
 * another job held it.
 */
export function defaultWasmThreads(
  env: NodeJS.ProcessEnv = process.env,
  machine: MachineLoad = { cores: availableParallelism(), load: loadavg()[0] ?? 0 },
): number {
  const raw = env.LABKIT_WASM_THREADS?.trim();
  if (raw !== undefined && raw !== '' && raw !== 'auto') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`LABKIT_WASM_THREADS must be a whole number >= 1 or "auto", got "${raw}"`);
    return n;
  }
  return Math.max(1, Math.min(MAX_AUTO_THREADS, Math.round(machine.cores - machine.load)));
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
      'for the native backend, npm install @tensorflow/tfjs-node where that download works)'
    );
  }
  if (firstLine(error).includes('tfjs_binding.node')) {
    return (
      'installed without its native library (its install step could not download libtensorflow; ' +
      'reinstall @tensorflow/tfjs-node where that download works)'
    );
  }
  return firstLine(error);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

async function setBackend(name: BackendName, options: BackendOptions): Promise<boolean> {
  if (name !== 'wasm') return tf.setBackend(TFJS_NAME[name]);
  await import('@tensorflow/tfjs-backend-wasm');
  installWasmKernelOverrides();
  return initWasmWithThreads(options.threads ?? defaultWasmThreads(), () => tf.setBackend('wasm'));
}

async function activate(name: BackendName, options: BackendOptions): Promise<BackendInfo> {
  if (name === 'node') {
    const failure = await loadTfjsNode();
    if (failure) {
      throw new Error(
        `@tensorflow/tfjs-node is not available: ${failure} (use --backend wasm or auto, or install it: see 'labkit info')`,
      );
    }
  }
  const ok = await setBackend(name, options);
  if (!ok) throw new Error(`TF.js backend '${name}' failed to initialise`);
  await tf.ready();
  if (name !== 'wasm') return { name };
  return { name, threads: await wasmThreadCount(), kernelOverrides: overriddenKernels('wasm') };
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
  const settings = { ...options, threads: options.threads ?? defaultWasmThreads() };
  if (request !== 'auto') return activate(request, settings);
  const reasons: string[] = [];
  for (const name of BACKENDS) {
    try {
      const info = await activate(name, settings);
      return reasons.length ? { ...info, fallbackReason: reasons.join('; ') } : info;
    } catch (error) {
      reasons.push(`${name}: ${firstLine(error)}`);
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
