import { eigh } from './eigh.js';

/**
 * ZCA whitening matrix `W = (C + eps I)^(-1/2)` of a covariance `C` (Bell & Sejnowski 1997; used for
 * MLPs on CIFAR-10 by Lin, Memisevic & Konda 2015). W is symmetric, so whitened data stays in the
 * input's coordinates (an image stays an image).
 *
 * With `mirror` (an involution of the coordinates, e.g. the left-right flip of an image), the
 * covariance is first symmetrised, `(C + M C M) / 2`, which is the covariance of the data together
 * with its mirror images. Then W commutes with the mirror, so flipping a whitened image equals
 * whitening the flipped image, and the eigenproblem splits into a mirror-symmetric and an
 * antisymmetric block of half the size each (a quarter of the work together).
 */
export interface ZcaResult {
  /** Row-major `n x n`, float64. */
  matrix: Float64Array;
  /** Eigenvalues of the (symmetrised) covariance, descending. */
  eigenvalues: Float64Array;
}

/** A basis vector of one block: coordinates and their weights (1/sqrt 2 pairs, or 1 for a fixed point). */
interface BlockBasis {
  first: Int32Array;
  second: Int32Array;
  /** Weight of `second`; 0 for a fixed point of the mirror (then `first` has weight 1). */
  sign: Float64Array;
  weight: Float64Array;
}

