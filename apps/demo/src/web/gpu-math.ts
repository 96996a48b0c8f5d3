import * as tf from '@tensorflow/tfjs-core';
import type { KeyedVectors } from '@wordloom/embeddings';

/**
 * Cosine similarities between the given words, as one tfjs matmul of their unit rows (`Û Ûᵀ`): this is the
 * dense math that runs on the active backend (the GPU on webgl/webgpu). Row-major `n × n`.
 */
export async function similarityMatrix(
  vectors: KeyedVectors,
  words: readonly string[],
): Promise<Float32Array> {
  const d = vectors.dim;
  const rows = new Float32Array(words.length * d);
  for (const [i, w] of words.entries()) rows.set(vectors.vector(w), i * d);
  const product = tf.tidy(() => {
    const u = tf.tensor2d(rows, [words.length, d]);
    const unit = tf.div(u, tf.maximum(tf.norm(u, 'euclidean', 1, true), 1e-12));
    return tf.matMul(unit, unit, false, true);
  });
  try {
    return (await product.data()) as Float32Array;
  } finally {
    product.dispose();
  }
}
