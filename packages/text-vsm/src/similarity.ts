import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@wordloom/core';
import type { SparseMatrix, SparseVector } from './sparse/sparse-matrix.js';

/** A vector given densely (array or typed array) or sparsely. */
export type VectorLike = ArrayLike<number> | SparseVector;

function isSparse(v: VectorLike): v is SparseVector {
  return (v as SparseVector).indices !== undefined && (v as SparseVector).values !== undefined;
}

function sizeOf(v: VectorLike): number {
  return isSparse(v) ? v.size : v.length;
}

function norm(v: VectorLike): number {
  const values = isSparse(v) ? v.values : v;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s);
}

/** v₁ᵀv₂, for dense or sparse vectors of the same size (sparse·sparse merges the sorted index lists). */
export function dotProduct(a: VectorLike, b: VectorLike): number {
  if (sizeOf(a) !== sizeOf(b)) {
    throw new InvalidArgumentError('b', 'dotProduct', `a vector of size ${sizeOf(a)}`, sizeOf(b));
  }
  if (isSparse(a) && isSparse(b)) {
    let s = 0;
    for (let i = 0, j = 0; i < a.indices.length && j < b.indices.length; ) {
      if (a.indices[i] === b.indices[j]) s += a.values[i++] * b.values[j++];
      else if (a.indices[i] < b.indices[j]) i++;
      else j++;
    }
    return s;
  }
  if (isSparse(a) || isSparse(b)) {
    const [sp, dense] = isSparse(a) ? [a, b as ArrayLike<number>] : [b as SparseVector, a];
    let s = 0;
    for (let i = 0; i < sp.indices.length; i++) s += sp.values[i] * dense[sp.indices[i]];
    return s;
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Cosine similarity cos θ = v₁ᵀv₂ / (‖v₁‖‖v₂‖) (the chapter's VSM equation). A zero vector has no
 * direction: its similarity with anything is defined as 0 (as scikit-learn's `cosine_similarity`),
 * never NaN.
 */
export function cosineSimilarity(a: VectorLike, b: VectorLike): number {
  const dot = dotProduct(a, b);
  const n = norm(a) * norm(b);
  return n === 0 ? 0 : dot / n;
}

/**
 * Cosine distance 2(1 − cos θ) = ‖u₁ − u₂‖² for the unit vectors u = v/‖v‖ (the chapter's derivation);
 * in [0, 4]. With a zero vector cos θ is 0, so the distance is 2.
 */
export function cosineDistance(a: VectorLike, b: VectorLike): number {
  return 2 * (1 - cosineSimilarity(a, b));
}

/** v·rᵢ for every row rᵢ of `matrix` (one query against many documents), in one pass over the rows. */
export function dotProducts(query: VectorLike, matrix: SparseMatrix): Float64Array {
  if (sizeOf(query) !== matrix.cols) {
    throw new InvalidArgumentError('query', 'dotProducts', `a vector of size ${matrix.cols}`, sizeOf(query));
  }
  // Scatter the query densely once: each row then costs only its own non-zeros.
  const dense = new Float64Array(matrix.cols);
  if (isSparse(query))
    for (let i = 0; i < query.indices.length; i++) dense[query.indices[i]] = query.values[i];
  else dense.set(query);
  const out = new Float64Array(matrix.rows);
  for (let r = 0; r < matrix.rows; r++) {
    let s = 0;
    for (let j = matrix.indptr[r]; j < matrix.indptr[r + 1]; j++)
      s += matrix.values[j] * dense[matrix.indices[j]];
    out[r] = s;
  }
  return out;
}

/** cos θ between `query` and every row of `matrix`; rows or a query of norm 0 give 0. */
export function cosineSimilarities(query: VectorLike, matrix: SparseMatrix): Float64Array {
  const dots = dotProducts(query, matrix);
  const qn = norm(query);
  for (let r = 0; r < matrix.rows; r++) {
    let s = 0;
    for (let j = matrix.indptr[r]; j < matrix.indptr[r + 1]; j++) s += matrix.values[j] * matrix.values[j];
    const n = qn * Math.sqrt(s);
    dots[r] = n === 0 ? 0 : dots[r] / n;
  }
  return dots;
}

/** 2(1 − cos θ) between `query` and every row of `matrix`. */
export function cosineDistances(query: VectorLike, matrix: SparseMatrix): Float64Array {
  return cosineSimilarities(query, matrix).map((c) => 2 * (1 - c));
}

/**
 * Batched cosine similarity on tensors: `queries` [q, d] (or one [d] vector) against `documents`
 * [n, d] → [q, n] (or [n]), as one matMul of the row-normalized operands. Zero rows give 0.
 */
export function cosineSimilarityTensor(queries: tf.Tensor, documents: tf.Tensor2D): tf.Tensor {
  if (queries.rank !== 1 && queries.rank !== 2) {
    throw new InvalidArgumentError(
      'queries',
      'cosineSimilarityTensor',
      'a rank-1 or rank-2 tensor',
      queries.rank,
    );
  }
  return tf.tidy(() => {
    const q = queries.rank === 1 ? tf.expandDims(queries, 0) : queries;
    const unit = (x: tf.Tensor) => {
      const n = tf.norm(x, 'euclidean', 1, true);
      // Dividing by max(‖x‖, tiny) keeps zero rows at zero instead of NaN.
      return tf.div(x, tf.maximum(n, 1e-30));
    };
    const sims = tf.matMul(unit(q) as tf.Tensor2D, unit(documents) as tf.Tensor2D, false, true);
    return queries.rank === 1 ? tf.squeeze(sims, [0]) : sims;
  });
}

/** Batched dot products on tensors: `queries` [q, d] (or [d]) · `documents` [n, d]ᵀ → [q, n] (or [n]). */
export function dotProductTensor(queries: tf.Tensor, documents: tf.Tensor2D): tf.Tensor {
  if (queries.rank !== 1 && queries.rank !== 2) {
    throw new InvalidArgumentError('queries', 'dotProductTensor', 'a rank-1 or rank-2 tensor', queries.rank);
  }
  return tf.tidy(() => {
    const q = (queries.rank === 1 ? tf.expandDims(queries, 0) : queries) as tf.Tensor2D;
    const out = tf.matMul(q, documents, false, true);
    return queries.rank === 1 ? tf.squeeze(out, [0]) : out;
  });
}
