import { Random } from '@wordloom/core';
import type { DenseMatrix } from '../matrix/dense-matrix.js';
import type { CsrMatrix } from '../tsne/sparse-matrix.js';

/** `blobs × perBlob` points in `dims` dimensions: unit Gaussians around centres `spacing` apart on the axes. */
export function gaussianBlobs(
  blobs: number,
  perBlob: number,
  dims: number,
  { spacing = 20, seed = 7 } = {},
): { x: DenseMatrix<Float64Array>; labels: number[] } {
  const rng = new Random(seed);
  const n = blobs * perBlob;
  const data = new Float64Array(n * dims);
  const labels: number[] = [];
  for (let b = 0; b < blobs; b++) {
    for (let p = 0; p < perBlob; p++) {
      const i = b * perBlob + p;
      labels.push(b);
      for (let a = 0; a < dims; a++)
        data[i * dims + a] = rng.normal() + (a === b % dims ? spacing * (1 + Math.floor(b / dims)) : 0);
    }
  }
  return { x: { data, rows: n, cols: dims }, labels };
}

/** Expands a CSR matrix to dense row-major. */
export function csrToDense(p: CsrMatrix): Float64Array {
  const n = p.rows;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let e = p.rowStart[i]; e < p.rowStart[i + 1]; e++) out[i * n + p.columns[e]] = p.values[e];
  return out;
}

/**
 * Reference t-SNE objective in float64, straight from van der Maaten & Hinton (2008) eq. 2 and 5:
 * KL = Σ p log(p / q), dC/dy_i = 4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + |y_i − y_j|²)⁻¹.
 */
export function referenceObjective(
  p: Float64Array,
  y: Float64Array,
  n: number,
  dims: number,
  dof = 1,
): { kl: number; grad: Float64Array } {
  const num = new Float64Array(n * n);
  let z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let d2 = 0;
      for (let a = 0; a < dims; a++) d2 += (y[i * dims + a] - y[j * dims + a]) ** 2;
      // scikit-learn's _kl_divergence: (1 + d²/α)^(−(α+1)/2), gradient scaled by 2(α+1)/α.
      num[i * n + j] = (1 + d2 / dof) ** (-(dof + 1) / 2);
      z += num[i * n + j];
    }
  }
  let kl = 0;
  const grad = new Float64Array(n * dims);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const q = num[i * n + j] / z;
      const pij = p[i * n + j];
      if (pij > 0) kl += pij * Math.log(pij / q);
      const w = ((2 * (dof + 1)) / dof) * (pij - q) * num[i * n + j];
      for (let a = 0; a < dims; a++) grad[i * dims + a] += w * (y[i * dims + a] - y[j * dims + a]);
    }
  }
  return { kl, grad };
}

/** Largest absolute difference relative to the largest magnitude of `expected`. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < expected.length; k++) {
    diff = Math.max(diff, Math.abs(actual[k] - expected[k]));
    scale = Math.max(scale, Math.abs(expected[k]));
  }
  return diff / scale;
}
