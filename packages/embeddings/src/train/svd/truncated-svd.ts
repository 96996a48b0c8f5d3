import { assertInteger, InvalidArgumentError, Random } from '@wordloom/core';

/** A linear operator given by its products with dense column-major blocks (e.g. a sparse matrix). */
export interface LinearOperator {
  rows: number;
  cols: number;
  /** A · M for column-major `cols × k` M; returns column-major `rows × k`. */
  multiply(m: Float64Array, k: number): Float64Array;
  /** Aᵀ · M for column-major `rows × k` M; returns column-major `cols × k`. */
  multiplyTransposed(m: Float64Array, k: number): Float64Array;
}

/** Options of {@link truncatedSvd}. */
export interface TruncatedSvdOptions {
  /**
   * Extra random directions beyond k (Halko et al. 2011, §4.2). Co-occurrence spectra decay slowly, so
   * the default is twice scikit-learn's: σ_k of counts and PPMI then agree with a dense SVD to 1e-5.
   * @default 20
   */
  oversample?: number;
  /**
   * Power iterations (A Aᵀ)^q, re-orthonormalised each time (Halko et al. 2011, Alg. 4.4): the
   * error of σ_k shrinks as (σ_{l+1}/σ_k)^{2q+1}. scikit-learn's `randomized_svd` uses 7 for small k.
   * @default 7
   */
  powerIterations?: number;
  /** Seed of the random test matrix. @default 1 */
  seed?: number;
}

/** Top-k singular triplets: A ≈ U Σ Vᵀ. */
export interface TruncatedSvd {
  /** Column-major `rows × k`, orthonormal columns. */
  u: Float64Array;
  /** k singular values, descending. */
  s: Float64Array;
  /** Column-major `cols × k`, orthonormal columns. */
  v: Float64Array;
  k: number;
}

/** Orthonormalises the columns of column-major `n × k` A in place (modified Gram–Schmidt, twice). */
function orthonormalize(a: Float64Array, n: number, k: number): void {
  for (let pass = 0; pass < 2; pass++)
    for (let c = 0; c < k; c++) {
      const col = c * n;
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += a[p * n + i] * a[col + i];
        for (let i = 0; i < n; i++) a[col + i] -= dot * a[p * n + i];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += a[col + i] * a[col + i];
      norm = Math.sqrt(norm);
      if (!Number.isFinite(norm))
        throw new InvalidArgumentError(
          'a',
          'truncatedSvd',
          'a matrix whose products stay finite in float64 (scale values above ~1e150 down)',
        );
      // A column in the span of the previous ones (rank-deficient A) becomes zero, not NaN.
      const inv = norm > 1e-12 ? 1 / norm : 0;
      for (let i = 0; i < n; i++) a[col + i] *= inv;
    }
}

/**
 * One-sided Jacobi SVD (Hestenes 1958) of column-major `n × k` A (n ≥ k), in place: afterwards the
 * columns of A are U·Σ (mutually orthogonal) and `w` (k × k, column-major) holds V, so A₀ = (AΣ⁻¹) Σ Vᵀ.
 */
function jacobiSvd(a: Float64Array, n: number, k: number): Float64Array {
  const w = new Float64Array(k * k);
  for (let i = 0; i < k; i++) w[i * k + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < k - 1; p++)
      for (let q = p + 1; q < k; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < n; i++) {
          const x = a[p * n + i];
          const y = a[q * n + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < n; i++) {
          const x = a[p * n + i];
          const y = a[q * n + i];
          a[p * n + i] = c * x - s * y;
          a[q * n + i] = s * x + c * y;
        }
        for (let i = 0; i < k; i++) {
          const x = w[p * k + i];
          const y = w[q * k + i];
          w[p * k + i] = c * x - s * y;
          w[q * k + i] = s * x + c * y;
        }
      }
    if (!rotated) break;
  }
  return w;
}

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, Alg. 4.4 with re-orthonormalised power
 * iterations) that touches A only through products with thin dense blocks — a sparse V × V
 * co-occurrence matrix is never densified. The small projected problem B = QᵀA is solved exactly by
 * one-sided Jacobi. When k + oversample ≥ min(rows, cols) the result is exact. Signs are fixed so the
 * largest-magnitude entry of each left singular vector is positive (deterministic output).
 */
