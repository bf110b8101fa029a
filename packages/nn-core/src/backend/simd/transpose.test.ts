import { describe, expect, it } from 'vitest';
import { simdTransposeFor, transposeOnHeap } from './transpose.js';

/** Plain reference transpose. */
function reference(src: Int32Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c] as number;
  return out;
}

describe.each([false, true])('transposeOnHeap (shared memory: %s)', (shared) => {
  const memory = new WebAssembly.Memory(
    shared ? { initial: 160, maximum: 65536, shared: true } : { initial: 160 },
  );

  it('compiles on this engine', () => {
    expect(simdTransposeFor(memory)).toBeTypeOf('function');
  });

  it.each([
    [4, 4],
    [8, 12],
    [1, 1],
    [1, 7],
    [7, 1],
    [5, 9],
    [13, 6],
    [128, 3072],
    [1027, 515],
  ])('transposes a %i x %i matrix exactly, edges included', (rows, cols) => {
    const n = rows * cols;
    const srcAt = 64; // not 16-byte aligned on purpose
    const dstAt = srcAt + 4 * n + 12;
    const heap = new Int32Array(memory.buffer);
    const src = Int32Array.from({ length: n }, (_, i) => (i * 2654435761) | 0);
    heap.set(src, srcAt / 4);
    heap.fill(-1, dstAt / 4, dstAt / 4 + n + 8);
    expect(transposeOnHeap(memory, srcAt, dstAt, rows, cols)).toBe(true);
    const got = new Int32Array(memory.buffer, dstAt, n + 8);
    expect(Array.from(got.subarray(0, n))).toEqual(Array.from(reference(src, rows, cols)));
    // Nothing written past the destination.
    expect(Array.from(got.subarray(n))).toEqual(new Array(8).fill(-1));
  });
});
