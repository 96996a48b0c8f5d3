import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, InvalidArgumentError } from '@wordloom/core';
import { type MatrixInput, toDenseMatrix } from '../matrix/dense-matrix.js';
import { nearestNeighbours } from '../tsne/knn.js';

/** Options of {@link trustworthiness}. */
export interface TrustworthinessOptions {
  /** Neighbourhood size k; must be below n / 2. @default 5 */
  k?: number;
}

/**
 * Trustworthiness of an embedding (Venna & Kaski 2001; scikit-learn's `trustworthiness`):
 * `T(k) = 1 − 2 / (n k (2n − 3k − 1)) Σ_i Σ_{j ∈ U_i} (r(i, j) − k)`, where `U_i` are the k nearest
 * neighbours of i in the embedding that are not among its k nearest in the original space, and `r(i, j)` is
 * the rank of j by original distance from i. 1 means every embedded neighbourhood is a true one.
 *
 * Original-space distances come one block of rows at a time from a tfjs matmul (float32).
 */
export async function trustworthiness(
  original: MatrixInput,
  embedded: MatrixInput,
  options: TrustworthinessOptions = {},
): Promise<number> {
  const fn = 'trustworthiness';
  const x = toDenseMatrix(original, 'original', fn);
  const y = toDenseMatrix(embedded, 'embedded', fn);
  const n = x.rows;
  if (y.rows !== n) throw new InvalidArgumentError('embedded', fn, `${n} rows like 'original'`, y.rows);
  const k = options.k ?? 5;
  assertInteger(k, 'k', fn, 1);
  if (k >= n / 2) throw new InvalidArgumentError('k', fn, `less than n / 2 = ${n / 2}`, k);
  const low = await nearestNeighbours(y, k);
  const d = x.cols;
  const all = tf.tensor2d(Float32Array.from(x.data), [n, d]);
  const allT = tf.transpose(all);
  const norms = tf.tidy(() => tf.sum(tf.square(all), 1));
  const block = Math.max(1, Math.floor((1 << 22) / n));
  let penalty = 0;
  const smallest = new Float64Array(k);
  try {
    for (let start = 0; start < n; start += block) {
      const size = Math.min(block, n - start);
      const dist = tf.tidy(() => {
        const rows = tf.slice(all, [start, 0], [size, d]);
        const dots = tf.matMul(rows, allT);
        return tf.sub(
          tf.add(tf.reshape(tf.slice(norms, [start], [size]), [size, 1]), tf.reshape(norms, [1, n])),
          tf.mul(dots, 2),
        );
      });
      const values = (await dist.data()) as Float32Array;
      dist.dispose();
      for (let r = 0; r < size; r++) {
        const i = start + r;
        const row = values.subarray(r * n, (r + 1) * n);
        // The k-th smallest original distance: embedded neighbours no farther than it have rank ≤ k and
        // cost nothing, so only the (usually few) intruders need a counting pass over the row.
        smallest.fill(Infinity);
        for (let l = 0; l < n; l++) {
          const v = row[l];
          if (l === i || v >= smallest[k - 1]) continue;
          let b = k - 1;
          while (b > 0 && smallest[b - 1] > v) {
            smallest[b] = smallest[b - 1];
            b--;
          }
          smallest[b] = v;
        }
        for (let c = 0; c < k; c++) {
          const j = low.indices[i * k + c];
          const dij = row[j];
          if (dij <= smallest[k - 1]) continue;
          // Rank of j among the others by original distance (1-based; ties counted in j's favour).
          let rank = 1;
          for (let l = 0; l < n; l++) if (l !== i && row[l] < dij) rank++;
          if (rank > k) penalty += rank - k;
        }
      }
    }
  } finally {
    tf.dispose([all, allT, norms]);
  }
  return 1 - (penalty * 2) / (n * k * (2 * n - 3 * k - 1));
}