export function truncatedSvd(a: LinearOperator, k: number, options: TruncatedSvdOptions = {}): TruncatedSvd {
  const { rows: m, cols: n } = a;
  assertInteger(k, 'k', 'truncatedSvd', 1, Math.min(m, n));
  const oversample = options.oversample ?? 20;
  const iterations = options.powerIterations ?? 7;
  assertInteger(oversample, 'oversample', 'truncatedSvd', 0);
  assertInteger(iterations, 'powerIterations', 'truncatedSvd', 0);
  const l = Math.min(k + oversample, m, n);
  const rng = new Random(options.seed ?? 1);
  const omega = new Float64Array(n * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  let q = a.multiply(omega, l);
  orthonormalize(q, m, l);
  // With l = min(m, n) the range of A is captured exactly: power iterations would only cost time.
  const powerIterations = l === Math.min(m, n) ? 0 : iterations;
  for (let it = 0; it < powerIterations; it++) {
    const z = a.multiplyTransposed(q, l);
    orthonormalize(z, n, l);
    q = a.multiply(z, l);
    orthonormalize(q, m, l);
  }
  // Bᵀ = Aᵀ Q (n × l); Bᵀ = Ũ Σ Wᵀ  ⇒  A ≈ Q B = (Q W) Σ Ũᵀ.
  const bt = a.multiplyTransposed(q, l);
  const w = jacobiSvd(bt, n, l);
  const sigma = new Float64Array(l);
  for (let c = 0; c < l; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += bt[c * n + i] * bt[c * n + i];
    sigma[c] = Math.sqrt(s);
  }
  const order = Array.from({ length: l }, (_, i) => i).sort((x, y) => sigma[y] - sigma[x]);
  const u = new Float64Array(m * k);
  const v = new Float64Array(n * k);
  const s = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    const c = order[r];
    s[r] = sigma[c];
    for (let i = 0; i < m; i++) {
      let x = 0;
      for (let j = 0; j < l; j++) x += q[j * m + i] * w[c * l + j];
      u[r * m + i] = x;
    }
    const inv = sigma[c] > 1e-300 ? 1 / sigma[c] : 0;
    for (let i = 0; i < n; i++) v[r * n + i] = bt[c * n + i] * inv;
    let big = 0;
    for (let i = 0; i < m; i++) if (Math.abs(u[r * m + i]) > Math.abs(big)) big = u[r * m + i];
    if (big < 0) {
      for (let i = 0; i < m; i++) u[r * m + i] = -u[r * m + i];
      for (let i = 0; i < n; i++) v[r * n + i] = -v[r * n + i];
    }
  }
  if (s.some((x) => !Number.isFinite(x)))
    throw new InvalidArgumentError('a', 'truncatedSvd', 'a matrix of finite values');
  return { u, s, v, k };
}

/** A LinearOperator over a dense row-major `rows × cols` matrix (tests, small inputs). */
export function denseOperator(data: ArrayLike<number>, rows: number, cols: number): LinearOperator {
  return {
    rows,
    cols,
    multiply(m, k) {
      const out = new Float64Array(rows * k);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) {
          const x = data[i * cols + j];
          if (x !== 0) for (let c = 0; c < k; c++) out[c * rows + i] += x * m[c * cols + j];
        }
      return out;
    },
    multiplyTransposed(m, k) {
      const out = new Float64Array(cols * k);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) {
          const x = data[i * cols + j];
          if (x !== 0) for (let c = 0; c < k; c++) out[c * cols + j] += x * m[c * rows + i];
        }
      return out;
    },
  };
}
