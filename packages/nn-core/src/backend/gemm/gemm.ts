import { kernelLoader } from '../simd/wasm-asm.js';
import {
  DEFAULT_TILE,
  type GemmKernel,
  type GemmTile,
  type GemmVariant,
  gemmKernelFunction,
} from './micro-kernel.js';
import { type PanelSource, packPanels } from './pack.js';
import { relaxedSimdAvailable } from './relaxed-simd.js';

/**
 * C = op(A)·op(B) on a WebAssembly memory (the wasm backend's heap), float32, row-major, with
 * the register-blocked kernel of `micro-kernel.ts`. Blocked the usual way for caches: K in
 * blocks of {@link K_BLOCK} steps (a packed B panel, K_BLOCK x tile columns, stays in L1), M in
 * blocks of {@link M_BLOCK} rows (the packed A block stays in L2). Sizes that are not multiples
 * of the tile are packed with zero padding and computed into a padded copy of C.
 */
export const K_BLOCK = 256;
export const M_BLOCK = 128;

/** One product: byte offsets of A, B and C in the memory, and how A and B are stored. */
export interface GemmProduct {
  m: number;
  n: number;
  k: number;
  /** A is stored m x k, or k x m when `transposeA`. */
  a: number;
  /** B is stored k x n, or n x k when `transposeB`. */
  b: number;
  /** C is written m x n. */
  c: number;
  transposeA: boolean;
  transposeB: boolean;
}

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;
/** Rows of A packed per block: whole tiles, about {@link M_BLOCK}. */
const mBlock = (tile: GemmTile) => Math.max(1, Math.floor(M_BLOCK / tile.rows)) * tile.rows;

/** Whether C needs a zero-padded stand-in (its sides are not whole tiles). */
const needsPaddedC = (p: GemmProduct, tile: GemmTile) =>
  p.m % tile.rows !== 0 || p.n % tile.cols !== 0;

/** Bytes of scratch memory {@link gemmOnHeap} needs for a product. */
export function gemmScratchBytes(p: GemmProduct, tile: GemmTile = DEFAULT_TILE): number {
  const kc = Math.min(K_BLOCK, p.k);
  const aBlock = roundUp(Math.min(mBlock(tile), p.m), tile.rows) * kc;
  const bBlock = kc * roundUp(p.n, tile.cols);
  const padded = needsPaddedC(p, tile) ? roundUp(p.m, tile.rows) * roundUp(p.n, tile.cols) : 0;
  return 4 * (aBlock + bBlock + padded);
}

const loaders = new Map<string, (memory: WebAssembly.Memory) => GemmKernel | null>();

/** The kernel of a variant and tile compiled for `memory`, or null when this engine cannot run it. */
export function gemmKernelFor(
  memory: WebAssembly.Memory,
  variant: GemmVariant,
  tile: GemmTile = DEFAULT_TILE,
): GemmKernel | null {
  if (variant === 'relaxed' && !relaxedSimdAvailable()) return null;
  const key = `${variant} ${tile.rows}x${tile.cols}`;
  let load = loaders.get(key);
  if (!load) {
    load = kernelLoader<GemmKernel>(gemmKernelFunction(tile, variant));
    loaders.set(key, load);
  }
  return load(memory);
}

/**
 * Computes the product into C using `scratch` (byte offset of {@link gemmScratchBytes} bytes
 * that overlap none of A, B, C). Returns false, writing nothing, when the variant cannot run here.
 */
export function gemmOnHeap(
  memory: WebAssembly.Memory,
  variant: GemmVariant,
  p: GemmProduct,
  scratch: number,
  tile: GemmTile = DEFAULT_TILE,
): boolean {
  const kernel = gemmKernelFor(memory, variant, tile);
  if (!kernel) return false;
  const heap = new Float32Array(memory.buffer);
  const { m, n, k } = p;
  if (k === 0) {
    heap.fill(0, p.c / 4, p.c / 4 + m * n);
    return true;
  }
  const kcMax = Math.min(K_BLOCK, k);
  const aPack = scratch / 4;
  const mc0 = mBlock(tile);
  const bPack = aPack + roundUp(Math.min(mc0, m), tile.rows) * kcMax;
  const paddedN = roundUp(n, tile.cols);
  const padded = needsPaddedC(p, tile);
  const cTarget = padded ? bPack + kcMax * paddedN : p.c / 4;
  const ldc = padded ? paddedN : n;
  const aSource: PanelSource = p.transposeA
    ? { base: p.a / 4, stepStride: m, laneStride: 1, lanes: m }
    : { base: p.a / 4, stepStride: 1, laneStride: k, lanes: m };
  const bSource: PanelSource = p.transposeB
    ? { base: p.b / 4, stepStride: 1, laneStride: k, lanes: n }
    : { base: p.b / 4, stepStride: n, laneStride: 1, lanes: n };
  for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
    const kc = Math.min(K_BLOCK, k - p0);
    packPanels(heap, bSource, 0, n, p0, kc, tile.cols, bPack);
    for (let i0 = 0; i0 < m; i0 += mc0) {
      const mc = Math.min(mc0, m - i0);
      packPanels(heap, aSource, i0, mc, p0, kc, tile.rows, aPack);
      kernel(
        4 * aPack,
        4 * bPack,
        4 * (cTarget + i0 * ldc),
        Math.ceil(mc / tile.rows),
        paddedN / tile.cols,
        kc,
        4 * ldc,
        p0 > 0 ? 1 : 0,
      );
    }
  }
  if (padded) {
    for (let i = 0; i < m; i++)
      heap.copyWithin(p.c / 4 + i * n, cTarget + i * ldc, cTarget + i * ldc + n);
  }
  return true;
}
