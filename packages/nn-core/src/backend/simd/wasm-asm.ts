/**
 * Just enough of a WebAssembly assembler to build labkit's small SIMD kernels (`simd/adam.ts`,
 * `simd/transpose.ts`) as bytes at run time: one exported function that works on the wasm
 * backend's own memory, imported as `env.memory` (shared for the threaded build). No toolchain,
 * no binary blobs in the repo; each kernel is tested against a scalar reference.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Unsigned LEB128, as WebAssembly encodes indices and sizes. */
export function leb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

const text = (s: string) => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];

// Instructions used by the kernels.
export const get = (i: number) => [0x20, ...leb(i)];
export const set = (i: number) => [0x21, ...leb(i)];
export const i32Const = (v: number) => [0x41, ...signedLeb(v)];
export const simd = (op: number) => [0xfd, ...leb(op)];
const MEMARG = [0x02, 0x00]; // align 2^2 (float32), offset 0
export const V128_LOAD = [...simd(0x00), ...MEMARG];
export const V128_STORE = [...simd(0x0b), ...MEMARG];
/** Memory immediates with a constant byte offset (float32 alignment). */
export const v128LoadAt = (offset: number) => [...simd(0x00), 0x02, ...leb(offset)];
export const v128StoreAt = (offset: number) => [...simd(0x0b), 0x02, ...leb(offset)];
/** v128.load32_splat: one float32 from memory in all four lanes. */
export const load32SplatAt = (offset: number) => [...simd(0x09), 0x02, ...leb(offset)];
export const V128_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
export const F32X4_ADD = simd(0xe4);
export const F32X4_MUL = simd(0xe6);
/** Relaxed SIMD: a·b + c, fused or not as the engine chooses (proposal opcode 0x105). */
export const F32X4_RELAXED_MADD = simd(0x105);
export const I32_ADD = 0x6a;
export const I32_MUL = 0x6c;
export const I32_SHL = 0x74;
export const I32_GE_U = 0x4f;
export const BLOCK = [0x02, 0x40];
export const IF = [0x04, 0x40];
export const ELSE = 0x05;
export const LOOP = [0x03, 0x40];
export const END = 0x0b;
export const brIf = (depth: number) => [0x0d, depth];
export const br = (depth: number) => [0x0c, depth];

/**
 * `while (counter < limit) body` on i32 locals (unsigned compare); the body advances the counter.
 * The only control flow the kernels need.
 */
export function whileBelow(counter: number, limit: number, body: number[]): number[] {
  // biome-ignore format: assembly
  return [
    ...BLOCK, ...LOOP,
    ...get(counter), ...get(limit), I32_GE_U, ...brIf(1),
    ...body,
    ...br(0), END, END,
  ];
}

/** i8x16.shuffle of two vectors by 32-bit lanes (0-3 from the first, 4-7 from the second). */
export function shuffle32(lanes: readonly [number, number, number, number]): number[] {
  return [...simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export interface KernelFunction {
  name: string;
  params: number[];
  /** Local declarations after the parameters, as [count, type] runs. */
  locals: [number, number][];
  code: number[];
}

/** A module exporting one function (no results) that imports `env.memory`. */
export function moduleBytes(fn: KernelFunction, sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const type = [1, 0x60, ...leb(fn.params.length), ...fn.params, 0];
  // Shared memories must declare a maximum; 65536 pages (4 GiB) admits any.
  const limits = sharedMemory ? [0x03, 0, ...leb(65536)] : [0x00, 0];
  const imports = [1, ...text('env'), ...text('memory'), 0x02, ...limits];
  const exports = [1, ...text(fn.name), 0x00, 0];
  const locals = [...leb(fn.locals.length), ...fn.locals.flatMap(([n, t]) => [...leb(n), t])];
  const body = [...locals, ...fn.code, END];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, type),
    ...section(2, imports),
    ...section(3, [1, 0]),
    ...section(7, exports),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

/**
 * Whether a wasm memory is shared (the threaded build). `SharedArrayBuffer` itself is undefined in
 * a browser page that is not cross-origin isolated, where memories are never shared.
 */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/**
 * Instantiates `fn` against `memory` once per memory and returns its export, or null when this
 * engine cannot compile it (e.g. no SIMD): callers then use their scalar path.
 */
export function kernelLoader<K>(fn: KernelFunction): (memory: WebAssembly.Memory) => K | null {
  const cache = new WeakMap<WebAssembly.Memory, K | null>();
  return (memory) => {
    let kernel = cache.get(memory);
    if (kernel === undefined) {
      try {
        const shared = isSharedMemory(memory);
        const module = new WebAssembly.Module(moduleBytes(fn, shared));
        const instance = new WebAssembly.Instance(module, { env: { memory } });
        kernel = instance.exports[fn.name] as K;
      } catch {
        kernel = null;
      }
      cache.set(memory, kernel);
    }
    return kernel;
  };
}
