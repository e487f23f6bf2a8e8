// Small dense matrices (a regression has a handful of coefficients), row-major in Float64Array.

/** Lower Cholesky factor L of a symmetric positive-definite k×k matrix (A = L Lᵀ), or null when A is not. */
export function cholesky(a: Float64Array, k: number): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j];
    for (let m = 0; m < j; m++) d -= l[j * k + m] * l[j * k + m];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    l[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j];
      for (let m = 0; m < j; m++) s -= l[i * k + m] * l[j * k + m];
      l[i * k + j] = s / ljj;
    }
  }
  return l;
}

/**
 * The columns of a cross-product matrix XᵀX that are linear combinations of earlier ones (a Cholesky pass that
 * skips a column whose remaining variance is below `tolerance` × its own), as lm() marks them NA.
 */
export function aliasedColumns(a: Float64Array, k: number, tolerance = 1e-9): boolean[] {
  const aliased = new Array<boolean>(k).fill(false);
  const l = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j];
    for (let m = 0; m < j; m++) if (!aliased[m]) d -= l[j * k + m] * l[j * k + m];
    if (!(d > tolerance * a[j * k + j]) || !(a[j * k + j] > 0)) {
      aliased[j] = true;
      continue;
    }
    const ljj = Math.sqrt(d);
    l[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j];
      for (let m = 0; m < j; m++) if (!aliased[m]) s -= l[i * k + m] * l[j * k + m];
      l[i * k + j] = s / ljj;
    }
  }
  return aliased;
}

/** The inverse of a symmetric positive-definite matrix, or null when it is singular. */
export function invertSpd(a: Float64Array, k: number): Float64Array | null {
  const l = cholesky(a, k);
  if (!l) return null;
  // inverse of L (lower triangular), then A⁻¹ = L⁻ᵀ L⁻¹
  const li = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    li[j * k + j] = 1 / l[j * k + j];
    for (let i = j + 1; i < k; i++) {
      let s = 0;
      for (let m = j; m < i; m++) s -= l[i * k + m] * li[m * k + j];
      li[i * k + j] = s / l[i * k + i];
    }
  }
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let m = i; m < k; m++) s += li[m * k + i] * li[m * k + j];
      inv[i * k + j] = s;
      inv[j * k + i] = s;
    }
  return inv;
}

/**
 * Eigen-decomposition of a symmetric k×k matrix by cyclic Jacobi rotations. Column c of `vectors` (row-major)
 * is the eigenvector of `values[c]`. The input is not changed.
 */
export function symmetricEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const vectors = new Float64Array(k * k);
  const values = new Float64Array(k);
  jacobiEigen(m, vectors, values, k);
  return { values, vectors };
}

/**
 * symmetricEigen on caller-owned buffers (no allocation, for per-cluster use): `m` (k×k, destroyed) is
 * diagonalised; `vectors` receives the eigenvectors as columns and `values` the eigenvalues.
 */
export function jacobiEigen(m: Float64Array, vectors: Float64Array, values: Float64Array, k: number): void {
  const v = vectors;
  v.fill(0, 0, k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        const x = m[i * k + j] * m[i * k + j];
        total += x;
        if (i !== j) off += x;
      }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < k - 1; p++)
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q];
        if (apq === 0) continue;
        const theta = (m[q * k + q] - m[p * k + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p];
          const mrq = m[r * k + q];
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r];
          const mqr = m[q * k + r];
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
  }
  for (let i = 0; i < k; i++) values[i] = m[i * k + i];
}
