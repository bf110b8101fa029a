/**
 * Packs a block of a matrix operand into the panel order the GEMM kernel reads sequentially.
 * A and B pack the same way: A's panels run along M (rows of C), B's along N (columns of C), and
 * both are read step by step along K. Transposed storage is only a different pair of strides, so
 * the products of backpropagation (xᵀ·dy, dy·Wᵀ) cost no separate transpose.
 */
export interface PanelSource {
  /** Float32 index of element (lane 0, step 0) of the whole operand. */
  base: number;
  /** Float32 distance between consecutive K steps. */
  stepStride: number;
  /** Float32 distance between consecutive lanes (rows of A, or columns of B). */
  laneStride: number;
  /** Lanes that exist; lanes past this are packed as zeros. */
  lanes: number;
}

/**
 * Writes lanes [lane0, lane0 + count) (padded with zeros up to whole panels of `width`) and
 * steps [step0, step0 + steps) of `src` to `heap` at float32 index `dst`: panel after panel,
 * each `steps` groups of `width` lanes.
 */
export function packPanels(
  heap: Float32Array,
  src: PanelSource,
  lane0: number,
  count: number,
  step0: number,
  steps: number,
  width: number,
  dst: number,
): void {
  const { stepStride, laneStride } = src;
  let out = dst;
  for (let first = lane0; first < lane0 + count; first += width) {
    const valid = Math.min(width, src.lanes - first);
    const panelStart = src.base + step0 * stepStride + first * laneStride;
    for (let p = 0; p < steps; p++) {
      const at = panelStart + p * stepStride;
      for (let l = 0; l < valid; l++) heap[out + l] = heap[at + l * laneStride] as number;
      for (let l = valid; l < width; l++) heap[out + l] = 0;
      out += width;
    }
  }
}
