import * as tf from '@tensorflow/tfjs';
import { installWasmKernelOverrides } from './wasm-kernels/index.js';

/** Backends labkit can train on, fastest first. `node` is the native libtensorflow binding. */
export const BACKENDS = ['node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendRequest = BackendName | 'auto';

/** TF.js's own registry names for labkit's backend names. */
const TFJS_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

export interface BackendInfo {
  name: BackendName;
  /** Why a faster backend was not used, e.g. tfjs-node's load error. */
  fallbackReason?: string;
}

let tfjsNodeProbe: Promise<string | undefined> | undefined;

/** Loads `@tensorflow/tfjs-node` once; resolves to the reason it failed, or undefined. */
export function loadTfjsNode(): Promise<string | undefined> {
  tfjsNodeProbe ??= import('@tensorflow/tfjs-node' as string).then(
    () => undefined,
    (error: unknown) => firstLine(error),
  );
  return tfjsNodeProbe;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

async function registerWasm(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  installWasmKernelOverrides();
}

async function activate(name: BackendName): Promise<void> {
  if (name === 'node') {
    const failure = await loadTfjsNode();
    if (failure) throw new Error(`@tensorflow/tfjs-node is not available: ${failure}`);
  } else if (name === 'wasm') {
    await registerWasm();
  }
  const ok = await tf.setBackend(TFJS_NAME[name]);
  if (!ok) throw new Error(`TF.js backend '${name}' failed to initialise`);
  await tf.ready();
}

/**
 * Selects and initialises a backend. `auto` tries tfjs-node, then the tuned wasm backend, then
 * the pure-JavaScript cpu backend, and reports why each faster one was passed over.
 */
export async function initBackend(request: BackendRequest = 'auto'): Promise<BackendInfo> {
  if (request !== 'auto') {
    await activate(request);
    return { name: request };
  }
  const reasons: string[] = [];
  for (const name of BACKENDS) {
    try {
      await activate(name);
      return reasons.length ? { name, fallbackReason: reasons.join('; ') } : { name };
    } catch (error) {
      reasons.push(`${name}: ${firstLine(error)}`);
    }
  }
  throw new Error(`no TF.js backend could be initialised (${reasons.join('; ')})`);
}

/** Describes a backend for logs: `wasm (tfjs-node unavailable: ...)`. */
export function describeBackend(info: BackendInfo): string {
  return info.fallbackReason ? `${info.name} (fell back: ${info.fallbackReason})` : info.name;
}
