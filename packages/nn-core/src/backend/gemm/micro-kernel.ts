import {
  ELSE,
  END,
  F32X4_ADD,
  F32X4_MUL,
  F32X4_RELAXED_MADD,
  get,
  I32,
  I32_ADD,
  I32_MUL,
  IF,
  i32Const,
  type KernelFunction,
  load32SplatAt,
  set,
  V128,
  V128_ZERO,
  v128LoadAt,
  v128StoreAt,
  whileBelow,
} from '../simd/wasm-asm.js';

/**
 * The register-blocked GEMM kernel, generated in two twins that differ only in how a product is
 * accumulated: `plain` (f32x4.mul then f32x4.add, two roundings, baseline SIMD) and `relaxed`
 * (f32x4.relaxed_madd, which the engine may fuse into one FMA).
 *
 * Exported function `gemm(a, b, c, mTiles, nPanels, kc, ldc, accumulate)` on packed operands
 * (see `pack.ts`), all offsets in bytes:
 * - `a`: `mTiles` tiles of `kc` steps x {@link GemmTile.rows} floats (the tile's rows at step p);
 * - `b`: `nPanels` panels of `kc` steps x {@link GemmTile.cols} floats (the panel's columns at p);
 * - `c`: row-major, `ldc` bytes per row; tile t of panel j covers rows t·rows.., columns j·cols..;
 * - `accumulate` 0: C = A·B; otherwise C += A·B (a later block of the K dimension).
 * The whole rows x cols tile of C lives in v128 locals (registers) through the K loop: per step,
 * cols/4 vector loads of B, one broadcast load per row of A, rows x cols/4 multiply-adds.
 */
export interface GemmTile {
  /** Rows of C per tile (broadcast loads of A per step). */
  rows: number;
  /** Columns of C per tile, a multiple of 4 (vector loads of B per step x 4). */
  cols: number;
}

export type GemmVariant = 'plain' | 'relaxed';

/**
 * 4 x 8: 8 accumulators + 2 B vectors + 1 broadcast fit x64's 16 vector registers with room.
 * On the seed MLP's products in Node 20 (1 thread), 4x8 and 2x16 were the fastest tiles tried;
 * 5x8, 6x8, 8x8, 4x12 and 4x16 ran at about half their speed (presumably V8 spilling vectors to
 * the stack).
 */
export const DEFAULT_TILE: GemmTile = { rows: 4, cols: 8 };

const [A, B, C, M_TILES, N_PANELS, KC, LDC, ACCUMULATE] = [0, 1, 2, 3, 4, 5, 6, 7];
const [B_PANEL, C_PANEL, B_END, AP, CP, A_END, K_END, BP, C_ROW, PANEL_BYTES, A_TILE_BYTES] = [
  8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
];
const TILE_STRIDE = 19;
const FIRST_V128 = 20;
const I32_LOCALS = FIRST_V128 - 8;

const plus = (local: number, bytes: number[]) => [...get(local), ...bytes, I32_ADD];
const advance = (local: number, bytes: number[]) => [...plus(local, bytes), ...set(local)];
const times = (local: number, factor: number[]) => [...get(local), ...factor, I32_MUL];

/** acc ← a·b + acc, in the variant's instructions (operands: local indices). */
function multiplyAdd(variant: GemmVariant, a: number, b: number, acc: number): number[] {
  return variant === 'relaxed'
    ? [...get(a), ...get(b), ...get(acc), ...F32X4_RELAXED_MADD, ...set(acc)]
    : [...get(a), ...get(b), ...F32X4_MUL, ...get(acc), ...F32X4_ADD, ...set(acc)];
}