function checkMirror(mirror: ArrayLike<number>, n: number) {
  if (mirror.length !== n)
    throw new RangeError(`zca: mirror has ${mirror.length} entries, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const j = mirror[i] as number;
    if (!Number.isInteger(j) || j < 0 || j >= n || mirror[j] !== i) {
      throw new RangeError(`zca: mirror is not an involution of 0..${n - 1} (at ${i})`);
    }
  }
}

/** Bases of the symmetric and antisymmetric blocks: pairs (i, mirror i) with i < mirror i, and fixed points. */
function mirrorBases(mirror: ArrayLike<number>, n: number): [BlockBasis, BlockBasis] {
  const sym: [number, number, number, number][] = [];
  const anti: [number, number, number, number][] = [];
  const r = Math.SQRT1_2;
  for (let i = 0; i < n; i++) {
    const j = mirror[i] as number;
    if (j === i) sym.push([i, i, 0, 1]);
    else if (i < j) {
      sym.push([i, j, 1, r]);
      anti.push([i, j, -1, r]);
    }
  }
  const basis = (list: [number, number, number, number][]): BlockBasis => ({
    first: Int32Array.from(list, (v) => v[0]),
    second: Int32Array.from(list, (v) => v[1]),
    sign: Float64Array.from(list, (v) => v[2]),
    weight: Float64Array.from(list, (v) => v[3]),
  });
  return [basis(sym), basis(anti)];
}

/** `B^T C B` for a block basis B (each column has one or two non-zeros). */
function projectCovariance(cov: ArrayLike<number>, n: number, b: BlockBasis): Float64Array {
  const m = b.first.length;
  const out = new Float64Array(m * m);
  const at = (i: number, j: number) => cov[i * n + j] as number;
  for (let x = 0; x < m; x++) {
    const p = b.first[x] as number;
    const q = b.second[x] as number;
    const sx = b.sign[x] as number;
    const wx = b.weight[x] as number;
    for (let y = 0; y <= x; y++) {
      const u = b.first[y] as number;
      const v = b.second[y] as number;
      const sy = b.sign[y] as number;
      const wy = b.weight[y] as number;
      const value = wx * wy * (at(p, u) + sy * at(p, v) + sx * at(q, u) + sx * sy * at(q, v));
      out[x * m + y] = value;
      out[y * m + x] = value;
    }
  }
  return out;
}

/** Adds `B f(L) B^T`, the block's part of W, into the n x n `matrix`. */
function addBlockInverseSqrt(matrix: Float64Array, n: number, block: EigenBlock, epsilon: number) {
  const b = block.basis;
  const m = b.first.length;
  if (m === 0) return;
  const { values, vectors } = block;
  // Inner = E^T diag((lambda + eps)^-1/2) E in the block's basis.
  const inner = new Float64Array(m * m);
  const scaled = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const lambda = Math.max(values[k] as number, 0);
    const factor = 1 / Math.sqrt(lambda + epsilon);
    const row = k * m;
    for (let x = 0; x < m; x++) scaled[x] = factor * (vectors[row + x] as number);
    for (let x = 0; x < m; x++) {
      const sx = scaled[x] as number;
      if (sx === 0) continue;
      const out = x * m;
      // Upper triangle only: the result is symmetric.
      for (let y = x; y < m; y++)
        inner[out + y] = (inner[out + y] as number) + sx * (vectors[row + y] as number);
    }
  }
  for (let x = 0; x < m; x++)
    for (let y = 0; y < x; y++) inner[x * m + y] = inner[y * m + x] as number;
  for (let x = 0; x < m; x++) {
    const p = b.first[x] as number;
    const q = b.second[x] as number;
    const sx = b.sign[x] as number;
    const wx = b.weight[x] as number;
    for (let y = 0; y < m; y++) {
      const u = b.first[y] as number;
      const v = b.second[y] as number;
      const sy = b.sign[y] as number;
      const w = wx * (b.weight[y] as number) * (inner[x * m + y] as number);
      matrix[p * n + u] = (matrix[p * n + u] as number) + w;
      if (sy !== 0) matrix[p * n + v] = (matrix[p * n + v] as number) + sy * w;
      if (sx !== 0) {
        matrix[q * n + u] = (matrix[q * n + u] as number) + sx * w;
        if (sy !== 0) matrix[q * n + v] = (matrix[q * n + v] as number) + sx * sy * w;
      }
    }
  }
}

/** One block of the covariance in the mirror basis, with its eigendecomposition. */
interface EigenBlock {
  basis: BlockBasis;
  values: Float64Array;
  vectors: Float64Array;
}

/**
 * The eigendecomposition behind ZCA, done once per covariance: `zcaFromEigen` then builds
 * the matrix for any epsilon at a fraction of the cost (a search tries several).
 */
export interface CovarianceEigen {
  n: number;
  /** @internal The mirror-basis blocks: read only by this module. */
  blocks: EigenBlock[];
}

export function covarianceEigen(
  cov: ArrayLike<number>,
  n: number,
  mirror?: ArrayLike<number>,
): CovarianceEigen {
  if (cov.length !== n * n)
    throw new RangeError(`zca: expected ${n * n} covariance entries, got ${cov.length}`);
  const map = mirror ?? Int32Array.from({ length: n }, (_, i) => i);
  checkMirror(map, n);
  const blocks = mirrorBases(map, n).map((basis) => {
    const m = basis.first.length;
    return m === 0
      ? { basis, values: new Float64Array(0), vectors: new Float64Array(0) }
      : { basis, ...eigh(projectCovariance(cov, n, basis), m) };
  });
  return { n, blocks };
}

/** The ZCA matrix `(C + eps I)^(-1/2)` from a covariance's eigendecomposition. */
export function zcaFromEigen(eigen: CovarianceEigen, epsilon: number): ZcaResult {
  if (!(epsilon > 0)) throw new RangeError(`zca: epsilon must be > 0, got ${epsilon}`);
  const { n } = eigen;
  const matrix = new Float64Array(n * n);
  const eigenvalues: number[] = [];
  for (const block of eigen.blocks) {
    addBlockInverseSqrt(matrix, n, block, epsilon);
    for (const v of block.values) eigenvalues.push(v);
  }
  return { matrix, eigenvalues: Float64Array.from(eigenvalues.sort((a, b) => b - a)) };
}

/**
 * The ZCA matrix of the `n x n` covariance `cov` (row-major, symmetric) with regulariser `epsilon`
 * (> 0; eigenvalues below it are damped rather than blown up). See {@link ZcaResult}.
 */
export function zcaMatrix(
  cov: ArrayLike<number>,
  n: number,
  epsilon: number,
  mirror?: ArrayLike<number>,
): ZcaResult {
  if (!(epsilon > 0)) throw new RangeError(`zca: epsilon must be > 0, got ${epsilon}`);
  return zcaFromEigen(covarianceEigen(cov, n, mirror), epsilon);
}
