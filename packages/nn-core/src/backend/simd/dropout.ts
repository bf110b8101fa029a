import {
  F32,
  get,
  I32,
  I32_ADD,
  I32_SHL,
  i32Const,
  type KernelFunction,
  kernelLoader,
  set,
  simd,
  V128,
  V128_LOAD,
  V128_STORE,
  whileBelow,
} from './wasm-asm.js';

/**
 * Inverted dropout's masking pass, `dst = keep ? src * scale : 0`, with the keep decisions drawn
 * by four xorshift32 generators, one per SIMD lane: element 4g + l is kept when lane l's value
 * after its (g+1)-th update is >= `threshold` (unsigned), so P(keep) = 1 - threshold / 2^32.
 * The same seeds give the same mask, which is how the gradient pass reuses it without storing it.
 * `dropoutMask` is the scalar twin (cpu backend, sizes not divisible by 4); both give identical
 * results, so cpu and wasm runs drop the same units.
 *
 * Kernel `dropout(src, dst, n, seed0, seed1, seed2, seed3, threshold, scale)`: byte offsets, n a
 * multiple of 4, seeds non-zero.
 */

const xorShift = (state: number, op: number[], bits: number) => [
  ...get(state),
  ...get(state),
  ...i32Const(bits),
  ...op,
  ...simd(0x51), // v128.xor
  ...set(state),
];

// Params: 0 src, 1 dst, 2 n, 3-6 seeds, 7 threshold, 8 scale. Locals: 9 k, 10 end, 11 state,
// 12 threshold splat, 13 scale splat.
const [SRC, DST, N, SEED, THRESHOLD, SCALE] = [0, 1, 2, 3, 7, 8];
const [K, END_AT, STATE, THR, SC] = [9, 10, 11, 12, 13];

// biome-ignore format: assembly
function code(): number[] {
  return [
    ...get(SEED), ...simd(0x11), // i32x4.splat
    ...get(SEED + 1), ...simd(0x1c), 1, // i32x4.replace_lane 1
    ...get(SEED + 2), ...simd(0x1c), 2,
    ...get(SEED + 3), ...simd(0x1c), 3,
    ...set(STATE),
    ...get(THRESHOLD), ...simd(0x11), ...set(THR),
    ...get(SCALE), ...simd(0x13), ...set(SC), // f32x4.splat
    ...get(N), ...i32Const(2), I32_SHL, ...set(END_AT),
    ...whileBelow(K, END_AT, [
      ...xorShift(STATE, simd(0xab), 13), // i32x4.shl
      ...xorShift(STATE, simd(0xad), 17), // i32x4.shr_u
      ...xorShift(STATE, simd(0xab), 5),
      ...get(DST), ...get(K), I32_ADD,
      ...get(SRC), ...get(K), I32_ADD, ...V128_LOAD, ...get(SC), ...simd(0xe6), // f32x4.mul
      ...get(STATE), ...get(THR), ...simd(0x40), // i32x4.ge_u
      ...simd(0x4e), // v128.and
      ...V128_STORE,
      ...get(K), ...i32Const(16), I32_ADD, ...set(K),
    ]),
  ];
}

const DROPOUT: KernelFunction = {
  name: 'dropout',
  params: [I32, I32, I32, I32, I32, I32, I32, I32, F32],
  locals: [
    [2, I32],
    [3, V128],
  ],
  code: code(),
};

export const simdDropoutFor = kernelLoader<(...args: number[]) => void>(DROPOUT);

/** The unsigned threshold for a drop rate: P(value >= threshold) = 1 - rate. */
export function dropThreshold(rate: number): number {
  return Math.min(2 ** 32 - 1, Math.round(rate * 2 ** 32));
}

/** Scalar twin of the kernel on arrays, for any length. */
export function dropoutMask(
  src: Float32Array,
  dst: Float32Array,
  seeds: readonly [number, number, number, number],
  threshold: number,
  scale: number,
): void {
  const state = Uint32Array.from(seeds);
  const s = Math.fround(scale);
  for (let i = 0; i < src.length; i++) {
    const lane = i & 3;
    let x = state[lane] as number;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    state[lane] = x;
    dst[i] = (state[lane] as number) >= threshold ? Math.fround((src[i] as number) * s) : 0;
  }
}
