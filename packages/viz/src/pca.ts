import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, InvalidArgumentError, Random } from '@wordloom/core';
import { symmetricEigen } from './linalg/symmetric-eigen.js';
import { type DenseMatrix, type MatrixInput, toDenseMatrix } from './matrix/dense-matrix.js';

/** Options of {@link pca}. */
export interface PcaOptions {
  /** Number of principal components to keep. @default 2 */
  components?: number;
}

/** The result of {@link pca}; the tensors belong to the caller (dispose them, or call `dispose()`). */
export interface PcaResult {
  /** `n × k` coordinates of the centred data on the components. */
  projected: tf.Tensor2D;
  /** `k × d` unit principal axes, strongest first; each oriented so its largest-magnitude loading is positive. */
  components: tf.Tensor2D;
  /** Per-feature mean that was subtracted, length `d`. */
  mean: tf.Tensor1D;
  /** Variance along each component (eigenvalues of the covariance with the `n − 1` denominator). */
  explainedVariance: Float64Array;
  /** `explainedVariance` divided by the total variance of the data. */
  explainedVarianceRatio: Float64Array;
  /** Disposes `projected`, `components` and `mean`. */
  dispose(): void;
}

/** Largest input magnitude {@link pca} accepts: its projections must fit float32 tensors with room for d terms. */
const FLOAT32_SAFE = 1e36;

/** Above this many features the top components come from subspace iteration instead of a full Jacobi solve. */
const FULL_SOLVE_MAX_FEATURES = 256;

/** Block power steps of the subspace iteration. */
const SUBSPACE_ITERATIONS = 15;

/**
 * Principal component analysis: centre the data, form the covariance `C = X_cᵀX_c / (n − 1)` with one tfjs
 * matmul, and take its top-k eigenvectors (Jacobi in float64 for up to 256 features; otherwise block power
 * (subspace) iteration with Rayleigh–Ritz, whose products are tfjs matmuls). Rows must be finite.
 */
export function pca(x: MatrixInput, options: PcaOptions = {}): PcaResult {
  const matrix = toDenseMatrix(x, 'x', 'pca');
  const k = options.components ?? 2;
  assertInteger(k, 'components', 'pca', 1, matrix.cols);
  if (matrix.rows < 2) throw new InvalidArgumentError('x', 'pca', 'at least 2 rows', matrix.rows);
  for (const v of matrix.data)
    if (Math.abs(v) > FLOAT32_SAFE)
      throw new InvalidArgumentError(
        'x',
        'pca',
        `entries of magnitude at most ${FLOAT32_SAFE} (the results are float32 tensors)`,
        v,
      );
  const fit = fitPca(matrix, k);
  const { rows: n, cols: d } = matrix;
  const mean = tf.tensor1d(Float32Array.from(fit.mean));
  const components = tf.tensor2d(Float32Array.from(fit.components), [k, d]);
  // Projections are sums of d entries times unit loadings: no squares, so float32 holds them.
  const projected = tf.tidy(() => {
    const xs = tf.tensor2d(Float32Array.from(matrix.data), [n, d]);
    return tf.matMul(tf.sub(xs, mean), tf.transpose(components)) as tf.Tensor2D;
  });
  return {
    projected,
    components,
    mean,
    explainedVariance: fit.variance,
    explainedVarianceRatio: fit.variance.map((v) => (fit.total > 0 ? v / fit.total : 0)),
    dispose() {
      tf.dispose([projected, components, mean]);
    },
  };
}

interface PcaFit {
  mean: Float64Array;
  /** `k × d` row-major. */
  components: Float64Array;
  variance: Float64Array;
  total: number;
}

