import type { Neighbours } from './knn.js';
import { calibratePerplexity } from './perplexity.js';
import type { CsrMatrix } from './sparse-matrix.js';

/**
 * Sparse joint probabilities for Barnes-Hut t-SNE: conditional `p_{j|i}` over each point's k nearest
 * neighbours calibrated to `perplexity`, symmetrised as `p_ij = (p_{j|i} + p_{i|j}) / Σ` (van der Maaten 2014,
 * §3; the normaliser is `2n`, as scikit-learn's `_joint_probabilities_nn` divides by the total).
 */
export function sparseJointProbabilities(neighbours: Neighbours, perplexity: number): CsrMatrix {
  const { k, indices, distances } = neighbours;
  const n = indices.length / k;
  const { probabilities } = calibratePerplexity(distances, k, perplexity);
  // Transposed adjacency: for each j, the entries (i, j) pointing at it.
  const inCount = new Int32Array(n + 1);
  for (let e = 0; e < indices.length; e++) inCount[indices[e] + 1]++;
  for (let j = 0; j < n; j++) inCount[j + 1] += inCount[j];
  const inFrom = new Int32Array(indices.length);
  const inValue = new Float64Array(indices.length);
  const fill = inCount.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const j = indices[i * k + c];
      const slot = fill[j]++;
      inFrom[slot] = i;
      inValue[slot] = probabilities[i * k + c];
    }
  }
  const rowStart = new Int32Array(n + 1);
  const columns = new Int32Array(2 * indices.length);
  const values = new Float64Array(2 * indices.length);
  const slotOf = new Int32Array(n).fill(-1);
  let nnz = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    rowStart[i] = nnz;
    const add = (j: number, v: number) => {
      const s = slotOf[j];
      if (s >= 0) values[s] += v;
      else {
        slotOf[j] = nnz;
        columns[nnz] = j;
        values[nnz] = v;
        nnz++;
      }
      total += v;
    };
    for (let c = 0; c < k; c++) add(indices[i * k + c], probabilities[i * k + c]);
    for (let s = inCount[i]; s < inCount[i + 1]; s++) add(inFrom[s], inValue[s]);
    for (let s = rowStart[i]; s < nnz; s++) slotOf[columns[s]] = -1;
    sortRow(columns, values, rowStart[i], nnz);
  }
  rowStart[n] = nnz;
  const scale = 1 / Math.max(total, Number.EPSILON);
  for (let s = 0; s < nnz; s++) values[s] *= scale;
  return { rows: n, rowStart, columns: columns.slice(0, nnz), values: values.slice(0, nnz) };
}

/** Sorts one CSR row by column (insertion sort: rows hold a few hundred entries at most). */
function sortRow(columns: Int32Array, values: Float64Array, from: number, to: number): void {
  for (let a = from + 1; a < to; a++) {
    const c = columns[a];
    const v = values[a];
    let b = a - 1;
    while (b >= from && columns[b] > c) {
      columns[b + 1] = columns[b];
      values[b + 1] = values[b];
      b--;
    }
    columns[b + 1] = c;
    values[b + 1] = v;
  }
}

/**
 * Dense joint probabilities for exact t-SNE from all squared distances (`n × n`): each row calibrated over
 * the other `n − 1` points, then `P = (P_cond + P_condᵀ) / Σ` with a zero diagonal (van der Maaten & Hinton
 * 2008, §3.1).
 */
export function denseJointProbabilities(
  distances: Float64Array,
  n: number,
  perplexity: number,
): Float64Array {
  const rowLength = n - 1;
  const offDiagonal = new Float64Array(n * rowLength);
  for (let i = 0; i < n; i++) {
    for (let j = 0, c = 0; j < n; j++) if (j !== i) offDiagonal[i * rowLength + c++] = distances[i * n + j];
  }
  const { probabilities } = calibratePerplexity(offDiagonal, rowLength, perplexity);
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0, c = 0; j < n; j++) if (j !== i) p[i * n + j] = probabilities[i * rowLength + c++];
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = p[i * n + j] + p[j * n + i];
      p[i * n + j] = s;
      p[j * n + i] = s;
      total += 2 * s;
    }
  }
  const scale = 1 / Math.max(total, Number.EPSILON);
  for (let e = 0; e < p.length; e++) p[e] *= scale;
  return p;
}
