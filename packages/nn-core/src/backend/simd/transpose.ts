import {
  get,
  I32,
  I32_ADD,
  I32_MUL,
  I32_SHL,
  i32Const,
  type KernelFunction,
  kernelLoader,
  set,
  shuffle32,
  V128,
  V128_LOAD,
  V128_STORE,
  whileBelow,
} from './wasm-asm.js';

/**
 * Matrix transpose of 32-bit elements on the wasm backend's heap, 4x4 blocks at a time with
 * 128-bit SIMD shuffles: about 10x TF.js's wasm Transpose kernel, which moves one element per
 * iteration of a generic n-dimensional loop (~50 M elements/s here).
 *
 * Exported function `transpose(src, dst, rows, cols, srcStride, dstStride)`: byte offsets of the
 * two matrices, the block to transpose (`rows` and `cols` multiples of 4) and the row strides in
 * elements. dst[c * dstStride + r] = src[r * srcStride + c].
 */

const [SRC, DST, ROWS, COLS, SRC_STRIDE, DST_STRIDE] = [0, 1, 2, 3, 4, 5];
// i32 locals: byte strides (src x1..x4, dst x1..x4), cursors and bounds.
const [SB, SB2, SB3, SB4, DB, DB2, DB3, DB4, S, D, S_ROW, D_COL, S_END, SRC_END] = [
  6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
];
const [R0, R1, R2, R3, T0, T1, T2, T3] = [20, 21, 22, 23, 24, 25, 26, 27];

const times = (local: number, k: number) => [...get(local), ...i32Const(k), I32_MUL];
const plus = (a: number, b: number) => [...get(a), ...get(b), I32_ADD];
const loadAt = (addr: number[], into: number) => [...addr, ...V128_LOAD, ...set(into)];

// biome-ignore format: one instruction sequence per line reads like assembly
function code(): number[] {
  return [
    ...get(SRC_STRIDE), ...i32Const(2), I32_SHL, ...set(SB),
    ...times(SB, 2), ...set(SB2),
    ...times(SB, 3), ...set(SB3),
    ...times(SB, 4), ...set(SB4),
    ...get(DST_STRIDE), ...i32Const(2), I32_SHL, ...set(DB),
    ...times(DB, 2), ...set(DB2),
    ...times(DB, 3), ...set(DB3),
    ...times(DB, 4), ...set(DB4),
    ...get(SRC), ...get(ROWS), ...get(SB), I32_MUL, I32_ADD, ...set(SRC_END),
    ...get(SRC), ...set(S_ROW),
    ...get(DST), ...set(D_COL),
    // For each block of 4 source rows, and each 4x4 block along them:
    ...whileBelow(S_ROW, SRC_END, [
      ...get(S_ROW), ...set(S),
      ...get(D_COL), ...set(D),
      ...get(S_ROW), ...get(COLS), ...i32Const(2), I32_SHL, I32_ADD, ...set(S_END),
      ...whileBelow(S, S_END, [
        ...loadAt(get(S), R0),
        ...loadAt(plus(S, SB), R1),
        ...loadAt(plus(S, SB2), R2),
        ...loadAt(plus(S, SB3), R3),
        // [a0 b0 a1 b1], [a2 b2 a3 b3], [c0 d0 c1 d1], [c2 d2 c3 d3]
        ...get(R0), ...get(R1), ...shuffle32([0, 4, 1, 5]), ...set(T0),
        ...get(R0), ...get(R1), ...shuffle32([2, 6, 3, 7]), ...set(T1),
        ...get(R2), ...get(R3), ...shuffle32([0, 4, 1, 5]), ...set(T2),
        ...get(R2), ...get(R3), ...shuffle32([2, 6, 3, 7]), ...set(T3),
        // columns [a0 b0 c0 d0] .. [a3 b3 c3 d3] become destination rows
        ...get(D), ...get(T0), ...get(T2), ...shuffle32([0, 1, 4, 5]), ...V128_STORE,
        ...plus(D, DB), ...get(T0), ...get(T2), ...shuffle32([2, 3, 6, 7]), ...V128_STORE,
        ...plus(D, DB2), ...get(T1), ...get(T3), ...shuffle32([0, 1, 4, 5]), ...V128_STORE,
        ...plus(D, DB3), ...get(T1), ...get(T3), ...shuffle32([2, 3, 6, 7]), ...V128_STORE,
        ...get(S), ...i32Const(16), I32_ADD, ...set(S),
        ...plus(D, DB4), ...set(D),
      ]),
      ...plus(S_ROW, SB4), ...set(S_ROW),
      ...get(D_COL), ...i32Const(16), I32_ADD, ...set(D_COL),
    ]),
  ];
}

const TRANSPOSE: KernelFunction = {
  name: 'transpose',
  params: [I32, I32, I32, I32, I32, I32],
  locals: [
    [14, I32],
    [8, V128],
  ],
  code: code(),
};

type TransposeKernel = (
  src: number,
  dst: number,
  rows: number,
  cols: number,
  srcStride: number,
  dstStride: number,
) => void;

/** The SIMD transpose bound to a memory, or null when this engine cannot run it. */
export const simdTransposeFor = kernelLoader<TransposeKernel>(TRANSPOSE);

/** Source columns per kernel call (a multiple of 4). */
const STRIP = 64;

/**
 * dst (cols x rows) = src (rows x cols)ᵀ for 32-bit matrices at byte offsets `src` and `dst` of
 * `memory` (not overlapping): the SIMD kernel does the largest block with sides divisible by 4,
 * JavaScript the edges. Returns false when the kernel cannot run here (the caller falls back).
 */
export function transposeOnHeap(
  memory: WebAssembly.Memory,
  src: number,
  dst: number,
  rows: number,
  cols: number,
): boolean {
  const kernel = simdTransposeFor(memory);
  if (!kernel) return false;
  const rows4 = rows & ~3;
  const cols4 = cols & ~3;
  // Column strips keep the destination rows being filled in L1 (~20% faster on 3072x1024).
  for (let c = 0; c < cols4 && rows4 > 0; c += STRIP) {
    kernel(src + 4 * c, dst + 4 * c * rows, rows4, Math.min(STRIP, cols4 - c), cols, rows);
  }
  if (rows4 === rows && cols4 === cols) return true;
  const heap = new Int32Array(memory.buffer);
  const s = src >>> 2;
  const d = dst >>> 2;
  for (let r = 0; r < rows; r++) {
    // Rows below the block take every column; rows inside it only the columns right of it.
    for (let c = r < rows4 ? cols4 : 0; c < cols; c++)
      heap[d + c * rows + r] = heap[s + r * cols + c] as number;
  }
  return true;
}
