/**
 * Eigendecomposition of a real symmetric matrix in float64: Householder reduction to tridiagonal
 * form, then the implicit QL algorithm with Wilkinson-style shifts (the EISPACK tred2/tql2 pair,
 * Wilkinson & Reinsch 1971). Written for row-major storage: every inner loop walks a contiguous row,
 * and eigenvectors are accumulated as rows, so a 1536 x 1536 matrix takes seconds in plain JavaScript.
 */

export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** Row k (`vectors[k * n .. k * n + n)`) is the unit eigenvector of `values[k]`. */
  vectors: Float64Array;
  n: number;
}

export class EigenConvergenceError extends Error {
  override name = 'EigenConvergenceError';
}

/**
 * Eigenvalues and orthonormal eigenvectors of the symmetric `n x n` matrix `matrix` (row-major;
 * only symmetric input gives meaningful results: the lower triangle is not mirrored).
 */
export function eigh(matrix: ArrayLike<number>, n: number): SymmetricEigen {
  if (matrix.length !== n * n) {
    throw new RangeError(
      `eigh: expected ${n * n} entries for a ${n} x ${n} matrix, got ${matrix.length}`,
    );
  }
  const a = Float64Array.from(matrix);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const h = new Float64Array(n);
  tridiagonalise(a, n, d, e, h);
  const rows = accumulateReflections(a, n, h);
  tridiagonalQl(d, e, rows, n);
  return sortAscending(d, rows, n);
}

/**
 * Householder reduction, last row first. Row i's reflector `u` (scaled) is left in `a[i][0..i-1]`
 * with its normaliser in `h[i]` (0 = no reflection); `d` gets the diagonal and `e[i]` the element
 * coupling i with i - 1 of the tridiagonal result. The leading block is kept fully symmetric.
 */
function tridiagonalise(
  a: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
  h: Float64Array,
) {
  const p = new Float64Array(n);
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    const row = i * n;
    d[i] = a[row + i] as number;
    let scale = 0;
    for (let k = 0; k <= l; k++) scale += Math.abs(a[row + k] as number);
    if (l === 0 || scale === 0) {
      e[i] = a[row + l] as number;
      h[i] = 0;
      continue;
    }
    let sum = 0;
    for (let k = 0; k <= l; k++) {
      const u = (a[row + k] as number) / scale;
      a[row + k] = u;
      sum += u * u;
    }
    const f = a[row + l] as number;
    const g = f >= 0 ? -Math.sqrt(sum) : Math.sqrt(sum);
    e[i] = scale * g;
    const hi = sum - f * g;
    h[i] = hi;
    a[row + l] = f - g;
    // p = A u / H over the leading block, then q = p - (u.p / 2H) u, stored back in p.
    let up = 0;
    for (let j = 0; j <= l; j++) {
      const rj = j * n;
      let s = 0;
      for (let k = 0; k <= l; k++) s += (a[rj + k] as number) * (a[row + k] as number);
      const pj = s / hi;
      p[j] = pj;
      up += pj * (a[row + j] as number);
    }
    const kk = up / (2 * hi);
    for (let j = 0; j <= l; j++) p[j] = (p[j] as number) - kk * (a[row + j] as number);
    // A -= q u^T + u q^T on the leading block.
    for (let j = 0; j <= l; j++) {
      const rj = j * n;
      const qj = p[j] as number;
      const uj = a[row + j] as number;
      for (let k = 0; k <= l; k++) {
        a[rj + k] = (a[rj + k] as number) - qj * (a[row + k] as number) - uj * (p[k] as number);
      }
    }
  }
  d[0] = a[0] as number;
  e[0] = 0;
}

/**
 * Q^T = P_2 P_3 ... P_{n-1}, built by right multiplication: M P_i only changes the leading
 * i x i block of M. Rows of the result are the rows the QL rotations then act on.
 */
function accumulateReflections(a: Float64Array, n: number, h: Float64Array): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  for (let i = 2; i < n; i++) {
    const hi = h[i] as number;
    if (hi === 0) continue;
    const u = i * n;
    for (let r = 0; r < i; r++) {
      const rr = r * n;
      let t = 0;
      for (let k = 0; k < i; k++) t += (m[rr + k] as number) * (a[u + k] as number);
      const scale = t / hi;
      for (let k = 0; k < i; k++) m[rr + k] = (m[rr + k] as number) - scale * (a[u + k] as number);
    }
  }
  return m;
}

/** Implicit QL on the tridiagonal (d, e); each rotation of columns i, i+1 combines rows i, i+1. */
function tridiagonalQl(d: Float64Array, e: Float64Array, z: Float64Array, n: number) {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number;
  e[n - 1] = 0;
  const eps = 2 ** -52;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    let m = l;
    while (m < n - 1 && Math.abs(e[m] as number) > eps * tst1) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 60) {
          throw new EigenConvergenceError(
            `eigh: no convergence for eigenvalue ${l} after 60 QL iterations`,
          );
        }
        const g0 = d[l] as number;
        let p = ((d[l + 1] as number) - g0) / (2 * (e[l] as number));
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = (e[l] as number) / (p + r);
        d[l + 1] = (e[l] as number) * (p + r);
        const dl1 = d[l + 1] as number;
        let hShift = g0 - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - hShift;
        f += hShift;
        p = d[m] as number;
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        const el1 = e[l + 1] as number;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const g = c * (e[i] as number);
          hShift = c * p;
          r = Math.hypot(p, e[i] as number);
          e[i + 1] = s * r;
          s = (e[i] as number) / r;
          c = p / r;
          p = c * (d[i] as number) - s * g;
          d[i + 1] = hShift + s * (c * g + s * (d[i] as number));
          const ri = i * n;
          const rj = ri + n;
          for (let k = 0; k < n; k++) {
            const zi = z[ri + k] as number;
            const zj = z[rj + k] as number;
            z[rj + k] = s * zi + c * zj;
            z[ri + k] = c * zi - s * zj;
          }
        }
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l] as number) > eps * tst1);
    }
    d[l] = (d[l] as number) + f;
    e[l] = 0;
  }
}

function sortAscending(d: Float64Array, z: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => (d[i] as number) - (d[j] as number),
  );
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = d[from] as number;
    vectors.set(z.subarray(from * n, from * n + n), to * n);
  });
  return { values, vectors, n };
}