// biome-ignore format: one instruction sequence per line reads like assembly
function code(tile: GemmTile, variant: GemmVariant): number[] {
  const vectors = tile.cols / 4;
  const acc = (r: number, v: number) => FIRST_V128 + r * vectors + v;
  const bVec = (v: number) => FIRST_V128 + tile.rows * vectors + v;
  const aSplat = FIRST_V128 + tile.rows * vectors + vectors;
  const eachAcc = (f: (r: number, v: number) => number[]) =>
    Array.from({ length: tile.rows }, (_, r) =>
      Array.from({ length: vectors }, (_, v) => f(r, v)).flat(),
    );
  // Walks C_ROW down the tile's rows, running `perRow(r)` at each.
  const overTileRows = (perRow: (r: number) => number[]) => [
    ...get(CP), ...set(C_ROW),
    ...Array.from({ length: tile.rows }, (_, r) => [...perRow(r), ...advance(C_ROW, get(LDC))]).flat(),
  ];
  const step = [
    ...Array.from({ length: vectors }, (_, v) => [...get(BP), ...v128LoadAt(16 * v), ...set(bVec(v))]).flat(),
    ...Array.from({ length: tile.rows }, (_, r) => [
      ...get(AP), ...load32SplatAt(4 * r), ...set(aSplat),
      ...Array.from({ length: vectors }, (_, v) => multiplyAdd(variant, aSplat, bVec(v), acc(r, v))).flat(),
    ]).flat(),
    ...advance(AP, i32Const(4 * tile.rows)),
    ...advance(BP, i32Const(4 * tile.cols)),
  ];
  const oneTile = [
    ...get(ACCUMULATE), ...IF,
    ...overTileRows((r) => Array.from({ length: vectors }, (_, v) => [...get(C_ROW), ...v128LoadAt(16 * v), ...set(acc(r, v))]).flat()),
    ELSE,
    ...eachAcc((r, v) => [...V128_ZERO, ...set(acc(r, v))]).flat(),
    END,
    ...plus(AP, get(A_TILE_BYTES)), ...set(K_END),
    ...get(B_PANEL), ...set(BP),
    ...whileBelow(AP, K_END, step),
    ...overTileRows((r) => Array.from({ length: vectors }, (_, v) => [...get(C_ROW), ...get(acc(r, v)), ...v128StoreAt(16 * v)]).flat()),
    ...advance(CP, get(TILE_STRIDE)),
  ];
  return [
    ...times(KC, i32Const(4 * tile.cols)), ...set(PANEL_BYTES),
    ...times(KC, i32Const(4 * tile.rows)), ...set(A_TILE_BYTES),
    ...times(LDC, i32Const(tile.rows)), ...set(TILE_STRIDE),
    ...plus(A, times(M_TILES, get(A_TILE_BYTES))), ...set(A_END),
    ...plus(B, times(N_PANELS, get(PANEL_BYTES))), ...set(B_END),
    ...get(B), ...set(B_PANEL),
    ...get(C), ...set(C_PANEL),
    ...whileBelow(B_PANEL, B_END, [
      ...get(A), ...set(AP),
      ...get(C_PANEL), ...set(CP),
      ...whileBelow(AP, A_END, oneTile),
      ...advance(B_PANEL, get(PANEL_BYTES)),
      ...advance(C_PANEL, i32Const(4 * tile.cols)),
    ]),
  ];
}

/** The kernel's WebAssembly function for one tile shape and variant. */
export function gemmKernelFunction(tile: GemmTile, variant: GemmVariant): KernelFunction {
  if (tile.rows < 1 || tile.cols < 4 || tile.cols % 4 !== 0)
    throw new Error(
      `GEMM tile must have >= 1 row and a multiple of 4 columns, got ${tile.rows}x${tile.cols}`,
    );
  const vectors = tile.cols / 4;
  return {
    name: 'gemm',
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [
      [I32_LOCALS, I32],
      [tile.rows * vectors + vectors + 1, V128],
    ],
    code: code(tile, variant),
  };
}

export type GemmKernel = (
  a: number,
  b: number,
  c: number,
  mTiles: number,
  nPanels: number,
  kc: number,
  ldc: number,
  accumulate: number,
) => void;
