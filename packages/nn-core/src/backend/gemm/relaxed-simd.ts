import {
  F32X4_RELAXED_MADD,
  get,
  I32,
  type KernelFunction,
  moduleBytes,
  v128LoadAt,
  v128StoreAt,
} from '../simd/wasm-asm.js';

/**
 * Relaxed SIMD (`f32x4.relaxed_madd`) is on by default in current browsers; Node 20's V8 has it
 * behind `--experimental-wasm-relaxed-simd`, which takes effect for modules compiled after it is
 * set at run time (checked on Node 20.20). `process.getBuiltinModule` keeps this file free of
 * `node:` imports, so it also loads in a browser, where there is no flag to set.
 */
function enableInNode(): void {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const v8 = proc?.getBuiltinModule?.('node:v8') as
    | { setFlagsFromString(flags: string): void }
    | undefined;
  v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/** `probe(at)`: v128 at `at + 48` ← relaxed_madd(v128 at `at`, at `at + 16`, at `at + 32`). */
const PROBE: KernelFunction = {
  name: 'probe',
  params: [I32],
  locals: [],
  // biome-ignore format: assembly
  code: [
    ...get(0),
    ...get(0), ...v128LoadAt(0), ...get(0), ...v128LoadAt(16), ...get(0), ...v128LoadAt(32),
    ...F32X4_RELAXED_MADD,
    ...v128StoreAt(48),
  ],
};

let supported: boolean | undefined;

/**
 * True when this engine compiles `f32x4.relaxed_madd` (after enabling it in Node). Call before
 * compiling a kernel that uses it.
 */
export function relaxedSimdAvailable(): boolean {
  if (supported === undefined) {
    enableInNode();
    supported = WebAssembly.validate(moduleBytes(PROBE, false));
  }
  return supported;
}

/**
 * Whether `f32x4.relaxed_madd` runs as one fused multiply-add here (one rounding) or as a
 * multiply and an add (two), told apart by a product whose low bits the separate multiply
 * rounds away: (1 + 2⁻¹²)² − 1 is 2⁻¹¹ + 2⁻²⁴ fused, 2⁻¹¹ unfused. Undefined without relaxed SIMD.
 */
export function relaxedMaddFuses(): boolean | undefined {
  if (!relaxedSimdAvailable()) return undefined;
  const memory = new WebAssembly.Memory({ initial: 1 });
  const { probe } = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(PROBE, false)), {
    env: { memory },
  }).exports as { probe: (at: number) => void };
  const f = new Float32Array(memory.buffer);
  const x = 1 + 2 ** -12;
  f.set([x, x, x, x, x, x, x, x, -1, -1, -1, -1]);
  probe(0);
  return f[12] === 2 ** -11 + 2 ** -24;
}
