import * as tf from '@tensorflow/tfjs-core';
import { assertInteger } from '@wordloom/core';
import { splitRange, type VizKernels } from '../kernels/viz-kernels.js';
import type { DenseMatrix } from '../matrix/dense-matrix.js';

/** The k nearest neighbours of every row: `n × k` indices and squared Euclidean distances, nearest first. */
export interface Neighbours {
  k: number;
  indices: Int32Array;
  distances: Float64Array;
}

/**
 * Exact k-nearest neighbours (self excluded) by blocked brute force: each block of rows gets its squared
 * distances to all rows from one matmul, `|x|² + |y|² − 2xyᵀ`, and `tf.topk` picks candidates; a few extra
 * candidates are re-ranked with float64 distances so float32 rounding in the matmul cannot change the
 * neighbour set except between exact ties. `k` must be in [1, n − 1].
 *
 * @param options.blockElements distance-matrix entries per block (rows per block = this / n), bounding the
 *   memory of one step. @default 4,194,304
 */
export async function nearestNeighbours(
  x: DenseMatrix,
  k: number,
  options: { blockElements?: number } = {},
): Promise<Neighbours> {
  const { blockElements = 1 << 22 } = options;
  const { rows: n, cols: d, data } = x;
  assertInteger(k, 'k', 'nearestNeighbours', 1, n - 1);
  const candidates = Math.min(n, k + 1 + 8);
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const all = tf.tensor2d(Float32Array.from(data), [n, d]);
  const norms = tf.tidy(() => tf.sum(tf.square(all), 1));
  // Transposed once: tfjs-wasm's transposed matmul paths are far slower than a plain one.
  const allT = tf.transpose(all);
  const block = Math.max(1, Math.min(n, Math.floor(blockElements / n)));
  const cand = new Float64Array(candidates);
  const order = new Int32Array(candidates);
  try {
    for (let start = 0; start < n; start += block) {
      const size = Math.min(block, n - start);
      const top = tf.tidy(() => {
        const rows = tf.slice(all, [start, 0], [size, d]);
        const rowNorms = tf.slice(norms, [start], [size]);
        const dots = tf.matMul(rows, allT);
        const dist = tf.sub(
          tf.add(tf.reshape(rowNorms, [size, 1]), tf.reshape(norms, [1, n])),
          tf.mul(dots, 2),
        );
        return tf.topk(tf.neg(dist), candidates, false).indices;
      });
      const idx = (await top.data()) as Int32Array;
      top.dispose();
      for (let r = 0; r < size; r++) {
        const i = start + r;
        let m = 0;
        for (let c = 0; c < candidates; c++) {
          const j = idx[r * candidates + c];
          if (j === i) continue;
          let s = 0;
          for (let a = 0; a < d; a++) {
            const diff = data[i * d + a] - data[j * d + a];
            s += diff * diff;
          }
          cand[m] = s;
          order[m] = j;
          m++;
        }
        // Insertion sort of the few candidates by exact distance, ties by index for determinism.
        for (let a = 1; a < m; a++) {
          const dv = cand[a];
          const jv = order[a];
          let b = a - 1;
          while (b >= 0 && (cand[b] > dv || (cand[b] === dv && order[b] > jv))) {
            cand[b + 1] = cand[b];
            order[b + 1] = order[b];
            b--;
          }
          cand[b + 1] = dv;
          order[b + 1] = jv;
        }
        for (let c = 0; c < k; c++) {
          indices[i * k + c] = order[c];
          distances[i * k + c] = cand[c];
        }
      }
    }
  } finally {
    tf.dispose([all, allT, norms]);
  }
  return { k, indices, distances };
}

/** Distance terms (pairs × dimensions) per share and call of `knnRows`: a few milliseconds. */
const CHUNK_PAIRS = 1 << 23;

/**
 * Exact k-nearest neighbours (self excluded) on the WebAssembly kernels (`assembly/knn.ts`), query rows
 * split evenly over the threads of `kernels`: the float64 brute force `Σ_a (x_ia − x_ja)²` for every pair,
 * a bounded heap of k per row, nearest first and ties by the smaller index. The neighbour sets are the exact
 * ones (those {@link nearestNeighbours} finds except between float32-rounding near-ties) and the distances
 * bit-for-bit its float64 ones. Resets `kernels`' arena. `k` must be in [1, n − 1].
 */
export function kernelNeighbours(kernels: VizKernels, x: DenseMatrix, k: number): Neighbours {
  const { rows: n, cols: d, data } = x;
  assertInteger(k, 'k', 'kernelNeighbours', 1, n - 1);
  const tileCount = Math.ceil(n / 4);
  const shares = splitRange(n, kernels.threads);
  kernels.reset();
  const px = kernels.alloc(8 * n * d);
  const pt = kernels.alloc(8 * tileCount * d * 4);
  const pi = kernels.alloc(4 * n * k);
  const pd = kernels.alloc(8 * n * k);
  const scratch = kernels.alloc(48 * k * shares.length);
  kernels.f64(px, n * d).set(data);
  const tiles = kernels.f64(pt, tileCount * d * 4);
  for (let j = 0; j < n; j++) {
    const base = (j >> 2) * d * 4 + (j & 3);
    for (let a = 0; a < d; a++) tiles[base + 4 * a] = data[j * d + a];
  }
  // Rounds of a few rows per share, not one call: V8 runs a WebAssembly function in its baseline
  // compiler until a later call finds the optimised code (there is no on-stack replacement for wasm).
  const rows = Math.max(4, 4 * Math.round(CHUNK_PAIRS / (4 * n * d)));
  const longest = shares[0][1] - shares[0][0];
  for (let at = 0; at < longest; at += rows)
    kernels.run(
      'knnRows',
      shares.map(([from, to], s) => [
        px,
        pt,
        n,
        d,
        k,
        Math.min(to, from + at),
        Math.min(to, from + at + rows),
        pi,
        pd,
        scratch + 48 * k * s,
      ]),
    );
  const result = {
    k,
    indices: kernels.i32(pi, n * k).slice(),
    distances: kernels.f64(pd, n * k).slice(),
  };
  kernels.reset();
  return result;
}

/** All squared Euclidean distances (`n × n`, zero diagonal), from one matmul; for the exact method. */
export async function squaredDistanceMatrix(x: DenseMatrix): Promise<Float64Array> {
  const { rows: n, cols: d, data } = x;
  const dist = tf.tidy(() => {
    const all = tf.tensor2d(Float32Array.from(data), [n, d]);
    const norms = tf.sum(tf.square(all), 1);
    const dots = tf.matMul(all, all, false, true);
    return tf.relu(tf.sub(tf.add(tf.reshape(norms, [n, 1]), tf.reshape(norms, [1, n])), tf.mul(dots, 2)));
  });
  const out = Float64Array.from(await dist.data());
  dist.dispose();
  for (let i = 0; i < n; i++) out[i * n + i] = 0;
  return out;
}
