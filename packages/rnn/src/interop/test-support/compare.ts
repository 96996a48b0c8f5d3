import * as tf from '@tensorflow/tfjs-core';
import type { SequenceLayer } from '../../layers/sequence-layer.js';

/** max |a − b| over all elements (shapes must match). */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shapes differ: ${a.shape} vs ${b.shape}`);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Replaces every bias (zeros or forget-gate ones by default) with random values, so biases are tested too. */
export function randomizeBiases(layer: SequenceLayer | { variables: tf.Variable[] }, seed: number): void {
  let s = seed;
  for (const v of layer.variables)
    if (v.rank === 1) v.assign(tf.randomUniform([v.size], -0.5, 0.5, 'float32', s++) as tf.Tensor1D);
}
