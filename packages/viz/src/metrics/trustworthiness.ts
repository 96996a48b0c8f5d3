import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, InvalidArgumentError, Random } from '@wordloom/core';
import { type DenseMatrix, type MatrixInput, toDenseMatrix } from '../matrix/dense-matrix.js';
import { nearestNeighbours } from '../tsne/knn.js';

/** Options of {@link trustworthiness}. */
export interface TrustworthinessOptions {
  /** Neighbourhood size k; must be below n / 2. @default 5 */
  k?: number;
  /**
   * Score only this many points, drawn without replacement with `seed` — their neighbourhoods are still
   * among all n points, so the result is an unbiased estimate of T(k) from `sample × n` distances instead
   * of n² (for maps of tens of thousands of points). At least n: every point, the exact value.
   * @default every point
   */
  sample?: number;
  /** Seed of the sample. @default 1 */
  seed?: number;
}

/**
 * Trustworthiness of an embedding (Venna & Kaski 2001; scikit-learn's `trustworthiness`):
 * `T(k) = 1 − 2 / (n k (2n − 3k − 1)) Σ_i Σ_{j ∈ U_i} (r(i, j) − k)`, where `U_i` are the k nearest
 * neighbours of i in the embedding that are not among its k nearest in the original space, and `r(i, j)` is
 * the rank of j by original distance from i. 1 means every embedded neighbourhood is a true one. With
 * `sample`, the sum over i runs over the sampled points and is scaled by n / sample.
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
  const sample = assertInteger(options.sample ?? n, 'sample', fn, 1);
  const seed = assertInteger(options.seed ?? 1, 'seed', fn, -(2 ** 31), 2 ** 32 - 1);
  // The points scored, in increasing order (all of them, or a seeded sample).
  let scored: Int32Array;
  let low: Int32Array;
  if (sample >= n) {
    scored = Int32Array.from({ length: n }, (_, i) => i);
    low = (await nearestNeighbours(y, k)).indices;
  } else {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    new Random(seed).shuffle(order);
    scored = order.slice(0, sample).sort();
    low = embeddedNeighbours(y, scored, k);
  }
  const s = scored.length;
  const d = x.cols;
  const all = tf.tensor2d(Float32Array.from(x.data), [n, d]);
  const allT = tf.transpose(all);
  const norms = tf.tidy(() => tf.sum(tf.square(all), 1));
  const block = Math.max(1, Math.floor((1 << 22) / n));
  let penalty = 0;
  const smallest = new Float64Array(k);
  try {
    for (let start = 0; start < s; start += block) {
      const size = Math.min(block, s - start);
      const dist = tf.tidy(() => {
        const which = tf.tensor1d(scored.subarray(start, start + size), 'int32');
        const rows = tf.gather(all, which);
        const dots = tf.matMul(rows, allT);
        return tf.sub(
          tf.add(tf.reshape(tf.gather(norms, which), [size, 1]), tf.reshape(norms, [1, n])),
          tf.mul(dots, 2),
        );
      });
      const values = (await dist.data()) as Float32Array;
      dist.dispose();
      for (let r = 0; r < size; r++) {
        const i = scored[start + r];
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
          const j = low[(start + r) * k + c];
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
  return 1 - (penalty * (n / s) * 2) / (n * k * (2 * n - 3 * k - 1));
}

/** The k nearest points in the embedding (all n, self excluded; nearest first, ties by index) of each scored point. */
function embeddedNeighbours(y: DenseMatrix, scored: Int32Array, k: number): Int32Array {
  const { rows: n, cols, data } = y;
  const out = new Int32Array(scored.length * k);
  const best = new Float64Array(k);
  const bestId = new Int32Array(k);
  for (let r = 0; r < scored.length; r++) {
    const i = scored[r];
    best.fill(Infinity);
    bestId.fill(-1);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let dist = 0;
      for (let a = 0; a < cols; a++) {
        const v = data[i * cols + a] - data[j * cols + a];
        dist += v * v;
      }
      // j ascends, so a tie keeps the earlier index first.
      if (dist >= best[k - 1]) continue;
      let b = k - 1;
      while (b > 0 && best[b - 1] > dist) {
        best[b] = best[b - 1];
        bestId[b] = bestId[b - 1];
        b--;
      }
      best[b] = dist;
      bestId[b] = j;
    }
    out.set(bestId, r * k);
  }
  return out;
}