/** The typed-array core of {@link pca}, shared with t-SNE's PCA initialisation. */
export function fitPca(matrix: DenseMatrix, k: number): PcaFit {
  const { rows: n, cols: d, data } = matrix;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += data[i * d + a];
  for (let a = 0; a < d; a++) mean[a] /= n;
  // The covariance matmul runs in float32, whose squares overflow above ~1.8e19 (and underflow below
  // ~1e-19): the centred data is scaled by a power of two into a safe range first, and the covariance scaled
  // back in float64 (PCA is scale-equivariant: same axes, variances × s²).
  let maxAbs = 0;
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) maxAbs = Math.max(maxAbs, Math.abs(data[i * d + a] - mean[a]));
  const scale = maxAbs > 1e8 || (maxAbs > 0 && maxAbs < 1e-8) ? 2 ** -Math.round(Math.log2(maxAbs)) : 1;
  const centred = new Float32Array(n * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) centred[i * d + a] = (data[i * d + a] - mean[a]) * scale;
  const covTensor = tf.tidy(() => {
    const xc = tf.tensor2d(centred, [n, d]);
    // An explicit transpose: the wasm backend's transposeA path is ~20× slower than a plain matmul.
    return tf.div(tf.matMul(tf.transpose(xc), xc), n - 1);
  });
  const cov = Float64Array.from(covTensor.dataSync());
  covTensor.dispose();
  if (scale !== 1) for (let e = 0; e < cov.length; e++) cov[e] /= scale * scale;
  let total = 0;
  for (let a = 0; a < d; a++) total += cov[a * d + a];
  const { values, vectors } =
    d <= FULL_SOLVE_MAX_FEATURES ? symmetricEigen(cov, d) : subspaceEigen(cov, d, k);
  const components = vectors.slice(0, k * d);
  for (let r = 0; r < k; r++) {
    let best = 0;
    for (let a = 1; a < d; a++)
      if (Math.abs(components[r * d + a]) > Math.abs(components[r * d + best])) best = a;
    if (components[r * d + best] < 0)
      for (let a = 0; a < d; a++) components[r * d + a] = -components[r * d + a];
  }
  const variance = values.slice(0, k).map((v) => Math.max(v, 0));
  return { mean, components, variance, total };
}

/** Projects `matrix` (centred by `fit.mean`) on the fitted components: `n × k`, float64. */
export function projectPca(matrix: DenseMatrix, fit: PcaFit, k: number): Float64Array {
  const { rows: n, cols: d, data } = matrix;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += (data[i * d + a] - fit.mean[a]) * fit.components[r * d + a];
      out[i * k + r] = s;
    }
  }
  return out;
}

/**
 * Top eigenpairs of a large symmetric positive semi-definite `d × d` matrix by subspace iteration
 * (Golub & Van Loan §8.2.4) on `k + 10` vectors, then Rayleigh–Ritz. Returns `k + 10` pairs, descending.
 */
function subspaceEigen(
  cov: Float64Array,
  d: number,
  k: number,
): { values: Float64Array; vectors: Float64Array } {
  const l = Math.min(d, k + 10);
  const rng = new Random(0x5eed);
  const q = new Float64Array(d * l); // column-major: vector c at q[c*d …]
  for (let e = 0; e < q.length; e++) q[e] = rng.normal();
  orthonormalise(q, d, l);
  const c = tf.tensor2d(Float32Array.from(cov), [d, d]);
  try {
    // 15 power steps: more than scikit-learn's randomized PCA (4–7 with the same oversampling of 10).
    for (let iter = 0; iter < SUBSPACE_ITERATIONS; iter++) {
      q.set(readAndDispose(tf.tidy(() => tf.matMul(tf.tensor2d(Float32Array.from(q), [l, d]), c))));
      orthonormalise(q, d, l);
    }
    const cq = readAndDispose(tf.tidy(() => tf.matMul(tf.tensor2d(Float32Array.from(q), [l, d]), c)));
    // B = Qᵀ C Q (l × l), symmetric.
    const b = new Float64Array(l * l);
    for (let r = 0; r < l; r++) {
      for (let s = 0; s < l; s++) {
        let sum = 0;
        for (let a = 0; a < d; a++) sum += q[r * d + a] * cq[s * d + a];
        b[r * l + s] = sum;
      }
    }
    for (let r = 0; r < l; r++)
      for (let s = r + 1; s < l; s++) b[r * l + s] = b[s * l + r] = (b[r * l + s] + b[s * l + r]) / 2;
    const small = symmetricEigen(b, l);
    const vectors = new Float64Array(l * d);
    for (let r = 0; r < l; r++) {
      for (let s = 0; s < l; s++) {
        const w = small.vectors[r * l + s];
        for (let a = 0; a < d; a++) vectors[r * d + a] += w * q[s * d + a];
      }
    }
    return { values: small.values, vectors };
  } finally {
    c.dispose();
  }
}

/** Reads and disposes a tensor (outside `tidy`, which would walk a returned typed array element by element). */
function readAndDispose(t: tf.Tensor): Float32Array {
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

/** Modified Gram–Schmidt on `l` vectors of length `d` stored one after another. */
function orthonormalise(q: Float64Array, d: number, l: number): void {
  for (let c = 0; c < l; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let a = 0; a < d; a++) dot += q[c * d + a] * q[p * d + a];
      for (let a = 0; a < d; a++) q[c * d + a] -= dot * q[p * d + a];
    }
    let norm = 0;
    for (let a = 0; a < d; a++) norm += q[c * d + a] * q[c * d + a];
    norm = Math.sqrt(norm) || 1;
    for (let a = 0; a < d; a++) q[c * d + a] /= norm;
  }
}
